import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { ShomeiError } from '../../../src/core/errors.js';
import { thumbprint } from '../../../src/ra/accounts.js';
import { checkJwsAlg } from '../../../src/wfe/jws/check-jws-alg.js';
import { checkJwsKeyChoice } from '../../../src/wfe/jws/check-jws-key-choice.js';
import { checkJwsNonce } from '../../../src/wfe/jws/check-jws-nonce.js';
import { checkJwsUrl } from '../../../src/wfe/jws/check-jws-url.js';
import { parseFlattenedJws } from '../../../src/wfe/jws/parse-flattened-jws.js';
import { verifyJwsSignature } from '../../../src/wfe/jws/verify-jws-signature.js';
import type { NonceService } from '../../../src/wfe/nonce-service.js';

const kind = (k: string) => (e: unknown) => e instanceof ShomeiError && e.kind === k;

// RFC 7515 Appendix A.3: the ES256 example (compact parts, identical in flattened form).
const A3 = {
  jwk: { kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' },
  protected: 'eyJhbGciOiJFUzI1NiJ9',
  payload: 'eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ',
  signature: 'DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q',
};

// RFC 7638 §3.1: the thumbprint example.
const RFC7638_JWK = {
  kty: 'RSA',
  n: '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
  e: 'AQAB',
};

describe('RFC 7515 / RFC 7638 test vectors', () => {
  test('RFC 7515 A.3: the ES256 example verifies', async () => {
    await verifyJwsSignature({ protected: A3.protected, payload: A3.payload, signature: A3.signature }, A3.jwk, 'ES256');
  });
  test('RFC 7515 A.3 with one payload byte changed is refused', async () => {
    const payload = `f${A3.payload.slice(1)}`;
    await assert.rejects(verifyJwsSignature({ protected: A3.protected, payload, signature: A3.signature }, A3.jwk, 'ES256'), kind('malformed'));
  });
  test('RFC 7638 §3.1: JWK thumbprint', async () => {
    assert.equal(await thumbprint(RFC7638_JWK), 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });
  test('RFC 7515 §5.2 / RFC 8555 §6.2: alg must fit the key (ES384 header on a P-256 key)', async () => {
    await assert.rejects(verifyJwsSignature({ protected: A3.protected, payload: A3.payload, signature: A3.signature }, A3.jwk, 'ES384'), kind('badSignatureAlgorithm'));
  });
});

describe('RFC 8555 §6.2 flattened JWS and protected header', () => {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  test('accepts exactly protected/payload/signature', () => {
    const p = parseFlattenedJws(JSON.stringify({ protected: enc({ alg: 'ES256' }), payload: '', signature: 'AA' }));
    assert.equal(p.header.alg, 'ES256');
  });
  for (const [name, body] of [
    ['extra member', { protected: enc({}), payload: '', signature: 'AA', extra: 1 }],
    ['padding in base64url', { protected: `${enc({})}=`, payload: '', signature: 'AA' }],
    ['header not an object', { protected: enc([1]), payload: '', signature: 'AA' }],
    ['missing signature', { protected: enc({}), payload: '' }],
  ] as const) {
    test(`refuses ${name}`, () => assert.throws(() => parseFlattenedJws(JSON.stringify(body)), kind('malformed')));
  }
  test('§6.2 alg: none and MACs are badSignatureAlgorithm; missing alg is malformed', () => {
    assert.throws(() => checkJwsAlg({ alg: 'none' }), kind('badSignatureAlgorithm'));
    assert.throws(() => checkJwsAlg({ alg: 'HS256' }), kind('badSignatureAlgorithm'));
    assert.throws(() => checkJwsAlg({}), kind('malformed'));
    assert.equal(checkJwsAlg({ alg: 'EdDSA' }), 'EdDSA');
  });
  test('§6.4 url must equal the request URL exactly', () => {
    checkJwsUrl({ url: 'https://ca/acme/new-order' }, 'https://ca/acme/new-order');
    assert.throws(() => checkJwsUrl({ url: 'https://ca/acme/new-order/' }, 'https://ca/acme/new-order'), kind('unauthorized'));
    assert.throws(() => checkJwsUrl({}, 'https://ca/acme/new-order'), kind('malformed'));
  });
  test('§6.2 jwk xor kid, per resource', () => {
    assert.equal(checkJwsKeyChoice({ jwk: A3.jwk }, 'jwk'), 'jwk');
    assert.equal(checkJwsKeyChoice({ kid: 'https://ca/acme/acct/1' }, 'either'), 'kid');
    assert.throws(() => checkJwsKeyChoice({ jwk: A3.jwk }, 'kid'), kind('malformed'));
    assert.throws(() => checkJwsKeyChoice({ kid: 'x' }, 'jwk'), kind('malformed'));
    assert.throws(() => checkJwsKeyChoice({}, 'either'), kind('malformed'));
    assert.throws(() => checkJwsKeyChoice({ kid: 5 }, 'kid'), kind('malformed'));
  });
  test('§6.5 nonce: missing, malformed or unknown is badNonce; a good one passes once', async () => {
    const issued = new Set(['good']);
    const nonces = { redeem: async (v: string) => issued.delete(v) } as unknown as NonceService;
    await assert.rejects(checkJwsNonce({}, nonces), kind('badNonce'));
    await assert.rejects(checkJwsNonce({ nonce: 'not base64url!' }, nonces), kind('badNonce'));
    await checkJwsNonce({ nonce: 'good' }, nonces);
    await assert.rejects(checkJwsNonce({ nonce: 'good' }, nonces), kind('badNonce'));
  });
});
