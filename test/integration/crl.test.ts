import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { createHash, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { Agent } from 'node:https';
import acme from 'acme-client';
import { toPem } from '../../src/ca/pem.js';
import { serialHexToBytes } from '../../src/ca/serial.js';
import { signCertificate } from '../../src/ca/sign-certificate.js';
import { canonicalSerialHex } from '../../src/core/serial-number.js';
import type { CrlPublisher } from '../../src/crl/publisher.js';
import { testDbKind } from '../support/database.js';
import { startTestDnsServer, type TestDnsServer } from '../support/dns-server.js';
import { startTestShomei, type TestShomei } from '../support/test-shomei.js';
import { openssl, opensslText, spkiOf, tempDir, writeTemp } from '../unit/ca/fixtures.js';
import { crlText, opensslSerial, revokedBlocks } from '../unit/crl/fixtures.js';

/**
 * CRL shards against the real in-process CA: a leaf carrying its shard's
 * URL in its CRL DP, revoked through the RA, checked by `openssl verify
 * -crl_check` with the CRL fetched over HTTP from the instance's artefacts
 * listener; and a certificate issued and revoked over ACME by a third-party
 * client.
 */
describe(`CRL shards end to end on ${testDbKind()}`, () => {
  let dns: TestDnsServer;
  let s: TestShomei;
  let publisher: CrlPublisher;
  const dir = tempDir('shomei-crl-it-');

  before(async () => {
    dns = await startTestDnsServer({ zones: ['example.com'] });
    s = await startTestShomei({ dnsResolver: dns.address });
    // Wired by app.ts: shards ensured at start-up, routes on the artefacts listener.
    publisher = s.inst.crl;
  });
  after(async () => {
    await s?.close();
    await dns?.close();
  });

  /** The shard URL as a loopback client reaches it (the artefacts listener is on 127.0.0.1; the URL says localhost). */
  const reachable = (url: string) => url.replace('//localhost:', '//127.0.0.1:');

  /** GET the shard CRL at `url` from the instance's artefacts listener, with its headers. */
  async function fetchCrl(url: string) {
    const res = await fetch(reachable(url));
    assert.equal(res.status, 200, url);
    return { res, der: new Uint8Array(await res.arrayBuffer()) };
  }

  function verifyWithCrl(leafPem: string, crlDer: Uint8Array): { status: number; output: string } {
    const r = openssl([
      'verify',
      '-crl_check',
      '-CAfile',
      writeTemp(dir, 'root.pem', s.inst.ca.rootPem()),
      '-untrusted',
      writeTemp(dir, 'intermediate.pem', s.inst.ca.intermediatePem()),
      '-CRLfile',
      writeTemp(dir, 'crl.pem', toPem('X509 CRL', crlDer)),
      writeTemp(dir, 'leaf.pem', leafPem),
    ]);
    return { status: r.status, output: r.stdout + r.stderr };
  }

  test('every shard answers from the first start', async () => {
    for (let shard = 0; shard < s.inst.config.crl.shards; shard++) {
      const url = publisher.distributionPointFor('00').url.replace(/\/0\.crl$/, `/${shard}.crl`);
      const { res, der } = await fetchCrl(url);
      assert.equal(res.headers.get('content-type'), 'application/pkix-crl');
      assert.ok(crlText(der).includes(`URI:${url}`));
    }
  });

  test('a leaf with its shard in the CRL DP: OK before revocation, "certificate revoked" (keyCompromise) after', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const spki = spkiOf(privateKey);
    const serialHex = s.inst.ca.newSerial();
    const serial = canonicalSerialHex(serialHex);
    const dp = publisher.distributionPointFor(serial);
    const fields = s.inst.ca.leafProfile.fields({ serial: serialHexToBytes(serialHex), spki, names: ['crl-leaf.example.com'], ...s.inst.ca.validityAt(new Date()) });
    const der = await signCertificate({ ...fields, extensions: [...fields.extensions, dp.extensionDer] }, s.inst.ca.issuingCa.signer);
    const leafPem = toPem('CERTIFICATE', der);
    assert.match(opensslText(dir, leafPem), new RegExp(`X509v3 CRL Distribution Points: \\n\\s+Full Name:\\n\\s+URI:${dp.url.replace(/[.]/g, '\\.')}\\n`));

    const now = new Date().toISOString();
    await s.inst.sa.repos.insertAccount({ id: 'acct-crl-it', jwk_thumbprint: 'tp-crl-it', jwk: '{}', status: 'valid', contact: '[]', tos_agreed: 1,
    terms_version: null, eab_kid: null, created_at: now, updated_at: now });
    await s.inst.sa.repos.insertOrder({ id: 'order-crl-it', account_id: 'acct-crl-it', status: 'valid', expires_at: now, identifiers: '[]', not_before: null, not_after: null, error: null, certificate_serial: serial, replaces: null, created_at: now, updated_at: now });
    const x509 = new X509Certificate(der);
    await s.inst.sa.repos.insertCertificate({
      serial,
      account_id: 'acct-crl-it',
      order_id: 'order-crl-it',
      der: Buffer.from(der).toString('base64'),
      names: '["crl-leaf.example.com"]',
      spki_sha256: createHash('sha256').update(spki).digest('hex'),
      issued_at: now,
      not_before: new Date(x509.validFrom).toISOString(),
      not_after: new Date(x509.validTo).toISOString(),
      revoked_at: null,
      revocation_reason: null,
      subscriber_id: null,
      issuer_key_id: dp.issuerKeyId,
      crl_shard: dp.shard,
    });

    await publisher.regenerate();
    const beforeRevocation = await fetchCrl(dp.url);
    const ok = verifyWithCrl(leafPem, beforeRevocation.der);
    assert.equal(ok.status, 0, ok.output);
    assert.match(ok.output, /leaf\.pem: OK/);

    // Through the RA, as an ACME revokeCert signed with the certificate key would (RFC 8555 §7.6).
    await s.inst.ra.revokeCertificate(
      { certificate: Buffer.from(der).toString('base64url'), reason: 1 },
      { kind: 'certificate-key', spkiSha256: createHash('sha256').update(spki).digest('hex') },
    );
    const run = await publisher.regenerate();
    assert.deepEqual(run.published.map((p) => [p.shard, p.cause]), [[dp.shard, 'changed']]);

    const { res, der: crlDer } = await fetchCrl(dp.url);
    const row = (await s.inst.sa.repos.getCrlShard(dp.issuerKeyId, dp.shard))!;
    assert.equal(res.headers.get('content-type'), 'application/pkix-crl');
    assert.equal(res.headers.get('etag'), `"${row.crl_number}"`);
    assert.notEqual(res.headers.get('etag'), beforeRevocation.res.headers.get('etag'));
    assert.equal(res.headers.get('last-modified'), new Date(row.this_update).toUTCString());
    assert.match(res.headers.get('cache-control') ?? '', /^public, max-age=([1-9][0-9]*)$/);
    assert.ok(Number(/max-age=(\d+)/.exec(res.headers.get('cache-control')!)![1]) <= s.inst.config.crl.regenerateSeconds);
    const head = await fetch(reachable(dp.url), { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), String(crlDer.length));

    const revoked = verifyWithCrl(leafPem, crlDer);
    assert.notEqual(revoked.status, 0);
    assert.match(revoked.output, /certificate revoked/);
    const text = crlText(crlDer);
    assert.match(revokedBlocks(text).get(opensslSerial(serial)) ?? '', /X509v3 CRL Reason Code: \n\s+Key Compromise/);
    // The IDP names exactly the URL in the certificate's CRL DP (BR §7.2.2.1).
    assert.ok(text.includes(`URI:${dp.url}`));
    const sig = openssl(['crl', '-inform', 'DER', '-noout', '-verify', '-in', writeTemp(dir, 'crl.der', crlDer), '-CAfile', writeTemp(dir, 'int.pem', s.inst.ca.intermediatePem())]);
    assert.match(sig.stdout + sig.stderr, /verify OK/);
  });

  test('a certificate issued and revoked (keyCompromise) over ACME by acme-client is listed on its shard', async () => {
    acme.axios.defaults.httpsAgent = new Agent({ ca: s.rootPem });
    const eab = await s.mintEab('crl test');
    const client = new acme.Client({
      directoryUrl: s.directoryUrl,
      accountKey: await acme.crypto.createPrivateEcdsaKey('P-256'),
      externalAccountBinding: { kid: eab.kid, hmacKey: eab.hmacKey },
    });
    await client.createAccount({ termsOfServiceAgreed: true });
    const [, csr] = await acme.crypto.createCsr({ altNames: ['crl-acme.example.com'] }, await acme.crypto.createPrivateEcdsaKey('P-256'));
    const chain = await client.auto({
      csr,
      challengePriority: ['dns-01'],
      skipChallengeVerification: true,
      termsOfServiceAgreed: true,
      challengeCreateFn: async (authz, _challenge, keyAuthorization) => dns.setTxt(`_acme-challenge.${authz.identifier.value}`, [keyAuthorization]),
      challengeRemoveFn: async () => undefined,
    });
    const leafPem = acme.crypto.splitPemChain(chain)[0]!;
    const serial = canonicalSerialHex(new X509Certificate(leafPem).serialNumber);
    await client.revokeCertificate(leafPem, { reason: 1 });

    const row = (await s.inst.sa.repos.getCertificate(serial))!;
    assert.equal(row.revocation_reason, 1);
    // The issuance cycle recorded the shard it wrote into the certificate's CRL DP.
    const dp = publisher.distributionPointFor(serial);
    assert.equal(row.issuer_key_id, dp.issuerKeyId);
    assert.equal(row.crl_shard, dp.shard);
    assert.match(opensslText(dir, leafPem), new RegExp(`URI:${dp.url.replace(/[.]/g, '\\.')}\n`));
    const run = await publisher.regenerate();
    assert.ok(run.published.some((p) => p.shard === dp.shard && p.cause === 'changed'), JSON.stringify(run));
    const { der } = await fetchCrl(dp.url);
    assert.match(revokedBlocks(crlText(der)).get(opensslSerial(serial)) ?? '', /Key Compromise/);
    const revoked = verifyWithCrl(leafPem, der);
    assert.notEqual(revoked.status, 0);
    assert.match(revoked.output, /certificate revoked/);
  });
});
