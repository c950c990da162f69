import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestDnsServer } from '../support/dns-server.js';
import type { TestShomei } from '../support/test-shomei.js';
import {
  describeRun,
  dnsSans,
  FORBIDDING_CAA,
  opensslVerify,
  readLeaf,
  runClient,
  splitPem,
  storedSerial,
  type ClientResult,
  type TxtControl,
  startInteropEnv,
  type InteropEnv,
} from './interop-support.js';

/**
 * Interop with the real `lego` binary (Debian's 4.9.1): account creation with
 * EAB, issuance over http-01, dns-01 (`exec` provider) and tls-alpn-01 with
 * lego's built-in servers, renewal, revocation with a reason, and refused
 * orders. One Shomei for the file; lego runs one at a time.
 *
 * lego 4.9 refuses to start against a server whose directory says
 * externalAccountRequired unless `--eab` is given, even when its account
 * already exists, so every run passes the EAB flags of its profile.
 *
 * Speed: after answering a challenge lego waits for the challenge response's
 * Retry-After (5 s with jittered backoff when there is none); Shomei sends
 * `acme.retryAfterSeconds` (1 s) while a challenge is processing.
 */
describe('lego (real binary) against Shomei', { timeout: 15 * 60_000 }, () => {
  let dns: TestDnsServer;
  let s: TestShomei;
  let txt: TxtControl;
  let work: string;
  let rootPath: string;
  let httpPort: number;
  let tlsPort: number;
  /** The --path most tests share; its account is made by whichever test runs first. */
  let shared: string;
  let sharedEab: { kid: string; hmacKey: string };

  let env: InteropEnv | undefined;

  before(async () => {
    env = await startInteropEnv('lego');
    ({ dns, s, txt, work, rootPath, httpPort, shared, sharedEab, tlsPort } = env);
  });
  after(async () => env?.close());

  function lego(path: string, eab: { kid: string; hmacKey: string }, args: string[], env: NodeJS.ProcessEnv = {}): Promise<ClientResult> {
    return runClient(
      'lego',
      [
        '--server',
        s.directoryUrl,
        '--path',
        path,
        '--accept-tos',
        '--email',
        'ops@example.com',
        '--eab',
        // One argument each, so a key starting with "-" is never taken for an option.
        `--kid=${eab.kid}`,
        `--hmac=${eab.hmacKey}`,
        ...args,
      ],
      { env: { ...process.env, LEGO_CA_CERTIFICATES: rootPath, ...env }, cwd: work },
    );
  }

  const http = () => ['--http', '--http.port', `127.0.0.1:${httpPort}`];
  const domains = (names: string[]) => names.flatMap((n) => ['--domains', n]);

  function ok(r: ClientResult): void {
    assert.equal(r.code, 0, `lego failed:\n${describeRun(r)}`);
  }

  /** lego names files after the first domain, `*` written as `_`. */
  function certFile(path: string, firstName: string, suffix = '.crt'): string {
    return join(path, 'certificates', `${firstName.replace(/^\*/, '_')}${suffix}`);
  }

  /** Leaf of the bundle verifies with `openssl verify` against Shomei's root, the issuer file as untrusted. */
  function assertVerifies(path: string, firstName: string, r: ClientResult): void {
    const bundle = readFileSync(certFile(path, firstName), 'utf8');
    const [leaf] = splitPem(bundle);
    assert.ok(leaf, `no certificate in the bundle\n${describeRun(r)}`);
    const v = opensslVerify(work, s.rootPem, leaf, readFileSync(certFile(path, firstName, '.issuer.crt'), 'utf8'));
    assert.ok(v.ok, `openssl verify failed:\n${v.output}\n${describeRun(r)}`);
  }

  async function issueHttp(names: string[]): Promise<ClientResult> {
    const r = await lego(shared, sharedEab, [...domains(names), ...http(), 'run']);
    ok(r);
    return r;
  }

  test('new account with EAB + http-01 issuance (built-in server)', async () => {
    const path = join(work, 'eab-http');
    const eab = await s.mintEab('lego interop (http-01)');
    const name = 'lg-http.example.com';
    const r = await lego(path, eab, [...domains([name]), ...http(), 'run']);
    ok(r);
    assert.match(r.stderr, /Registering account for ops@example\.com/, describeRun(r));
    assert.match(r.stderr, /use http-01 solver/, describeRun(r));
    for (const suffix of ['.crt', '.issuer.crt', '.key', '.json']) {
      assert.ok(existsSync(certFile(path, name, suffix)), `${suffix} missing\n${describeRun(r)}`);
    }
    const leaf = readLeaf(certFile(path, name));
    assert.deepEqual(dnsSans(leaf), [name]);
    assertVerifies(path, name, r);
    const row = await s.inst.sa.repos.getCertificate(storedSerial(leaf));
    assert.ok(row, `certificate ${storedSerial(leaf)} not in the database`);
    const acct = await s.inst.sa.repos.getAccountById(row.account_id);
    assert.equal(acct?.eab_kid, eab.kid);
  });

  test('dns-01 via the exec provider: wildcard + base name (two TXT values at one owner name)', async () => {
    const names = ['*.lg-dns.example.com', 'lg-dns.example.com'];
    const owner = '_acme-challenge.lg-dns.example.com';
    // lego's exec provider is sequential (present, validate, clean up, next),
    // so its two records never coexist by themselves. Cleanups are made to
    // linger, as an unpropagated removal would: the second validation then
    // sees both values at the owner name and must find its own among them.
    txt.lingerOnCleanup = true;
    const before = txt.calls.length;
    let r: ClientResult;
    try {
      r = await lego(
        shared,
        sharedEab,
        [...domains(names), '--dns', 'exec', '--dns.resolvers', dns.address, '--dns.disable-cp', 'run'],
        {
          EXEC_PATH: txt.hookPath,
          EXEC_PROPAGATION_TIMEOUT: '30',
          EXEC_POLLING_INTERVAL: '1',
          EXEC_SEQUENCE_INTERVAL: '1',
        },
      );
    } finally {
      txt.lingerOnCleanup = false;
      txt.reset();
    }
    ok(r);
    const calls = txt.calls.slice(before);
    assert.deepEqual(
      calls.map((c) => `${c.action} ${c.name}`),
      [`present ${owner}`, `cleanup ${owner}`, `present ${owner}`, `cleanup ${owner}`],
      describeRun(r),
    );
    assert.equal(txt.maxValues.get(owner), 2);
    assert.ok(dns.queries.some((q) => q.name === owner && q.type === 'TXT'), 'the VA looked the TXT record up');
    const leaf = readLeaf(certFile(shared, names[0] as string));
    assert.deepEqual(dnsSans(leaf), [...names].sort());
    assertVerifies(shared, names[0] as string, r);
  });

  test('tls-alpn-01 issuance (built-in server)', async () => {
    const name = 'lg-alpn.example.com';
    const r = await lego(shared, sharedEab, [...domains([name]), '--tls', '--tls.port', `127.0.0.1:${tlsPort}`, 'run']);
    ok(r);
    assert.match(r.stderr, /use tls-alpn-01 solver/, describeRun(r));
    const leaf = readLeaf(certFile(shared, name));
    assert.deepEqual(dnsSans(leaf), [name]);
    assertVerifies(shared, name, r);
    const row = await s.inst.sa.repos.getCertificate(storedSerial(leaf));
    assert.ok(row);
    const authzs = await s.inst.sa.repos.getAuthorizationsForOrder(row.order_id);
    assert.deepEqual(
      authzs.map((a) => a.validated_method),
      ['tls-alpn-01'],
    );
  });

  // Renewal and revocation use one name: the revocation test's issuance then
  // reuses the authorization the renewal test validated (saving a ~5 s lego
  // validation), and still validates by itself when run alone.
  const lifecycleName = 'lg-lifecycle.example.com';

  test('renewal (lego renew --days 9999) issues a new certificate', async () => {
    const name = lifecycleName;
    await issueHttp([name]);
    const before = readLeaf(certFile(shared, name));
    const r = await lego(shared, sharedEab, [...domains([name]), ...http(), 'renew', '--days', '9999', '--no-random-sleep']);
    ok(r);
    assert.match(r.stderr, /Trying renewal/, describeRun(r));
    const renewed = readLeaf(certFile(shared, name));
    assert.notEqual(storedSerial(renewed), storedSerial(before), `same serial after renewal\n${describeRun(r)}`);
    assert.deepEqual(dnsSans(renewed), [name]);
    assertVerifies(shared, name, r);
    for (const c of [before, renewed]) {
      const row = await s.inst.sa.repos.getCertificate(storedSerial(c));
      assert.ok(row, `certificate ${storedSerial(c)} not in the database`);
      assert.equal(row.revoked_at, null);
    }
  });

  test('revocation with reason 4 (superseded)', async () => {
    const name = lifecycleName;
    await issueHttp([name]);
    const leaf = readLeaf(certFile(shared, name));
    const r = await lego(shared, sharedEab, [...domains([name]), 'revoke', '--reason', '4']);
    ok(r);
    assert.match(r.stderr, /Certificate was revoked/, describeRun(r));
    const row = await s.inst.sa.repos.getCertificate(storedSerial(leaf));
    assert.ok(row, `certificate ${storedSerial(leaf)} not in the database`);
    assert.equal(row.revocation_reason, 4, describeRun(r));
    assert.ok(row.revoked_at);
  });

  test('refused order: CAA forbids this CA → urn:ietf:params:acme:error:caa', async () => {
    const name = 'lg-caa.example.com';
    dns.setCaa(name, FORBIDDING_CAA);
    const r = await lego(shared, sharedEab, [...domains([name]), ...http(), 'run']);
    assert.notEqual(r.code, 0, `lego should have failed:\n${describeRun(r)}`);
    assert.ok(!existsSync(certFile(shared, name)), 'no certificate may be saved');
    // lego prints the problem as "<status> :: <type> :: <detail>".
    assert.ok(r.stderr.includes(`[${name}] acme: error: 403 :: urn:ietf:params:acme:error:caa :: `), describeRun(r));
  });

  test('refused order: identifier the server rejects (bad_name.example.com) → urn:ietf:params:acme:error:rejectedIdentifier', async () => {
    const name = 'bad_name.example.com';
    const r = await lego(shared, sharedEab, [...domains([name]), ...http(), 'run']);
    assert.notEqual(r.code, 0, `lego should have failed:\n${describeRun(r)}`);
    assert.ok(!existsSync(certFile(shared, name)), 'no certificate may be saved');
    assert.ok(
      r.stderr.includes(`acme: error: 400 :: POST :: ${s.inst.urls.newOrder} :: urn:ietf:params:acme:error:rejectedIdentifier :: `),
      describeRun(r),
    );
  });
});
