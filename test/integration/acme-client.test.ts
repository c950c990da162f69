import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { Agent } from 'node:https';
import { X509Certificate } from 'node:crypto';
import acme from 'acme-client';
import { startTestDnsServer, type TestDnsServer } from '../support/dns-server.js';
import { startHttp01Responder, type Http01Responder } from '../support/http01-responder.js';
import { startTlsAlpn01Responder, type TlsAlpn01Responder } from '../support/tlsalpn01-responder.js';
import { startTestShomei, type TestShomei } from '../support/test-shomei.js';

/**
 * In-process integration with the npm `acme-client` package: a third-party
 * client drives the real server, VA, DNS and challenge responders on loopback.
 */
describe('acme-client drives Shomei end to end', () => {
  let dns: TestDnsServer;
  let http: Http01Responder;
  let alpn: TlsAlpn01Responder;
  let s: TestShomei;
  let client: acme.Client;
  const txt = new Map<string, string[]>();

  before(async () => {
    dns = await startTestDnsServer({ zones: ['example.com', 'example.org'] });
    http = await startHttp01Responder();
    alpn = await startTlsAlpn01Responder();
    s = await startTestShomei({ dnsResolver: dns.address, httpPort: http.port, tlsAlpnPort: alpn.port });
    acme.axios.defaults.httpsAgent = new Agent({ ca: s.rootPem });
    const eab = await s.mintEab('acme-client test');
    client = new acme.Client({
      directoryUrl: s.directoryUrl,
      accountKey: await acme.crypto.createPrivateEcdsaKey('P-256'),
      externalAccountBinding: { kid: eab.kid, hmacKey: eab.hmacKey },
    });
    await client.createAccount({ termsOfServiceAgreed: true, contact: ['mailto:ops@example.com'] });
  });
  after(async () => {
    await s.close();
    await Promise.all([dns.close(), http.close(), alpn.close()]);
  });

  async function issue(names: string[], type: 'http-01' | 'dns-01' | 'tls-alpn-01', keyType: 'P-256' | 'RSA' = 'P-256') {
    const key = keyType === 'RSA' ? await acme.crypto.createPrivateRsaKey(2048) : await acme.crypto.createPrivateEcdsaKey('P-256');
    const [, csr] = await acme.crypto.createCsr({ altNames: names }, key);
    return client.auto({
      csr,
      challengePriority: [type],
      skipChallengeVerification: true,
      termsOfServiceAgreed: true,
      challengeCreateFn: async (authz, challenge, keyAuthorization) => {
        const domain = authz.identifier.value;
        if (challenge.type === 'http-01') http.set(challenge.token, keyAuthorization);
        // acme-client hands dns-01 the TXT value (base64url SHA-256 of the key authorization) already.
        if (challenge.type === 'dns-01') {
          const owner = `_acme-challenge.${domain}`;
          const values = [...(txt.get(owner) ?? []), keyAuthorization];
          txt.set(owner, values);
          dns.setTxt(owner, values);
        }
        if ((challenge.type as string) === 'tls-alpn-01') alpn.set(domain, keyAuthorization);
      },
      challengeRemoveFn: async () => undefined,
    });
  }

  for (const type of ['http-01', 'dns-01', 'tls-alpn-01'] as const) {
    test(`issues a certificate validated with ${type}`, async () => {
      const name = `${type.replace(/-/g, '')}.example.com`;
      const pem = await issue([name], type);
      const [leaf] = acme.crypto.splitPemChain(pem);
      const info = acme.crypto.readCertificateInfo(leaf as string);
      assert.deepEqual(info.domains.altNames, [name]);
      assert.equal(new X509Certificate(leaf as string).issuer.includes('Shomei'), true);
      if (type === 'http-01') assert.ok(http.requests.some((r) => r.host?.startsWith(name)), 'the VA fetched the token with Host = the name');
      if (type === 'tls-alpn-01') assert.ok(alpn.handshakes.includes(name), 'the VA connected with SNI = the name');
    });
  }

  test('issues a wildcard + base name certificate (dns-01) for an RSA key', async () => {
    const pem = await issue(['*.example.org', 'example.org'], 'dns-01', 'RSA');
    const [leaf] = acme.crypto.splitPemChain(pem);
    const cert = new X509Certificate(leaf as string);
    assert.equal(cert.publicKey.asymmetricKeyType, 'rsa');
    assert.match(cert.subjectAltName ?? '', /DNS:\*\.example\.org/);
  });

  test('a failed http-01 validation leaves the authorization invalid with the VA error', async () => {
    const order = await client.createOrder({ identifiers: [{ type: 'dns', value: 'fail.example.com' }] });
    const [authz] = await client.getAuthorizations(order);
    const ch = authz?.challenges.find((c) => c.type === 'http-01');
    assert.ok(ch);
    http.set(ch.token, 'wrong-key-authorization');
    await client.completeChallenge(ch);
    await assert.rejects(client.waitForValidStatus(ch), /did not match/);
    const fresh = await client.getAuthorizations(order);
    assert.equal(fresh[0]?.status, 'invalid');
    const failed = fresh[0]?.challenges.find((c) => c.type === 'http-01') as { error?: { type: string } };
    assert.match(String(failed.error?.type), /urn:ietf:params:acme:error:(incorrectResponse|unauthorized)/);
  });

  test('renewal: a second order for the same name issues again from reused authorizations', async () => {
    const name = 'renew.example.com';
    const first = await issue([name], 'http-01');
    const second = await issue([name], 'http-01');
    const a = new X509Certificate(acme.crypto.splitPemChain(first)[0] as string);
    const b = new X509Certificate(acme.crypto.splitPemChain(second)[0] as string);
    assert.notEqual(a.serialNumber, b.serialNumber);
  });

  test('revokes with a reason via acme-client', async () => {
    const pem = await issue(['revoked.example.com'], 'http-01');
    await client.revokeCertificate(pem, { reason: 4 });
    const serial = new X509Certificate(acme.crypto.splitPemChain(pem)[0] as string).serialNumber.toLowerCase().replace(/^(00)+/, '');
    const row = await s.inst.sa.repos.getCertificate(serial);
    assert.equal(row?.revocation_reason, 4);
    assert.ok(row?.revoked_at);
  });
});
