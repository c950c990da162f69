import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { exportJWK } from 'jose';
import { ProtocolFixture, type Account } from '../support/protocol-fixture.js';
import { makeCsr } from '../support/csr.js';
import { signJws, type AccountKey } from '../support/raw-acme.js';

const PREFIX = 'urn:ietf:params:acme:error:';

describe('Orders, finalize, download, revocation (RFC 8555 §7.4–§7.6)', () => {
  let f: ProtocolFixture;
  let acct: Account;
  before(async () => {
    f = await ProtocolFixture.start();
    acct = await f.newAccount();
  });
  after(async () => f.close());

  const newOrder = (a: Account, names: string[]) =>
    f.post(a, f.dir['newOrder'] as string, { identifiers: names.map((value) => ({ type: 'dns', value })) });

  test('§7.4 newOrder: 201, Location, pending, one authorization per name; wildcard gets only dns-01', async () => {
    const r = await newOrder(acct, ['www.example.com', '*.example.com']);
    assert.equal(r.status, 201);
    assert.match(String(r.headers['location']), /\/acme\/order\//);
    const o = r.json();
    assert.equal(o['status'], 'pending');
    assert.equal((o['authorizations'] as string[]).length, 2);
    const authzs = await Promise.all((o['authorizations'] as string[]).map(async (u) => (await f.post(acct, u, '')).json()));
    const wild = authzs.find((a) => a['wildcard'] === true);
    const plain = authzs.find((a) => a['wildcard'] === undefined);
    assert.deepEqual(wild?.['identifier'], { type: 'dns', value: 'example.com' });
    assert.deepEqual((wild?.['challenges'] as { type: string }[]).map((c) => c.type), ['dns-01']);
    assert.deepEqual((plain?.['challenges'] as { type: string }[]).map((c) => c.type).sort(), ['dns-01', 'http-01', 'tls-alpn-01']);
    const tokens = (plain?.['challenges'] as { token: string }[]).map((c) => c.token);
    assert.equal(new Set(tokens).size, 3, 'each challenge has its own token');
    for (const t of tokens) assert.ok(Buffer.from(t, 'base64url').length >= 16, 'token carries ≥128 bits');
  });

  test('§7.1.3 bad identifiers are rejectedIdentifier with one subproblem each', async () => {
    const r = await newOrder(acct, ['ok.example.com', 'bad_name.example.com', '10.0.0.1', 'internal.test']);
    assert.equal(r.status, 400);
    const p = r.json();
    assert.equal(p['type'], `${PREFIX}rejectedIdentifier`);
    const subs = p['subproblems'] as { type: string; identifier: { value: string } }[];
    assert.deepEqual(subs.map((s) => s.identifier.value).sort(), ['10.0.0.1', 'bad_name.example.com', 'internal.test']);
    const ip = await f.post(acct, f.dir['newOrder'] as string, { identifiers: [{ type: 'ip', value: '192.0.2.1' }] });
    assert.equal(ip.json()['type'], `${PREFIX}unsupportedIdentifier`);
  });

  test('§7.4 finalize before ready is orderNotReady', async () => {
    const r = await newOrder(acct, ['notready.example.com']);
    const { csrB64u } = await makeCsr(['notready.example.com']);
    const fin = await f.post(acct, r.json()['finalize'] as string, { csr: csrB64u });
    assert.equal(fin.status, 403);
    assert.equal(fin.json()['type'], `${PREFIX}orderNotReady`);
  });

  test('§7.4 a CSR with extra or missing names is badCSR; the order stays ready', async () => {
    const { url, body } = await f.readyOrder(acct, ['csr.example.com']);
    assert.equal(body['status'], 'ready');
    const extra = await makeCsr(['csr.example.com', 'other.example.com']);
    const r = await f.post(acct, body['finalize'] as string, { csr: extra.csrB64u });
    assert.equal(r.json()['type'], `${PREFIX}badCSR`);
    assert.match(String(r.json()['detail']), /other\.example\.com/);
    assert.equal((await f.post(acct, url, '')).json()['status'], 'ready');
  });

  test('§7.4 a CSR using the account key is badPublicKey', async () => {
    const { body } = await f.readyOrder(acct, ['acctkey.example.com']);
    const keyPem = Buffer.from(acct.key.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    const csr = await makeCsr(['acctkey.example.com'], 'P-256', keyPem);
    const r = await f.post(acct, body['finalize'] as string, { csr: csr.csrB64u });
    assert.equal(r.json()['type'], `${PREFIX}badPublicKey`);
  });

  test('§7.4 full issuance: valid order, PEM chain that openssl verifies, profile per BR 7.1.2.7', async () => {
    const names = ['example.jp', 'www.example.jp', '*.example.jp'];
    const { url, body } = await f.readyOrder(acct, names);
    const csr = await makeCsr(names);
    const fin = await f.post(acct, body['finalize'] as string, { csr: csr.csrB64u });
    assert.equal(fin.status, 200, fin.body);
    assert.equal(fin.headers['location'], url);
    assert.equal(fin.json()['status'], 'valid');
    const certUrl = fin.json()['certificate'] as string;
    const dl = await f.post(acct, certUrl, '');
    assert.equal(dl.headers['content-type'], 'application/pem-certificate-chain');
    const pems = dl.body.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    assert.equal(pems.length, 2, 'leaf + intermediate');
    const dir = mkdtempSync(join(tmpdir(), 'chain-'));
    writeFileSync(join(dir, 'root.pem'), f.shomei.rootPem);
    writeFileSync(join(dir, 'int.pem'), pems[1] as string);
    writeFileSync(join(dir, 'leaf.pem'), pems[0] as string);
    const out = execFileSync('openssl', ['verify', '-CAfile', join(dir, 'root.pem'), '-untrusted', join(dir, 'int.pem'), '-purpose', 'sslserver', join(dir, 'leaf.pem')]).toString();
    assert.match(out, /leaf\.pem: OK/);
    const leaf = new X509Certificate(pems[0] as string);
    assert.deepEqual(leaf.subjectAltName?.split(', ').sort(), names.map((n) => `DNS:${n}`).sort());
    const text = execFileSync('openssl', ['x509', '-noout', '-text', '-in', join(dir, 'leaf.pem')]).toString();
    assert.match(text, /Policy: 2\.23\.140\.1\.2\.1/);
    assert.match(text, /TLS Web Server Authentication/);
    assert.match(text, /CA Issuers - URI:http:\/\/localhost:\d+\/issuer\/intermediate\.der/);
    // The AIA URL really serves the issuer.
    const aia = /CA Issuers - URI:(\S+)/.exec(text)?.[1] as string;
    const fetched = Buffer.from(await (await fetch(aia)).arrayBuffer());
    assert.equal(new X509Certificate(fetched).fingerprint256, new X509Certificate(pems[1] as string).fingerprint256);
    // Last valid day = issue date + 90 days in Asia/Tokyo (SPEC §2).
    const days = (new Date(leaf.validTo).getTime() - new Date(leaf.validFrom).getTime()) / 86400000;
    assert.ok(days > 90 && days <= 91, `validity ${days} days`);
  });

  test('§7.4 authorizations are reused by a second order of the same account', async () => {
    await f.readyOrder(acct, ['reuse.example.com']);
    const r = await newOrder(acct, ['reuse.example.com']);
    assert.equal(r.json()['status'], 'ready');
  });

  test('§7.1.2.1 the account orders list is paged with Link rel="next"', async () => {
    const a = await f.newAccount();
    for (let i = 0; i < 3; i++) await newOrder(a, [`list${i}.example.com`]);
    const page = await f.post(a, `${a.url}/orders`, '');
    assert.equal(page.status, 200);
    const first = page.json()['orders'] as string[];
    assert.ok(first.length >= 3);
    const ordersField = (await f.post(a, a.url, '')).json()['orders'];
    assert.equal(ordersField, `${a.url}/orders`);
  });

  test('§7.6 revocation: reason policy, authority, alreadyRevoked', async () => {
    const names = ['revoke.example.net'];
    const { body } = await f.readyOrder(acct, names);
    const csr = await makeCsr(names);
    const fin = (await f.post(acct, body['finalize'] as string, { csr: csr.csrB64u })).json();
    const pem = (await f.post(acct, fin['certificate'] as string, '')).body;
    const der = new X509Certificate(pem).raw.toString('base64url');
    const revokeUrl = f.dir['revokeCert'] as string;
    for (const reason of [2, 6, 8, 9, 10, 7]) {
      const r = await f.post(acct, revokeUrl, { certificate: der, reason });
      assert.equal(r.json()['type'], `${PREFIX}badRevocationReason`, `reason ${reason}`);
    }
    const stranger = await f.newAccount();
    const denied = await f.post(stranger, revokeUrl, { certificate: der, reason: 1 });
    assert.equal(denied.json()['type'], `${PREFIX}unauthorized`);
    // Revocation signed by the certificate key itself (jwk form).
    const certKey = createPrivateKey(csr.keyPem);
    const k: AccountKey = { alg: 'ES256', privateKey: certKey, jwk: await exportJWK(certKey) };
    delete (k.jwk as { d?: string }).d;
    const byKey = await f.acme.post(revokeUrl, await signJws(k, { nonce: await f.acme.nonce(), url: revokeUrl, jwk: k.jwk }, { certificate: der, reason: 1 }));
    assert.equal(byKey.status, 200, byKey.body);
    const again = await f.post(acct, revokeUrl, { certificate: der, reason: 4 });
    assert.equal(again.json()['type'], `${PREFIX}alreadyRevoked`);
    const row = await f.shomei.inst.sa.repos.getCertificate(new X509Certificate(pem).serialNumber.toLowerCase().replace(/^(00)+/, ''));
    assert.equal(row?.revocation_reason, 1);
  });
});
