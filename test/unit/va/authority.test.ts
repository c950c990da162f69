// createValidationAuthority: address policy, dispatch, logging.
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { isShomeiError } from '../../../src/core/errors.js';
import { createValidationAuthority, type VaLogger } from '../../../src/va/authority.js';
import type { DnsResolver } from '../../../src/va/dns-resolver.js';
import { startTestDnsServer, type TestDnsServer } from '../../support/dns-server.js';
import { startHttp01Responder, type Http01Responder } from '../../support/http01-responder.js';
import { startTlsAlpn01Responder, type TlsAlpn01Responder } from '../../support/tlsalpn01-responder.js';
import { challenge, vaConfig } from './va-fixture.js';

describe('address policy (allowPrivateAddresses = false)', () => {
  let dns: TestDnsServer;
  let web: Http01Responder;
  let tls: TlsAlpn01Responder;

  before(async () => {
    dns = await startTestDnsServer();
    web = await startHttp01Responder();
    tls = await startTlsAlpn01Responder();
  });
  after(() => Promise.all([dns.close(), web.close(), tls.close()]));

  const strict = () =>
    createValidationAuthority(
      vaConfig({ dnsResolver: dns.address, httpPort: web.port, tlsAlpnPort: tls.port, allowPrivateAddresses: false }),
    );

  it('http-01 to a name resolving to loopback is refused before any request', async () => {
    const c = challenge();
    web.set(c.token, c.keyAuthorization);
    await assert.rejects(
      strict().validate({ type: 'http-01', domain: 'loop.example.test', ...c }),
      (e: unknown) =>
        isShomeiError(e) &&
        e.kind === 'unauthorized' &&
        e.detail.includes('address 127.0.0.1 is not allowed by policy (loopback (RFC 1122))') &&
        e.detail.includes('address ::1 is not allowed by policy'),
    );
    assert.equal(web.requests.length, 0);
  });

  it('the same request passes once private addresses are allowed', async () => {
    const c = challenge();
    web.set(c.token, c.keyAuthorization);
    const va = createValidationAuthority(vaConfig({ dnsResolver: dns.address, httpPort: web.port }));
    await va.validate({ type: 'http-01', domain: 'loop.example.test', ...c });
  });

  it('a name resolving to RFC 1918 space is refused for tls-alpn-01', async () => {
    dns.setA('private.example.test', ['10.1.2.3']);
    dns.setAAAA('private.example.test', ['fd00::1']);
    const c = challenge();
    tls.set('private.example.test', c.keyAuthorization);
    await assert.rejects(
      strict().validate({ type: 'tls-alpn-01', domain: 'private.example.test', ...c }),
      (e: unknown) => isShomeiError(e) && e.kind === 'unauthorized' && /10\.1\.2\.3 is not allowed by policy \(private/.test(e.detail),
    );
    assert.equal(tls.handshakes.length, 0);
  });

  it('dns-01 is not subject to the address policy', async () => {
    const va = strict();
    await assert.rejects(
      va.validate({ type: 'dns-01', domain: 'loop.example.test', ...challenge() }),
      (e: unknown) => isShomeiError(e) && e.kind === 'unauthorized' && /No TXT record/.test(e.detail),
    );
  });
});

describe('validate() wrapping and logging', () => {
  it('logs success and failure, and turns a plain Error into serverInternal', async () => {
    const lines: Array<{ level: string; obj: Record<string, unknown>; msg: string }> = [];
    const logger: VaLogger = {
      info: (obj, msg) => void lines.push({ level: 'info', obj, msg }),
      warn: (obj, msg) => void lines.push({ level: 'warn', obj, msg }),
    };
    const broken: DnsResolver = {
      description: 'broken',
      lookupAddresses: () => Promise.reject(new Error('boom')),
      lookupTxt: () => Promise.resolve({ exists: true, records: [] }),
      lookupCaa: () => Promise.resolve({ exists: false, records: [] }),
    };
    const va = createValidationAuthority(vaConfig({ dnsResolver: '127.0.0.1:1' }), { logger, resolver: broken });
    await assert.rejects(
      va.validate({ type: 'http-01', domain: 'x.test', ...challenge() }),
      (e: unknown) => isShomeiError(e) && e.kind === 'serverInternal' && !e.detail.includes('boom'),
    );
    await va.checkCaa({ name: 'x.test', accountUri: 'https://a/acct/1', method: 'dns-01' });
    assert.deepEqual(
      lines.map((l) => [l.level, l.msg]),
      [
        ['warn', 'validation failed'],
        ['info', 'CAA permits issuance'],
      ],
    );
    assert.equal(lines[0]!.obj['kind'], 'serverInternal');
  });
});
