import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { createPublicKey, generateKeyPairSync, verify, webcrypto } from 'node:crypto';
import { decodeOid, encodeConstructed, encodeOid, encodeTime, encodeUnsignedInteger, readTlv, readWhole } from '../../../src/ca/der.js';
import {
  ECDSA_WITH_SHA256,
  ECDSA_WITH_SHA384,
  generateEcdsaKeyPair,
  nodeEcdsaSigner,
  p1363ToDer,
  webCryptoEcdsaSigner,
} from '../../../src/ca/signer.js';

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

test('OBJECT IDENTIFIERs encode and decode (X.690 §8.19), non-minimal sub-identifiers refused', () => {
  for (const oid of ['2.5.29.17', '1.2.840.113549.1.9.14', '1.2.840.10045.4.3.2', '2.23.140.1.2.1', '0.9.2342.19200300.100.1.25', '2.999.3']) {
    const der = encodeOid(oid);
    assert.equal(der[0], 0x06);
    assert.equal(decodeOid(der.subarray(2)), oid);
  }
  assert.equal(Buffer.from(encodeOid('1.2.840.10045.4.3.2')).toString('hex'), '06082a8648ce3d040302');
  assert.throws(() => decodeOid(Uint8Array.of(0x2a, 0x80, 0x01)), /non-minimal/);
  assert.throws(() => decodeOid(Uint8Array.of(0x2a, 0x86)), /truncated/);
  assert.throws(() => decodeOid(new Uint8Array(0)), /empty/);
});

test('encodeTime: UTCTime 1950–2049, GeneralizedTime otherwise, whole seconds (RFC 5280 §4.1.2.5)', () => {
  const s = (d: string) => Buffer.from(encodeTime(new Date(d))).toString('latin1');
  assert.equal(s('2026-11-21T09:08:07.999Z'), '\x17\x0d261121090807Z');
  assert.equal(s('2049-12-31T23:59:59Z'), '\x17\x0d491231235959Z');
  assert.equal(s('2050-01-01T00:00:00Z'), '\x18\x0f20500101000000Z');
  assert.equal(s('1950-01-01T00:00:00Z'), '\x17\x0d500101000000Z');
  assert.equal(s('1949-12-31T23:59:59Z'), '\x18\x0f19491231235959Z');
});

test('long lengths use the minimal long form', () => {
  for (const n of [0, 127, 128, 255, 256, 65535, 65536]) {
    const der = encodeConstructed(0x30, [new Uint8Array(n)]);
    const t = readWhole(der);
    assert.equal(t.end - t.contentStart, n);
  }
});

test('Node keys sign through node:crypto, other WebCrypto providers through their subtle; both verify', async () => {
  const pair = await generateEcdsaKeyPair('P-256', false);
  const spki = new Uint8Array(await webcrypto.subtle.exportKey('spki', pair.publicKey));
  const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  let providerCalls = 0;
  // A stand-in for a PKCS#11 provider: a different SubtleCrypto object.
  const provider = {
    sign: (...args: Parameters<webcrypto.SubtleCrypto['sign']>) => {
      providerCalls++;
      return webcrypto.subtle.sign(...args);
    },
  } as unknown as webcrypto.SubtleCrypto;
  const data = new TextEncoder().encode('tbs');
  for (const signer of [webCryptoEcdsaSigner(pair.privateKey, spki), webCryptoEcdsaSigner(pair.privateKey, spki, provider)]) {
    const sig = await signer.sign(data);
    assert.equal(verify('sha256', data, { key, dsaEncoding: 'der' }, sig), true);
  }
  assert.equal(providerCalls, 1);
  const nodeKey = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const s384 = nodeEcdsaSigner(nodeKey.privateKey, new Uint8Array(nodeKey.publicKey.export({ type: 'spki', format: 'der' })));
  assert.equal(s384.signatureAlgorithmOid, ECDSA_WITH_SHA384);
  assert.equal(verify('sha384', data, { key: nodeKey.publicKey, dsaEncoding: 'der' }, await s384.sign(data)), true);
  assert.throws(() => nodeEcdsaSigner(generateKeyPairSync('ec', { namedCurve: 'P-521' }).privateKey, spki), /P-256 or P-384/);
  assert.throws(() => nodeEcdsaSigner(generateKeyPairSync('ed25519').privateKey, spki), /P-256 or P-384/);
});
