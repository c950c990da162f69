import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { createPublicKey, verify, webcrypto } from 'node:crypto';
import { encodeUnsignedInteger, readTlv, readWhole } from '../../../src/ca/der.js';
import { ECDSA_WITH_SHA256, ECDSA_WITH_SHA384, generateEcdsaKeyPair, p1363ToDer, webCryptoEcdsaSigner } from '../../../src/ca/signer.js';

test('X.690 §10.1: indefinite and non-minimal lengths and trailing bytes are refused', () => {
  assert.throws(() => readTlv(Uint8Array.of(0x30, 0x80, 0, 0)), /indefinite/);
  assert.throws(() => readTlv(Uint8Array.of(0x04, 0x81, 0x01, 0xaa)), /non-minimal/);
  assert.throws(() => readTlv(Uint8Array.of(0x04, 0x82, 0x00, 0x80, ...new Uint8Array(128))), /non-minimal/);
  assert.throws(() => readWhole(Uint8Array.of(0x05, 0x00, 0x00)), /trailing/);
  assert.throws(() => readTlv(Uint8Array.of(0x04, 0x05, 1, 2)), /runs past/);
  const t = readTlv(Uint8Array.of(0x04, 0x81, 0x80, ...new Uint8Array(128)));
  assert.deepEqual([t.contentStart, t.end], [3, 131]);
});

test('INTEGERs are minimal and positive (X.690 §8.3)', () => {
  assert.deepEqual([...encodeUnsignedInteger(Uint8Array.of(0, 0, 0x7f))], [2, 1, 0x7f]);
  assert.deepEqual([...encodeUnsignedInteger(Uint8Array.of(0x80))], [2, 2, 0, 0x80]);
  assert.deepEqual([...encodeUnsignedInteger(Uint8Array.of(0, 0))], [2, 1, 0]);
});

test('P1363 → ECDSA-Sig-Value (RFC 3279 §2.2.3)', () => {
  const raw = new Uint8Array(64);
  raw[0] = 0x80; // r needs a sign byte
  raw[63] = 0x01; // s is 1: leading zeros dropped
  const der = p1363ToDer(raw, 32);
  assert.equal(Buffer.from(der).toString('hex'), `3026022100800000${'00'.repeat(29)}020101`);
  assert.throws(() => p1363ToDer(new Uint8Array(63), 32));
});

test('WebCrypto signers: curve decides the hash (BR §7.1.3.2.2) and signatures verify as DER', async () => {
  for (const [curve, oid, hash] of [
    ['P-256', ECDSA_WITH_SHA256, 'sha256'],
    ['P-384', ECDSA_WITH_SHA384, 'sha384'],
  ] as const) {
    const pair = await generateEcdsaKeyPair(curve, false);
    const spki = new Uint8Array(await webcrypto.subtle.exportKey('spki', pair.publicKey));
    const signer = webCryptoEcdsaSigner(pair.privateKey, spki);
    assert.equal(signer.signatureAlgorithmOid, oid);
    const data = new TextEncoder().encode('to be signed');
    const sig = await signer.sign(data);
    const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    assert.equal(verify(hash, data, { key, dsaEncoding: 'der' }, sig), true);
    assert.equal(verify(hash, new TextEncoder().encode('other'), { key, dsaEncoding: 'der' }, sig), false);
  }
});

test('non-ECDSA or P-521 keys cannot become CA signers', async () => {
  const p521 = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-521' }, false, ['sign', 'verify']);
  assert.throws(() => webCryptoEcdsaSigner(p521.privateKey, new Uint8Array()), /P-256 or P-384/);
});
