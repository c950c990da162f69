import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { isShomeiError } from '../../../src/core/errors.js';
import { parseServerAddress } from '../../../src/va/dns-client.js';
import { createDnsResolver, type DnsResolver } from '../../../src/va/dns-resolver.js';
import { startTestDnsServer, type TestDnsServer } from '../../support/dns-server.js';

const isDnsError = (detail: RegExp) => (e: unknown) => isShomeiError(e) && e.kind === 'dns' && detail.test(e.detail);

describe('DNS resolver against the test DNS server', () => {
  let dns: TestDnsServer;
  let resolver: DnsResolver;

  before(async () => {
    dns = await startTestDnsServer({ zones: ['test', 'example.test'] });
    resolver = createDnsResolver({ resolver: dns.address, timeoutMs: 1000 });
  });
  after(() => dns.close());

  it('answers the default loopback addresses for any name in a zone', async () => {
    assert.deepEqual(await resolver.lookupAddresses('anything.example.test'), { v6: ['::1'], v4: ['127.0.0.1'] });
  });

  it('returns explicit A/AAAA records, and no AAAA once set empty', async () => {
    dns.setA('multi.example.test', ['192.0.2.1', '192.0.2.2']);
    dns.setAAAA('multi.example.test', []);
    const got = await resolver.lookupAddresses('multi.example.test');
    assert.deepEqual(got.v6, []);
    assert.deepEqual([...got.v4].sort(), ['192.0.2.1', '192.0.2.2']);
  });

  it('NXDOMAIN for addresses is a dns error naming the name', async () => {
    await assert.rejects(resolver.lookupAddresses('nowhere.invalid'), isDnsError(/NXDOMAIN looking up A for nowhere\.invalid/));
  });

  it('distinguishes NXDOMAIN from NODATA for TXT', async () => {
    assert.deepEqual(await resolver.lookupTxt('nothing-here.invalid'), { exists: false, records: [] });
    assert.deepEqual(await resolver.lookupTxt('empty.example.test'), { exists: true, records: [] });
  });

  it('joins the character-strings of a long TXT record', async () => {
    const long = 'x'.repeat(300) + 'end';
    dns.setTxt('long.example.test', [long, 'short']);
    const got = await resolver.lookupTxt('long.example.test');
    assert.deepEqual([...got.records].sort(), [long, 'short'].sort());
  });

  it('returns CAA flags, tags and values as published', async () => {
    dns.setCaa('caa.example.test', [
      { flags: 128, tag: 'tbs', value: 'unknown' },
      { flags: 0, tag: 'issue', value: 'shomei.test; accounturi=https://x/acct/1' },
    ]);
    const got = await resolver.lookupCaa('caa.example.test');
    assert.equal(got.exists, true);
    assert.deepEqual(got.records.find((r) => r.tag === 'tbs'), { flags: 128, tag: 'tbs', value: 'unknown' });
    assert.equal(got.records.find((r) => r.tag === 'issue')?.value, 'shomei.test; accounturi=https://x/acct/1');
  });

  it('follows CNAME chains (RFC 1034 §3.6.2)', async () => {
    dns.setCname('alias.example.test', 'alias2.example.test');
    dns.setCname('alias2.example.test', 'target.example.test');
    dns.setTxt('target.example.test', ['found']);
    assert.deepEqual(await resolver.lookupTxt('alias.example.test'), { exists: true, records: ['found'] });
  });

  it('a CNAME to a nonexistent name is NXDOMAIN', async () => {
    dns.setCname('dangling.example.test', 'gone.invalid');
    assert.deepEqual(await resolver.lookupCaa('dangling.example.test'), { exists: false, records: [] });
  });

  it('refuses a CNAME loop with a dns error', async () => {
    dns.setCname('loop1.example.test', 'loop2.example.test');
    dns.setCname('loop2.example.test', 'loop1.example.test');
    await assert.rejects(resolver.lookupTxt('loop1.example.test'), isDnsError(/CNAME loop|too many CNAME/));
  });

  it('SERVFAIL is a dns error, not an empty answer', async () => {
    dns.setFailure('broken.example.test', 'servfail');
    await assert.rejects(resolver.lookupCaa('broken.example.test'), isDnsError(/SERVFAIL looking up CAA for broken\.example\.test/));
  });

  it('a silent server is a dns timeout error within timeoutMs', async () => {
    const fast = createDnsResolver({ resolver: dns.address, timeoutMs: 300 });
    dns.setFailure('silent.example.test', 'timeout');
    const t0 = Date.now();
    await assert.rejects(fast.lookupTxt('silent.example.test'), isDnsError(/timed out looking up TXT for silent\.example\.test/));
    assert.ok(Date.now() - t0 < 2000);
  });

  it('nothing listening is a dns error', async () => {
    const closed = await startTestDnsServer();
    const addr = closed.address;
    await closed.close();
    const r = createDnsResolver({ resolver: addr, timeoutMs: 300 });
    await assert.rejects(r.lookupTxt('a.test'), (e: unknown) => isShomeiError(e) && e.kind === 'dns');
  });
});

describe('TCP fallback on truncation (RFC 7766 §5)', () => {
  it('retries over TCP when the UDP answer is truncated', async () => {
    const dns = await startTestDnsServer({ maxUdpSize: 100 });
    try {
      const values = Array.from({ length: 5 }, (_, i) => `value-${i}-${'y'.repeat(40)}`);
      dns.setTxt('big.test', values);
      const r = createDnsResolver({ resolver: dns.address, timeoutMs: 1000 });
      const got = await r.lookupTxt('big.test');
      assert.deepEqual([...got.records].sort(), values);
      const seen = dns.queries.filter((q) => q.name === 'big.test').map((q) => q.transport);
      assert.deepEqual(seen, ['udp', 'tcp']);
    } finally {
      await dns.close();
    }
  });
});

describe('EDNS fallback (RFC 6891 §7)', () => {
  it('asks again without EDNS when the server answers FORMERR', async () => {
    const dns = await startTestDnsServer({ rejectEdns: true });
    try {
      dns.setTxt('old.test', ['v']);
      const r = createDnsResolver({ resolver: dns.address, timeoutMs: 1000 });
      assert.deepEqual(await r.lookupTxt('old.test'), { exists: true, records: ['v'] });
      assert.equal(dns.queries.filter((q) => q.name === 'old.test').length, 2);
    } finally {
      await dns.close();
    }
  });
});

describe('parseServerAddress', () => {
  it('parses host:port, [v6]:port and bare hosts', () => {
    assert.deepEqual(parseServerAddress('127.0.0.1:5353'), { host: '127.0.0.1', port: 5353 });
    assert.deepEqual(parseServerAddress('[::1]:5353'), { host: '::1', port: 5353 });
    assert.deepEqual(parseServerAddress('8.8.8.8'), { host: '8.8.8.8', port: 53 });
    assert.deepEqual(parseServerAddress('2001:db8::53'), { host: '2001:db8::53', port: 53 });
  });
});

describe('test DNS server answers standard tools', () => {
  it('dig gets SOA and NS at a zone apex', async (t) => {
    const dig = promisify(execFile);
    try {
      await dig('dig', ['-v']);
    } catch {
      t.skip('dig not installed');
      return;
    }
    const dns = await startTestDnsServer({ zones: ['example.test'] });
    try {
      const soa = await dig('dig', ['@127.0.0.1', '-p', String(dns.port), 'SOA', 'example.test', '+short']);
      assert.match(soa.stdout, /^ns1\.example\.test\. hostmaster\.example\.test\. 1 /);
      const ns = await dig('dig', ['@127.0.0.1', '-p', String(dns.port), 'NS', 'example.test', '+short', '+tcp']);
      assert.equal(ns.stdout.trim(), 'ns1.example.test.');
      const nx = await dig('dig', ['@127.0.0.1', '-p', String(dns.port), 'A', 'nope.invalid']);
      assert.match(nx.stdout, /status: NXDOMAIN/);
      const below = await dig('dig', ['@127.0.0.1', '-p', String(dns.port), 'SOA', '_acme-challenge.a.example.test']);
      assert.match(below.stdout, /status: NOERROR/);
      assert.match(below.stdout, /AUTHORITY SECTION:\nexample\.test\.\s+1\s+IN\s+SOA/);
    } finally {
      await dns.close();
    }
  });
});
