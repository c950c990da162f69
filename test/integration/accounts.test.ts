import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { ProtocolFixture } from '../support/protocol-fixture.js';
import { eabJws, newAccountKey, signJws } from '../support/raw-acme.js';
import { revokeEabCredentials } from '../../src/admin/eab.js';
import { systemClock } from '../../src/core/clock.js';

const PREFIX = 'urn:ietf:params:acme:error:';

describe('Accounts (RFC 8555 §7.3)', () => {
  let f: ProtocolFixture;
  before(async () => {
    f = await ProtocolFixture.start();
  });
  after(async () => f.close());

  const newAccountUrl = () => f.dir['newAccount'] as string;

  test('§7.3.4 newAccount without externalAccountBinding is externalAccountRequired', async () => {
    const k = await newAccountKey();
    const r = await f.acme.signed(newAccountUrl(), k, { termsOfServiceAgreed: true }, { jwk: k.jwk });
    assert.equal(r.status, 400);
    assert.equal(r.json()['type'], `${PREFIX}externalAccountRequired`);
  });

  test('§7.3.4 a wrong EAB MAC is unauthorized and creates nothing', async () => {
    const k = await newAccountKey();
    const eab = await f.shomei.mintEab();
    const wrongKey = Buffer.alloc(32, 7).toString('base64url');
    const r = await f.acme.signed(newAccountUrl(), k, { termsOfServiceAgreed: true, externalAccountBinding: eabJws(k.jwk, eab.kid, wrongKey, newAccountUrl()) }, { jwk: k.jwk });
    assert.equal(r.status, 403);
    assert.equal(r.json()['type'], `${PREFIX}unauthorized`);
    const again = await f.acme.signed(newAccountUrl(), k, { onlyReturnExisting: true }, { jwk: k.jwk });
    assert.equal(again.json()['type'], `${PREFIX}accountDoesNotExist`);
  });

  test('§7.3.4 an EAB binding another key is unauthorized', async () => {
    const k = await newAccountKey();
    const other = await newAccountKey();
    const eab = await f.shomei.mintEab();
    const r = await f.acme.signed(newAccountUrl(), k, { termsOfServiceAgreed: true, externalAccountBinding: eabJws(other.jwk, eab.kid, eab.hmacKey, newAccountUrl()) }, { jwk: k.jwk });
    assert.equal(r.json()['type'], `${PREFIX}unauthorized`);
    assert.match(String(r.json()['detail']), /same key/);
  });

  test('§7.3.4 an unknown or revoked EAB kid is unauthorized', async () => {
    const k = await newAccountKey();
    const eab = await f.shomei.mintEab();
    const unknown = await f.acme.signed(newAccountUrl(), k, { termsOfServiceAgreed: true, externalAccountBinding: eabJws(k.jwk, 'kid-nope', eab.hmacKey, newAccountUrl()) }, { jwk: k.jwk });
    assert.equal(unknown.json()['type'], `${PREFIX}unauthorized`);
    assert.equal(await revokeEabCredentials({ sa: f.shomei.inst.sa, clock: systemClock }, eab.kid), true);
    const revoked = await f.acme.signed(newAccountUrl(), k, { termsOfServiceAgreed: true, externalAccountBinding: eabJws(k.jwk, eab.kid, eab.hmacKey, newAccountUrl()) }, { jwk: k.jwk });
    assert.equal(revoked.json()['type'], `${PREFIX}unauthorized`);
    assert.match(String(revoked.json()['detail']), /revoked/);
  });

  test('§7.3.4 an EAB with a url other than newAccount is unauthorized', async () => {
    const k = await newAccountKey();
    const eab = await f.shomei.mintEab();
    const r = await f.acme.signed(newAccountUrl(), k, { termsOfServiceAgreed: true, externalAccountBinding: eabJws(k.jwk, eab.kid, eab.hmacKey, f.dir['newOrder'] as string) }, { jwk: k.jwk });
    assert.equal(r.json()['type'], `${PREFIX}unauthorized`);
  });

  test('§7.3 terms must be agreed', async () => {
    const k = await newAccountKey();
    const eab = await f.shomei.mintEab();
    const r = await f.acme.signed(newAccountUrl(), k, { externalAccountBinding: eabJws(k.jwk, eab.kid, eab.hmacKey, newAccountUrl()) }, { jwk: k.jwk });
    assert.equal(r.status, 400);
    assert.match(String(r.json()['detail']), /terms of service/);
  });

  test('§7.3 contact: only valid mailto addresses', async () => {
    const cases: [unknown, string][] = [
      [['tel:+81312345678'], 'unsupportedContact'],
      [['mailto:not-an-address'], 'invalidContact'],
      [['mailto:a@example.com?subject=x'], 'invalidContact'],
      [['mailto:a@example.com,b@example.com'], 'invalidContact'],
      ['mailto:a@example.com', 'malformed'],
    ];
    for (const [contact, type] of cases) {
      const k = await newAccountKey();
      const eab = await f.shomei.mintEab();
      const r = await f.acme.signed(newAccountUrl(), k, { termsOfServiceAgreed: true, contact, externalAccountBinding: eabJws(k.jwk, eab.kid, eab.hmacKey, newAccountUrl()) }, { jwk: k.jwk });
      assert.equal(r.json()['type'], `${PREFIX}${type}`, `contact ${JSON.stringify(contact)}`);
    }
  });

  test('§7.3 the same key again returns the existing account (200 + Location); onlyReturnExisting finds it', async () => {
    const a = await f.newAccount(undefined, { contact: ['mailto:admin@example.com'] });
    const eab = await f.shomei.mintEab();
    const again = await f.acme.signed(newAccountUrl(), a.key, { termsOfServiceAgreed: true, externalAccountBinding: eabJws(a.key.jwk, eab.kid, eab.hmacKey, newAccountUrl()) }, { jwk: a.key.jwk });
    assert.equal(again.status, 200);
    assert.equal(again.headers['location'], a.url);
    const only = await f.acme.signed(newAccountUrl(), a.key, { onlyReturnExisting: true }, { jwk: a.key.jwk });
    assert.equal(only.status, 200);
    assert.equal(only.headers['location'], a.url);
    assert.deepEqual(only.json()['contact'], ['mailto:admin@example.com']);
  });

  test('§7.3.2 contact update; another account cannot touch it', async () => {
    const a = await f.newAccount();
    const b = await f.newAccount();
    const upd = await f.post(a, a.url, { contact: ['mailto:new@example.jp'] });
    assert.equal(upd.status, 200);
    assert.deepEqual(upd.json()['contact'], ['mailto:new@example.jp']);
    const foreign = await f.post(b, a.url, { contact: ['mailto:evil@example.com'] });
    assert.equal(foreign.status, 403);
    const read = await f.post(a, a.url, '');
    assert.deepEqual(read.json()['contact'], ['mailto:new@example.jp']);
  });

  test('§7.3.5 keyChange moves the account to the new key; the old key stops working', async () => {
    const a = await f.newAccount();
    const newKey = await newAccountKey();
    const url = f.dir['keyChange'] as string;
    const inner = await signJws(newKey, { url, jwk: newKey.jwk }, { account: a.url, oldKey: a.key.jwk });
    const r = await f.post(a, url, inner);
    assert.equal(r.status, 200, r.body);
    const withOld = await f.post(a, a.url, '');
    assert.equal(withOld.status, 400);
    assert.equal(withOld.json()['type'], `${PREFIX}malformed`);
    const withNew = await f.acme.signed(a.url, newKey, '', { kid: a.url });
    assert.equal(withNew.status, 200);
  });

  test('§7.3.5 keyChange refuses a wrong oldKey, a nonce in the inner JWS, and a key in use (409 + Location)', async () => {
    const a = await f.newAccount();
    const b = await f.newAccount();
    const url = f.dir['keyChange'] as string;
    const k = await newAccountKey();
    const wrongOld = await signJws(k, { url, jwk: k.jwk }, { account: a.url, oldKey: b.key.jwk });
    assert.equal((await f.post(a, url, wrongOld)).json()['type'], `${PREFIX}malformed`);
    const withNonce = await signJws(k, { url, jwk: k.jwk, nonce: await f.acme.nonce() }, { account: a.url, oldKey: a.key.jwk });
    assert.equal((await f.post(a, url, withNonce)).json()['type'], `${PREFIX}malformed`);
    const inUse = await signJws(b.key, { url, jwk: b.key.jwk }, { account: a.url, oldKey: a.key.jwk });
    const r = await f.post(a, url, inUse);
    assert.equal(r.status, 409);
    assert.equal(r.headers['location'], b.url);
  });

  test('§7.3.6 a deactivated account can do nothing more', async () => {
    const a = await f.newAccount();
    const r = await f.post(a, a.url, { status: 'deactivated' });
    assert.equal(r.status, 200);
    assert.equal(r.json()['status'], 'deactivated');
    const after = await f.post(a, f.dir['newOrder'] as string, { identifiers: [{ type: 'dns', value: 'x.example.com' }] });
    assert.equal(after.status, 403);
    assert.equal(after.json()['type'], `${PREFIX}unauthorized`);
  });
});
