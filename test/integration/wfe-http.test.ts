import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { ProtocolFixture } from '../support/protocol-fixture.js';
import { httpsRequest } from '../support/raw-acme.js';

const PREFIX = 'urn:ietf:params:acme:error:';

describe('ACME HTTP surface (RFC 8555 §6, §7.1, §7.2)', () => {
  let f: ProtocolFixture;
  before(async () => {
    f = await ProtocolFixture.start();
  });
  after(async () => f.close());

  test('§7.1.1 directory lists the resources and meta with externalAccountRequired', async () => {
    const r = await httpsRequest(f.shomei.directoryUrl, { ca: f.shomei.rootPem });
    assert.equal(r.status, 200);
    const d = r.json() as Record<string, unknown>;
    for (const k of ['newNonce', 'newAccount', 'newOrder', 'revokeCert', 'keyChange']) assert.match(String(d[k]), /^https:\/\/localhost:\d+\/acme\//);
    const meta = d['meta'] as Record<string, unknown>;
    assert.equal(meta['externalAccountRequired'], true);
    assert.equal(meta['termsOfService'], 'https://shomei.test/terms/v1');
    assert.deepEqual(meta['caaIdentities'], ['shomei.test']);
    assert.ok(typeof meta['website'] === 'string');
    assert.match(String(r.headers['replay-nonce']), /^[A-Za-z0-9_-]{42}$/);
  });

  test('§7.2 newNonce: HEAD 200 and GET 204, Cache-Control no-store, fresh nonces, Link index', async () => {
    const head = await httpsRequest(f.dir['newNonce'] as string, { method: 'HEAD', ca: f.shomei.rootPem });
    const get = await httpsRequest(f.dir['newNonce'] as string, { ca: f.shomei.rootPem });
    assert.equal(head.status, 200);
    assert.equal(get.status, 204);
    for (const r of [head, get]) {
      assert.equal(r.headers['cache-control'], 'no-store');
      assert.match(String(r.headers['link']), /rel="index"/);
    }
    assert.notEqual(head.headers['replay-nonce'], get.headers['replay-nonce']);
  });

  test('§6.3 GET on a POST-as-GET resource is 405 malformed with Allow: POST', async () => {
    const r = await httpsRequest(f.dir['newOrder'] as string, { ca: f.shomei.rootPem });
    assert.equal(r.status, 405);
    assert.equal(r.headers['allow'], 'POST');
    assert.equal(r.headers['content-type'], 'application/problem+json');
    assert.equal(r.json()['type'], `${PREFIX}malformed`);
  });

  test('unknown URL is a 404 problem document with a nonce', async () => {
    const r = await httpsRequest(`${f.shomei.inst.config.acme.baseUrl}/acme/nope`, { ca: f.shomei.rootPem });
    assert.equal(r.status, 404);
    assert.equal(r.json()['type'], `${PREFIX}malformed`);
    assert.ok(r.headers['replay-nonce']);
  });

  test('§6.2 wrong Content-Type is 415 malformed', async () => {
    const r = await f.acme.post(f.dir['newAccount'] as string, '{}', 'application/json');
    assert.equal(r.status, 415);
    assert.equal(r.json()['type'], `${PREFIX}malformed`);
  });

  test('oversize body is 413 malformed, the server keeps serving', async () => {
    const r = await f.acme.post(f.dir['newAccount'] as string, 'x'.repeat(200 * 1024));
    assert.equal(r.status, 413);
    assert.equal(r.json()['type'], `${PREFIX}malformed`);
    const again = await httpsRequest(f.shomei.directoryUrl, { ca: f.shomei.rootPem });
    assert.equal(again.status, 200);
  });

  for (const [name, body] of [
    ['not JSON', '{nope'],
    ['a JSON array', '[]'],
    ['general serialization', JSON.stringify({ payload: '', signatures: [] })],
    ['unprotected header', JSON.stringify({ protected: 'e30', header: {}, payload: '', signature: 'AA' })],
    ['empty body', ''],
  ] as const) {
    test(`§6.2 a body that is ${name} is 400 malformed`, async () => {
      const r = await f.acme.post(f.dir['newAccount'] as string, body);
      assert.equal(r.status, 400, r.body);
      assert.equal(r.json()['type'], `${PREFIX}malformed`);
      assert.ok(r.headers['replay-nonce']);
    });
  }
});
