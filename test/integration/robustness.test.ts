import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { ProtocolFixture, type Account } from '../support/protocol-fixture.js';
import { httpsRequest, signJws } from '../support/raw-acme.js';

/**
 * "No input crashes the process or returns a 500": hostile and nonsensical
 * requests to every resource get a 4xx problem document, and the server keeps
 * answering.
 */
describe('robustness: bad input never yields a 5xx', () => {
  let f: ProtocolFixture;
  let acct: Account;
  let urls: string[];
  before(async () => {
    f = await ProtocolFixture.start();
    acct = await f.newAccount();
    const order = await f.post(acct, f.dir['newOrder'] as string, { identifiers: [{ type: 'dns', value: 'fuzz.example.com' }] });
    const o = order.json();
    const authzUrl = (o['authorizations'] as string[])[0] as string;
    const chUrl = ((await f.post(acct, authzUrl, '')).json()['challenges'] as { url: string }[])[0]?.url as string;
    urls = [
      f.dir['newAccount'], f.dir['newOrder'], f.dir['revokeCert'], f.dir['keyChange'], acct.url, `${acct.url}/orders`,
      order.headers['location'] as string, o['finalize'] as string, authzUrl, chUrl, `${f.shomei.inst.config.acme.baseUrl}/acme/cert/00ff`,
    ] as string[];
  });
  after(async () => f.close());

  const expect4xx = (r: { status: number; body: string; headers: Record<string, unknown> }, what: string) => {
    assert.ok(r.status >= 400 && r.status < 500, `${what}: status ${r.status} ${r.body.slice(0, 300)}`);
    assert.equal(r.headers['content-type'], 'application/problem+json', what);
  };

  test('random bytes and odd JWS shapes on every resource', async () => {
    const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const bodies: string[] = [
      randomBytes(64).toString('latin1'),
      'null', '"x"', '1', '{}', '{"protected":1,"payload":"","signature":"AA"}',
      JSON.stringify({ protected: enc({ alg: 1, nonce: [], url: {} }), payload: '', signature: 'AA' }),
      JSON.stringify({ protected: enc({ alg: 'ES256', nonce: 'x', url: 'y', jwk: 'str' }), payload: '', signature: 'AA' }),
      JSON.stringify({ protected: enc({ alg: 'ES256', nonce: 'x', url: 'y', kid: 12 }), payload: '', signature: 'AA' }),
      JSON.stringify({ protected: enc({ alg: 'ES256', jwk: { kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' } }), payload: '', signature: 'AA' }),
      JSON.stringify({ protected: 'bm90IGpzb24', payload: '', signature: 'AA' }),
      JSON.stringify({ protected: enc({}), payload: '!!!', signature: 'AA' }),
    ];
    for (const url of urls) for (const body of bodies) expect4xx(await f.acme.post(url, body), `${url} ← ${body.slice(0, 40)}`);
  });

  test('well-signed requests with nonsensical payloads', async () => {
    const payloads: unknown[] = [[], 'str', 42, null, { identifiers: 'x' }, { identifiers: [1] }, { identifiers: [{ type: 'dns', value: 7 }] },
      { csr: 5 }, { csr: '!!' }, { csr: 'AAAA' }, { certificate: 'AAAA' }, { certificate: 12, reason: 'x' }, { status: 'valid' },
      { contact: [{}] }, { account: 1, oldKey: 'x' }, { protected: 1 }];
    for (const url of urls) {
      for (const p of payloads) {
        const jws = await signJws(acct.key, { nonce: await f.acme.nonce(), url, kid: acct.url }, p);
        const r = await f.acme.post(url, jws);
        assert.ok(r.status < 500, `${url} ← ${JSON.stringify(p)}: ${r.status} ${r.body.slice(0, 300)}`);
      }
    }
  });

  test('the server still serves after all that', async () => {
    const r = await httpsRequest(f.shomei.directoryUrl, { ca: f.shomei.rootPem });
    assert.equal(r.status, 200);
  });
});
