// tls-alpn-01 (RFC 8737) against a real loopback TLS responder.
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { isShomeiError, type ErrorKind } from '../../../src/core/errors.js';
import { checkAcmeTlsCertificate, expectedAcmeIdentifierValue } from '../../../src/va/acme-tls-certificate.js';
import { createValidationAuthority } from '../../../src/va/authority.js';
import type { ValidationAuthority } from '../../../src/va/types.js';
import { startTestDnsServer, type TestDnsServer } from '../../support/dns-server.js';
import {
  acmeIdentifierValue,
  buildAcmeTlsCertificate,
  startTlsAlpn01Responder,
  type TlsAlpn01Responder,
} from '../../support/tlsalpn01-responder.js';
import { challenge, vaConfig } from './va-fixture.js';

const fails = (kind: ErrorKind, detail: RegExp) => (e: unknown) => {
  assert.ok(isShomeiError(e), `expected ShomeiError, got ${String(e)}`);
  assert.equal(e.kind, kind, e.detail);
  assert.match(e.detail, detail);
  return true;
};

describe('tls-alpn-01 over TLS', () => {
  let dns: TestDnsServer;
  let tls: TlsAlpn01Responder;
  let noAlpn: TlsAlpn01Responder;
  let va: ValidationAuthority;

  before(async () => {
    dns = await startTestDnsServer();
    tls = await startTlsAlpn01Responder();
    noAlpn = await startTlsAlpn01Responder({ alpn: false });
    va = createValidationAuthority(vaConfig({ dnsResolver: dns.address, tlsAlpnPort: tls.port }));
  });
  after(() => Promise.all([dns.close(), tls.close(), noAlpn.close()]));

  it('passes with the right certificate; SNI is the domain', async () => {
    const c = challenge();
    tls.set('ok.example.test', c.keyAuthorization);
    const records = await va.validate({ type: 'tls-alpn-01', domain: 'ok.example.test', ...c });
    assert.deepEqual(records, [
      {
        hostname: 'ok.example.test',
        port: tls.port,
        addressesResolved: ['::1', '127.0.0.1'],
        addressUsed: '127.0.0.1',
        resolver: dns.address,
      },
    ]);
    assert.equal(tls.handshakes.at(-1), 'ok.example.test');
  });

  it('compares the SAN case-insensitively', async () => {
    const c = challenge();
    tls.set('case.example.test', c.keyAuthorization, { sans: ['CASE.Example.TEST'] });
    await va.validate({ type: 'tls-alpn-01', domain: 'case.example.test', ...c });
  });

  it('refuses a server that does not negotiate acme-tls/1', async () => {
    const c = challenge();
    noAlpn.set('noalpn.example.test', c.keyAuthorization);
    const v = createValidationAuthority(vaConfig({ dnsResolver: dns.address, tlsAlpnPort: noAlpn.port }));
    await assert.rejects(
      v.validate({ type: 'tls-alpn-01', domain: 'noalpn.example.test', ...c }),
      fails('unauthorized', /Cannot negotiate ALPN protocol "acme-tls\/1"/),
    );
  });

  it('refuses a certificate without the acmeIdentifier extension', async () => {
    const c = challenge();
    tls.set('noext.example.test', c.keyAuthorization, { omitExtension: true });
    await assert.rejects(va.validate({ type: 'tls-alpn-01', domain: 'noext.example.test', ...c }), fails('unauthorized', /Missing acmeIdentifier/));
  });

  it('refuses a non-critical acmeIdentifier extension', async () => {
    const c = challenge();
    tls.set('noncrit.example.test', c.keyAuthorization, { critical: false });
    await assert.rejects(va.validate({ type: 'tls-alpn-01', domain: 'noncrit.example.test', ...c }), fails('unauthorized', /not marked critical/));
  });

  it('refuses a certificate for another name', async () => {
    const c = challenge();
    tls.set('san.example.test', c.keyAuthorization, { sans: ['other.example.test'] });
    await assert.rejects(
      va.validate({ type: 'tls-alpn-01', domain: 'san.example.test', ...c }),
      fails('unauthorized', /Requested san\.example\.test.*other\.example\.test/),
    );
  });

  it('refuses a certificate with an extra SAN', async () => {
    const c = challenge();
    tls.set('extra.example.test', c.keyAuthorization, { sans: ['extra.example.test', 'more.example.test'] });
    await assert.rejects(va.validate({ type: 'tls-alpn-01', domain: 'extra.example.test', ...c }), fails('unauthorized', /2 subjectAltName entries/));
  });

  it('refuses the digest of another key authorization with incorrectResponse', async () => {
    const c = challenge();
    tls.set('digest.example.test', challenge().keyAuthorization);
    await assert.rejects(va.validate({ type: 'tls-alpn-01', domain: 'digest.example.test', ...c }), fails('incorrectResponse', /does not match/));
  });

  it('a failed handshake is a tls error', async () => {
    await assert.rejects(
      va.validate({ type: 'tls-alpn-01', domain: 'unknown.example.test', ...challenge() }),
      fails('tls', /TLS handshake with unknown\.example\.test:\d+ \[127\.0\.0\.1\] failed/),
    );
  });

  it('nothing listening is a connection error', async () => {
    const closed = await startTlsAlpn01Responder();
    await closed.close();
    const v = createValidationAuthority(vaConfig({ dnsResolver: dns.address, tlsAlpnPort: closed.port }));
    await assert.rejects(v.validate({ type: 'tls-alpn-01', domain: 'refused.example.test', ...challenge() }), fails('connection', /connection refused/));
  });
});

describe('checkAcmeTlsCertificate (RFC 8737 §3)', () => {
  it('the expected extnValue is DER OCTET STRING of 32 bytes', () => {
    const v = expectedAcmeIdentifierValue('a.b');
    assert.equal(v.length, 34);
    assert.deepEqual([...v.subarray(0, 2)], [0x04, 0x20]);
    assert.ok(v.equals(acmeIdentifierValue('a.b')));
  });

  it('accepts a well-formed certificate and rejects garbage as tls', async () => {
    const c = await buildAcmeTlsCertificate('x.test', 'ka');
    checkAcmeTlsCertificate(c.der, 'x.test', 'ka');
    assert.throws(() => checkAcmeTlsCertificate(Buffer.from('not a certificate'), 'x.test', 'ka'), fails('tls', /cannot be parsed/));
  });

  it('refuses a certificate without any SAN', async () => {
    const c = await buildAcmeTlsCertificate('x.test', 'ka', { sans: [] });
    assert.throws(() => checkAcmeTlsCertificate(c.der, 'x.test', 'ka'), fails('unauthorized', /0 subjectAltName entries/));
  });
});
