import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { createHash, createPublicKey, ECDH, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { RSAPublicKey } from '@peculiar/asn1-rsa';
import { AlgorithmIdentifier, GeneralName, SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import type { JWK } from 'jose';
import { checkCsr } from '../../../src/ca/csr.js';
import { children, encodeSequence, readWhole } from '../../../src/ca/der.js';
import { checkSubscriberKey, previouslyCheckedKey } from '../../../src/ca/key-policy.js';
import { ROCA_MODULUS } from '../../../src/ca/weak-rsa.js';
import { jwkToSpki, sha256Hex } from '../../../src/core/keys.js';
import { isShomeiError, type ErrorKind } from '../../../src/core/errors.js';
import { makeCsr, nextPrime, prime1024, rocaStylePrime, rsaKeyFromPrimes, spkiOf } from './fixtures.js';

const ec = (namedCurve: string): KeyObject => generateKeyPairSync('ec', { namedCurve }).privateKey;
const rsa = (modulusLength: number, publicExponent = 65537): KeyObject =>
  generateKeyPairSync('rsa', { modulusLength, publicExponent }).privateKey;

async function refused(der: Uint8Array, kind: ErrorKind, detail: RegExp, opts = {}): Promise<void> {
  await assert.rejects(checkCsr(der, opts), (e: unknown) => {
    assert.ok(isShomeiError(e), `expected ShomeiError, got ${String(e)}`);
    assert.equal(e.kind, kind);
    assert.match(e.detail, detail);
    return true;
  });
}

/** An RSA SPKI with a chosen exponent around a real modulus. */
function rsaSpkiWithExponent(e: number): Uint8Array {
  const spki = AsnConvert.parse(spkiOf(rsa(2048)), SubjectPublicKeyInfo);
  const pub = AsnConvert.parse(spki.subjectPublicKey, RSAPublicKey);
  pub.publicExponent = new Uint8Array([(e >> 16) & 0xff, (e >> 8) & 0xff, e & 0xff]).buffer;
  spki.subjectPublicKey = AsnConvert.serialize(pub);
  return new Uint8Array(AsnConvert.serialize(spki));
}

test('P-256 CSR: names from SAN and CN, lower-cased, de-duplicated, sorted', async () => {
  const key = ec('P-256');
  const csr = makeCsr({ key, dnsNames: ['WWW.Example.com', 'example.com', 'www.example.com'], cn: 'Mail.Example.COM' });
  const out = await checkCsr(csr);
  assert.deepEqual(out.names, ['example.com', 'mail.example.com', 'www.example.com']);
  assert.equal(out.keyType, 'P-256');
  assert.equal(out.rsaBits, undefined);
  assert.deepEqual(Buffer.from(out.spki), Buffer.from(spkiOf(key)));
  assert.equal(out.spkiSha256, createHash('sha256').update(spkiOf(key)).digest('hex'));
});

test('P-384 and RSA-2048 (e = 3 is allowed by BR §6.1.6) are accepted', async () => {
  assert.equal((await checkCsr(makeCsr({ key: ec('P-384'), dnsNames: ['a.example'], hash: 'sha384' }))).keyType, 'P-384');
  const r = await checkCsr(makeCsr({ key: rsa(2048, 3), dnsNames: ['a.example'] }));
  assert.equal(r.keyType, 'RSA');
  assert.equal(r.rsaBits, 2048);
});

test('CN-only CSR yields the CN as the name', async () => {
  assert.deepEqual((await checkCsr(makeCsr({ key: ec('P-256'), cn: 'only.example' }))).names, ['only.example']);
});

test('badCSR: not DER', async () => {
  await refused(new Uint8Array([0x30, 0x03, 0x02, 0x01]), 'badCSR', /not a DER-encoded/);
  await refused(new TextEncoder().encode('hello'), 'badCSR', /not a DER-encoded/);
});

test('badCSR: trailing bytes after the request', async () => {
  const csr = makeCsr({ key: ec('P-256'), dnsNames: ['a.example'] });
  await refused(new Uint8Array([...csr, 0]), 'badCSR', /not a DER-encoded/);
});

test('badCSR: signature does not verify (one byte flipped)', async () => {
  const csr = makeCsr({ key: ec('P-256'), dnsNames: ['a.example'] });
  csr[csr.length - 1]! ^= 0x01;
  await refused(csr, 'badCSR', /signature does not verify/);
});

test('badCSR: signed by a different key than the one it carries', async () => {
  const csr = makeCsr({ key: ec('P-256'), spki: spkiOf(ec('P-256')), dnsNames: ['a.example'] });
  await refused(csr, 'badCSR', /signature does not verify/);
});

test('badCSR: SHA-1 signature', async () => {
  await refused(makeCsr({ key: rsa(2048), dnsNames: ['a.example'], hash: 'sha1' }), 'badCSR', /unsupported CSR signature algorithm/);
});

test('badPublicKey: P-521 (Mozilla Root Store Policy allows P-256/P-384 only)', async () => {
  await refused(makeCsr({ key: ec('P-521'), dnsNames: ['a.example'], hash: 'sha512' }), 'badPublicKey', /P-256 and P-384/);
});

test('badPublicKey: RSA 1024', async () => {
  await refused(makeCsr({ key: rsa(1024), dnsNames: ['a.example'] }), 'badPublicKey', /1024 bits is below 2048/);
});

test('badPublicKey: RSA modulus size not divisible by 8 (2052 bits)', async () => {
  await refused(makeCsr({ key: rsa(2052), dnsNames: ['a.example'] }), 'badPublicKey', /2052 is not divisible by 8/);
});

test('badPublicKey: RSA above 4096 bits', async () => {
  const spki = AsnConvert.parse(spkiOf(rsa(2048)), SubjectPublicKeyInfo);
  const pub = AsnConvert.parse(spki.subjectPublicKey, RSAPublicKey);
  pub.modulus = new Uint8Array([0, ...new Uint8Array(513).fill(0xff)]).buffer; // 4104 bits
  spki.subjectPublicKey = AsnConvert.serialize(pub);
  const csr = makeCsr({ key: ec('P-256'), spki: new Uint8Array(AsnConvert.serialize(spki)), dnsNames: ['a.example'] });
  await refused(csr, 'badPublicKey', /4104 bits is above 4096/);
});

test('badPublicKey: RSA exponent even or 1 (BR §6.1.6)', async () => {
  for (const e of [65538, 1]) {
    const csr = makeCsr({ key: rsa(2048), spki: rsaSpkiWithExponent(e), dnsNames: ['a.example'] });
    await refused(csr, 'badPublicKey', /odd number ≥ 3/);
  }
});

test('badPublicKey: Fermat-factorable RSA key, primes too close (BR §6.1.1.3)', async () => {
  const p = prime1024();
  const q = nextPrime(p + (1n << 300n));
  await refused(makeCsr({ key: rsaKeyFromPrimes(p, q), dnsNames: ['a.example'] }), 'badPublicKey', /Fermat/);
});

test('badPublicKey: ROCA-fingerprinted RSA key (BR §6.1.1.3)', async () => {
  for (;;) {
    const p = rocaStylePrime(ROCA_MODULUS);
    const q = rocaStylePrime(ROCA_MODULUS);
    if ((p - 1n) % 65537n === 0n || (q - 1n) % 65537n === 0n) continue;
    await refused(makeCsr({ key: rsaKeyFromPrimes(p, q), dnsNames: ['a.example'] }), 'badPublicKey', /ROCA/);
    return;
  }
});

test('badPublicKey: RSA modulus with a small factor', async () => {
  const p = prime1024();
  const spki = AsnConvert.parse(spkiOf(rsa(2048)), SubjectPublicKeyInfo);
  const pub = AsnConvert.parse(spki.subjectPublicKey, RSAPublicKey);
  const n = 3n * p * ((1n << 1022n) + 1n) ; // 2048 bits, divisible by 3
  pub.modulus = new Uint8Array(Buffer.from(`00${n.toString(16).padStart(512, '0')}`, 'hex')).buffer;
  spki.subjectPublicKey = AsnConvert.serialize(pub);
  const csr = makeCsr({ key: ec('P-256'), spki: new Uint8Array(AsnConvert.serialize(spki)), dnsNames: ['a.example'] });
  await refused(csr, 'badPublicKey', /small prime factor/);
});

test('badPublicKey: Ed25519, RSA-PSS and DSA keys (BR §6.1.5, §7.1.3.1.1)', async () => {
  const ed = generateKeyPairSync('ed25519').privateKey;
  await refused(makeCsr({ key: ed, dnsNames: ['a.example'], hash: null }), 'badPublicKey', /Ed25519/);
  const pss = generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).privateKey;
  await refused(makeCsr({ key: pss, dnsNames: ['a.example'], sigOid: '1.2.840.113549.1.1.10' }), 'badPublicKey', /RSASSA-PSS/);
  const dsa = generateKeyPairSync('dsa', { modulusLength: 1024, divisorLength: 160 }).privateKey;
  await refused(makeCsr({ key: dsa, dnsNames: ['a.example'], sigOid: '2.16.840.1.101.3.4.3.2' }), 'badPublicKey', /DSA/);
});

test('badPublicKey: RSA AlgorithmIdentifier without NULL parameters (BR §7.1.3.1.1 exact bytes)', async () => {
  const spki = AsnConvert.parse(spkiOf(rsa(2048)), SubjectPublicKeyInfo);
  spki.algorithm = new AlgorithmIdentifier({ algorithm: '1.2.840.113549.1.1.1' });
  const csr = makeCsr({ key: ec('P-256'), spki: new Uint8Array(AsnConvert.serialize(spki)), dnsNames: ['a.example'] });
  await refused(csr, 'badPublicKey', /NULL parameters/);
});

test('badPublicKey: compressed EC point (RFC 5480 §2.2)', async () => {
  const key = ec('P-256');
  const spki = AsnConvert.parse(spkiOf(key), SubjectPublicKeyInfo);
  const compressed = ECDH.convertKey(Buffer.from(spki.subjectPublicKey), 'prime256v1', undefined, undefined, 'compressed');
  spki.subjectPublicKey = new Uint8Array(compressed as Buffer).buffer;
  const csr = makeCsr({ key, spki: new Uint8Array(AsnConvert.serialize(spki)), dnsNames: ['a.example'] });
  await refused(csr, 'badPublicKey', /uncompressed point/);
});

test('badPublicKey: EC point not on the curve', async () => {
  const key = ec('P-256');
  const spki = AsnConvert.parse(spkiOf(key), SubjectPublicKeyInfo);
  const point = new Uint8Array(spki.subjectPublicKey);
  point[64]! ^= 0x01;
  spki.subjectPublicKey = point.buffer;
  const csr = makeCsr({ key, spki: new Uint8Array(AsnConvert.serialize(spki)), dnsNames: ['a.example'] });
  await refused(csr, 'badPublicKey', /invalid P-256 public key/);
});

test('badPublicKey: the CSR key is the ACME account key (RFC 8555 §11.1)', async () => {
  const key = ec('P-256');
  const jwk = createPublicKey(key).export({ format: 'jwk' }) as JWK;
  const accountSpkiSha256 = sha256Hex(jwkToSpki(jwk)); // as the RA computes it
  const csr = makeCsr({ key, dnsNames: ['a.example'] });
  await refused(csr, 'badPublicKey', /account key/, { accountSpkiSha256 });
  const other = sha256Hex(jwkToSpki(createPublicKey(ec('P-256')).export({ format: 'jwk' }) as JWK));
  assert.deepEqual((await checkCsr(csr, { accountSpkiSha256: other })).names, ['a.example']);
});

test('badCSR: IP address, email and URI SANs', async () => {
  const key = ec('P-256');
  const cases: Array<[GeneralName, RegExp]> = [
    [new GeneralName({ iPAddress: '192.0.2.1' }), /IP address 192\.0\.2\.1/],
    [new GeneralName({ rfc822Name: 'a@example.com' }), /email address/],
    [new GeneralName({ uniformResourceIdentifier: 'https://a.example/' }), /URI/],
  ];
  for (const [san, re] of cases) {
    await refused(makeCsr({ key, dnsNames: ['a.example'], extraSans: [san] }), 'badCSR', re);
  }
});

test('badCSR: no names at all, and names that are not DNS names', async () => {
  const key = ec('P-256');
  await refused(makeCsr({ key }), 'badCSR', /no DNS identifier/);
  await refused(makeCsr({ key, dnsNames: ['a b.example'] }), 'badCSR', /not a DNS name/);
  await refused(makeCsr({ key, cn: 'Example Corp' }), 'badCSR', /not a DNS name/);
});

/** Replace the element at `offset` (its first byte) in a CSR. */
function withByte(der: Uint8Array, offset: number, value: number): Uint8Array {
  const out = Uint8Array.from(der);
  out[offset] = value;
  return out;
}

test('ECDSA signature algorithm with NULL parameters is tolerated (as RSA\'s), other parameters are not', async () => {
  const key = ec('P-256');
  const csr = makeCsr({ key, dnsNames: ['a.example'] });
  const [info, , sig] = children(csr, readWhole(csr));
  // Same signed info and signature, another signatureAlgorithm encoding (the signature covers only the info).
  const rebuild = (algHex: string) =>
    encodeSequence(csr.subarray(info!.start, info!.end), Buffer.from(algHex, 'hex'), csr.subarray(sig!.start, sig!.end));
  assert.deepEqual((await checkCsr(rebuild('300a06082a8648ce3d040302'))).names, ['a.example']);
  assert.deepEqual((await checkCsr(rebuild('300c06082a8648ce3d0403020500'))).names, ['a.example']);
  await refused(rebuild('300c06082a8648ce3d0403020400'), 'badCSR', /unexpected parameters/);
});

test('badCSR: malformed envelope (outer tag, signature BIT STRING unused bits, SPKI structure)', async () => {
  const csr = makeCsr({ key: ec('P-256'), dnsNames: ['a.example'] });
  await refused(withByte(csr, 0, 0xb0), 'badCSR', /not a DER-encoded/);
  const [info, , sig] = children(csr, readWhole(csr));
  await refused(withByte(csr, sig!.contentStart, 0x01), 'badCSR', /not a DER-encoded/);
  const [, , spki] = children(csr, info!);
  await refused(withByte(csr, spki!.start, 0x31), 'badCSR', /not a DER-encoded/);
});

test('the key checkCsr returns is the one issue() trusts without re-checking — only while unaltered', async () => {
  const out = await checkCsr(makeCsr({ key: ec('P-256'), dnsNames: ['a.example'] }));
  const key = previouslyCheckedKey(out.spki);
  assert.ok(key !== undefined);
  assert.equal(key.spkiSha256, out.spkiSha256);
  assert.equal(previouslyCheckedKey(Uint8Array.from(out.spki)), undefined, 'an equal copy was not checked');
  out.spki[out.spki.length - 1]! ^= 1;
  assert.equal(previouslyCheckedKey(out.spki), undefined, 'an altered array is checked again');
  out.spki[out.spki.length - 1]! ^= 1;
  assert.ok(previouslyCheckedKey(out.spki) !== undefined);
});

test('badPublicKey: a subjectPublicKey BIT STRING with unused bits is malformed (RFC 5480 §2.2)', async () => {
  const spki = spkiOf(ec('P-384'));
  const bad = Uint8Array.from(spki);
  bad[22] = 1; // the unused-bits octet of the subjectPublicKey BIT STRING
  await assert.rejects(checkSubscriberKey(bad), (e: unknown) => isShomeiError(e) && e.kind === 'badPublicKey');
});
