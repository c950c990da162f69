import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { ProtocolFixture, type Account } from '../support/protocol-fixture.js';
import { eabJws, newAccountKey, signJws } from '../support/raw-acme.js';

const PREFIX = 'urn:ietf:params:acme:error:';

describe('JWS request checks (RFC 8555 §6.2–§6.5)', () => {
  let f: ProtocolFixture;
  let acct: Account;
  before(async () => {
    f = await ProtocolFixture.start();
    acct = await f.newAccount();
  });
  after(async () => f.close());

  test('§6.5 a replayed nonce is badNonce with a fresh Replay-Nonce', async () => {
    const url = f.dir['newOrder'] as string;
    const jws = await signJws(acct.key, { nonce: await f.acme.nonce(), url, kid: acct.url }, { identifiers: [{ type: 'dns', value: 'replay.example.com' }] });
    const first = await f.acme.post(url, jws);
    assert.equal(first.status, 201, first.body);
    const second = await f.acme.post(url, jws);
    assert.equal(second.status, 400);
    assert.equal(second.json()['type'], `${PREFIX}badNonce`);
    assert.match(String(second.headers['replay-nonce']), /^[A-Za-z0-9_-]{42}$/);
  });

  test('§6.5 a nonce the server never issued is badNonce', async () => {
    const url = f.dir['newOrder'] as string;
    const jws = await signJws(acct.key, { nonce: 'AAAAAAAAAAAAAAAAAAAAAA', url, kid: acct.url }, { identifiers: [] });
    const r = await f.acme.post(url, jws);
    assert.equal(r.json()['type'], `${PREFIX}badNonce`);
  });

  test('§6.4 a url header different from the request URL is unauthorized', async () => {
    const r = await f.acme.signed(f.dir['newOrder'] as string, acct.key, { identifiers: [] }, { kid: acct.url, url: f.dir['revokeCert'] });
    assert.equal(r.status, 403);
    assert.equal(r.json()['type'], `${PREFIX}unauthorized`);
  });

  test('§6.2 jwk where kid is required is malformed', async () => {
    const r = await f.acme.signed(f.dir['newOrder'] as string, acct.key, { identifiers: [] }, { jwk: acct.key.jwk });
    assert.equal(r.status, 400);
    assert.equal(r.json()['type'], `${PREFIX}malformed`);
    assert.match(String(r.json()['detail']), /kid/);
  });

  test('§6.2 kid on newAccount is malformed', async () => {
    const r = await f.acme.signed(f.dir['newAccount'] as string, acct.key, { termsOfServiceAgreed: true }, { kid: acct.url });
    assert.equal(r.json()['type'], `${PREFIX}malformed`);
  });

  test('§6.2 both jwk and kid is malformed', async () => {
    const r = await f.acme.signed(f.dir['newOrder'] as string, acct.key, { identifiers: [] }, { kid: acct.url, jwk: acct.key.jwk });
    assert.equal(r.json()['type'], `${PREFIX}malformed`);
  });

  test('§6.2 a jwk holding a private key is refused', async () => {
    const r = await f.acme.signed(f.dir['newAccount'] as string, acct.key, {}, { jwk: { ...acct.key.jwk, d: 'AAAA' } });
    assert.equal(r.json()['type'], `${PREFIX}malformed`);
  });

  for (const alg of ['none', 'HS256', 'RS1']) {
    test(`§6.2 alg ${alg} is badSignatureAlgorithm listing the supported algorithms`, async () => {
      const nonce = await f.acme.nonce();
      const url = f.dir['newOrder'] as string;
      const prot = Buffer.from(JSON.stringify({ alg, nonce, url, kid: acct.url })).toString('base64url');
      const r = await f.acme.post(url, { protected: prot, payload: '', signature: 'AAAA' });
      assert.equal(r.status, 400);
      const body = r.json();
      assert.equal(body['type'], `${PREFIX}badSignatureAlgorithm`);
      assert.ok((body['algorithms'] as string[]).includes('ES256'));
    });
  }

  test('RFC 7515 a signature by another key is refused', async () => {
    const other = await newAccountKey();
    const r = await f.acme.signed(f.dir['newOrder'] as string, other, { identifiers: [] }, { kid: acct.url });
    assert.equal(r.status, 400);
    assert.equal(r.json()['type'], `${PREFIX}malformed`);
    assert.match(String(r.json()['detail']), /signature/);
  });

  test('§6.2 an alg that does not fit the key is refused', async () => {
    const nonce = await f.acme.nonce();
    const url = f.dir['newOrder'] as string;
    const jws = await signJws(acct.key, { nonce, url, kid: acct.url }, { identifiers: [] });
    const prot = JSON.parse(Buffer.from(jws.protected, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...prot, alg: 'RS256' })).toString('base64url');
    const r = await f.acme.post(url, { ...jws, protected: forged });
    assert.equal(r.status, 400);
    assert.equal(r.json()['type'], `${PREFIX}badSignatureAlgorithm`);
  });

  test('§7.3 an unknown kid is accountDoesNotExist', async () => {
    const r = await f.acme.signed(f.dir['newOrder'] as string, acct.key, { identifiers: [] }, { kid: `${acct.url}x` });
    assert.equal(r.json()['type'], `${PREFIX}accountDoesNotExist`);
  });

  for (const alg of ['ES384', 'RS256', 'PS256', 'EdDSA'] as const) {
    test(`§6.2 accounts with ${alg} keys work`, async () => {
      const a = await f.newAccount(await newAccountKey(alg));
      const r = await f.post(a, a.url, '');
      assert.equal(r.status, 200, r.body);
      assert.equal(r.json()['status'], 'valid');
    });
  }

  test('§7.3.4 EAB MAC algorithms HS384 and HS512 are accepted', async () => {
    for (const alg of ['HS384', 'HS512'] as const) {
      const k = await newAccountKey();
      const eab = await f.shomei.mintEab();
      const url = f.dir['newAccount'] as string;
      const r = await f.acme.signed(url, k, { termsOfServiceAgreed: true, externalAccountBinding: eabJws(k.jwk, eab.kid, eab.hmacKey, url, alg) }, { jwk: k.jwk });
      assert.equal(r.status, 201, r.body);
    }
  });
});
