import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { fromPem, toPem } from '../../../src/ca/pem.js';
import { encodeTbs, signCertificate, signatureAlgorithmDer } from '../../../src/ca/sign-certificate.js';
import { tbsOf } from '../../../src/ca/tbs-extensions.js';
import {
  CT_POISON_EXTENSION_DER,
  OID_CT_SCT_LIST,
  isPrecertificate,
  issuerKeyHash,
  parseSctList,
  precertTbsFromCertificate,
  sctListExtensionDer,
  verifySct,
} from '../../../src/ct/precertificate.js';
import { HASH_SHA256, SIG_ECDSA, SIG_RSA, decodeSct, logIdOf, sctSignatureInput, type Sct } from '../../../src/ct/rfc6962.js';
import { opensslText, tempDir, writeTemp } from '../ca/fixtures.js';
import { hex, makeHierarchy, peculiarPrecertTbs, rawExtension, signFinal, signPrecert, spkiOf, withExtension } from './client-fixtures.js';
import * as v from './published-vectors.js';

const der = (pem: string) => fromPem(pem, 'CERTIFICATE');
const LOG_KEY = new Uint8Array(Buffer.from(v.LOG_PUBLIC_KEY_B64, 'base64'));
const CA = der(v.CA_CERT_PEM);
const PRECERT = der(v.TEST_PRECERT_PEM);
const EMBEDDED = der(v.TEST_EMBEDDED_CERT_PEM);
const CERT = der(v.TEST_CERT_PEM);
const PRECERT_SCT = new Uint8Array(Buffer.from(v.TEST_PRECERT_SCT_HEX, 'hex'));
const CERT_SCT = new Uint8Array(Buffer.from(v.TEST_CERT_SCT_HEX, 'hex'));
const NOT_AFTER = new Date('2027-02-01T00:00:00Z');

test('RFC 6962 §3.1 / BR §7.1.2.9.3: the poison is critical with extnValue NULL, byte for byte, and openssl names it', async () => {
  assert.equal(hex(CT_POISON_EXTENSION_DER), '3013060a2b06010401d679020403' + '0101ff' + '04020500');
  // The published test precertificate carries exactly these bytes.
  assert.ok(Buffer.from(PRECERT).indexOf(Buffer.from(CT_POISON_EXTENSION_DER)) > 0);
  const h = await makeHierarchy();
  const pre = await signPrecert(h, h.leafFields(NOT_AFTER));
  const text = opensslText(tempDir('shomei-ct-'), toPem('CERTIFICATE', pre));
  assert.match(text, /CT Precertificate Poison: critical\n\s+NULL\n/);
  assert.equal(isPrecertificate(pre), true);
  assert.equal(isPrecertificate(CERT), false);
});

test('RFC 6962 §3.3: the SCT list extension matches a published certificate and openssl decodes every SCT', async () => {
  // The extension of Chromium's ct-test-embedded-cert.pem, rebuilt from its one SCT.
  assert.ok(Buffer.from(EMBEDDED).indexOf(Buffer.from(sctListExtensionDer([PRECERT_SCT]))) > 0);

  const h = await makeHierarchy();
  const final = await signFinal(h, h.leafFields(NOT_AFTER), [PRECERT_SCT, CERT_SCT]);
  const text = opensslText(tempDir('shomei-ct-'), toPem('CERTIFICATE', final));
  assert.match(text, /CT Precertificate SCTs: \n/, 'non-critical (no "critical" after the name)');
  const scts = text.split('Signed Certificate Timestamp:').slice(1);
  assert.equal(scts.length, 2);
  for (const s of scts) {
    assert.match(s, /Version\s+: v1 \(0x0\)/);
    assert.match(s, /Log ID\s+: DF:1C:2E:C1:15:00:94:52:47:A9:61:68:32:5D:DC:5C:\s+79:59:E8:F7:C6:D3:88:FC:00:2E:0B:BD:3F:74:D7:64/);
    assert.match(s, /Signature : ecdsa-with-SHA256/);
  }
  assert.match(scts[0]!, /Timestamp : Apr  5 17:04:16\.275 2013 GMT/);
  assert.match(scts[1]!, /Timestamp : Apr  5 17:04:16\.089 2013 GMT/);
});

test('RFC 6962 §3.3: an SCT list holds 1..2^16-1 bytes of non-empty SCTs', () => {
  assert.throws(() => sctListExtensionDer([]), /at least one SCT/);
  assert.throws(() => sctListExtensionDer([new Uint8Array(0)]), /outside <1\.\.2\^16-1>/);
  assert.throws(() => sctListExtensionDer([new Uint8Array(40000), new Uint8Array(40000)]), /exceeds 2\^16-1/);
});

test('parseSctList returns the embedded SCTs in order, [] without the extension, and refuses a malformed list', async () => {
  assert.deepEqual(parseSctList(EMBEDDED).map(hex), [v.TEST_PRECERT_SCT_HEX]);
  assert.deepEqual(parseSctList(PRECERT), []);
  assert.deepEqual(parseSctList(CERT), []);

  const h = await makeHierarchy();
  const f = h.leafFields(NOT_AFTER);
  const final = await signFinal(h, f, [CERT_SCT, PRECERT_SCT], 3);
  assert.deepEqual(parseSctList(final).map(hex), [v.TEST_CERT_SCT_HEX, v.TEST_PRECERT_SCT_HEX]);

  // Outer length one byte short of the list.
  const list = Buffer.concat([Buffer.from([0x00, 0x04, 0x00, 0x03]), Buffer.from('abc')]);
  const bad = await signCertificate(withExtension(f, rawExtension(OID_CT_SCT_LIST, false, wrapOctets(list)), 1), h.issuerSigner);
  assert.throws(() => parseSctList(bad), /malformed SignedCertificateTimestampList/);
});

function wrapOctets(b: Uint8Array): Uint8Array {
  return Uint8Array.from([0x04, b.length, ...b]);
}

test('RFC 6962 §3.2: the precertificate TBS is rebuilt byte for byte from the precertificate and from the final certificate', async () => {
  const h = await makeHierarchy();
  const f = h.leafFields(NOT_AFTER);
  const expected = encodeTbs(f, signatureAlgorithmDer(h.issuerSigner.signatureAlgorithmOid));
  for (const position of [0, 1, 3]) {
    const pre = await signPrecert(h, f, position);
    const final = await signFinal(h, f, [PRECERT_SCT], position);
    assert.equal(hex(precertTbsFromCertificate(pre)), hex(expected), `poison at ${position}`);
    assert.equal(hex(precertTbsFromCertificate(final)), hex(expected), `SCT list at ${position}`);
    // An independent reconstruction (@peculiar/asn1-x509) agrees.
    assert.equal(hex(peculiarPrecertTbs(pre)), hex(expected));
  }
  // The published pair: final certificate and precertificate give the same TBS.
  assert.equal(hex(precertTbsFromCertificate(EMBEDDED)), hex(precertTbsFromCertificate(PRECERT)));
  assert.equal(hex(precertTbsFromCertificate(PRECERT)), hex(peculiarPrecertTbs(PRECERT)));
});

test('precertTbsFromCertificate: a certificate with neither CT extension keeps its TBS; both at once is refused', async () => {
  assert.equal(hex(precertTbsFromCertificate(CERT)), hex(tbsOf(CERT)));
  const h = await makeHierarchy();
  const f = withExtension(h.leafFields(NOT_AFTER), CT_POISON_EXTENSION_DER, 0);
  const both = await signFinal(h, f, [PRECERT_SCT], 2);
  assert.throws(() => precertTbsFromCertificate(both), /both the CT poison and an SCT list/);
  const twice = await signPrecert(h, withExtension(h.leafFields(NOT_AFTER), CT_POISON_EXTENSION_DER, 0), 2);
  assert.throws(() => precertTbsFromCertificate(twice), /holds 2 extensions/);
});

test('RFC 6962 §3.2: issuerKeyHash is SHA-256 of the issuer SPKI as openssl extracts it', async () => {
  const h = await makeHierarchy();
  const dir = tempDir('shomei-ct-');
  const pem = writeTemp(dir, 'issuer.pem', toPem('CERTIFICATE', h.issuerDer));
  const pub = spawnSync('openssl', ['x509', '-in', pem, '-noout', '-pubkey'], { encoding: 'utf8' }).stdout;
  const spki = spawnSync('openssl', ['pkey', '-pubin', '-outform', 'DER'], { input: pub }).stdout;
  assert.ok(spki.length > 60);
  assert.equal(hex(issuerKeyHash(h.issuerDer)), createHash('sha256').update(spki).digest('hex'));
  assert.equal(hex(issuerKeyHash(h.issuerDer)), hex(createHash('sha256').update(h.issuerSigner.spki).digest()));
});

test('verifySct: the published SCTs verify under the test log key (x509 entry, precert entry, embedded)', () => {
  assert.equal(hex(logIdOf(LOG_KEY)), v.LOG_ID_HEX);
  const certSct = decodeSct(CERT_SCT);
  const preSct = decodeSct(PRECERT_SCT);
  const ikh = issuerKeyHash(CA);
  assert.equal(verifySct(certSct, { type: 'x509', certDer: CERT }, LOG_KEY), true);
  assert.equal(verifySct(preSct, { type: 'precert', issuerKeyHash: ikh, tbsDer: precertTbsFromCertificate(PRECERT) }, LOG_KEY), true);
  const embedded = decodeSct(parseSctList(EMBEDDED)[0]!);
  assert.equal(verifySct(embedded, { type: 'precert', issuerKeyHash: ikh, tbsDer: precertTbsFromCertificate(EMBEDDED) }, LOG_KEY), true);

  // Any change to what was signed, or another key, fails.
  assert.equal(verifySct({ ...certSct, timestampMs: certSct.timestampMs + 1n }, { type: 'x509', certDer: CERT }, LOG_KEY), false);
  assert.equal(verifySct(certSct, { type: 'x509', certDer: PRECERT }, LOG_KEY), false);
  assert.equal(verifySct(preSct, { type: 'precert', issuerKeyHash: new Uint8Array(32), tbsDer: precertTbsFromCertificate(PRECERT) }, LOG_KEY), false);
  assert.equal(verifySct(preSct, { type: 'precert', issuerKeyHash: ikh, tbsDer: tbsOf(PRECERT) }, LOG_KEY), false, 'poison not removed');
  const otherKey = spkiOf(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
  assert.equal(verifySct(certSct, { type: 'x509', certDer: CERT }, otherKey), false);
  // §2.1.4 algorithms only: a SHA-384 claim or an RSA claim over an ECDSA key is refused.
  assert.equal(verifySct({ ...certSct, hashAlgorithm: 5 }, { type: 'x509', certDer: CERT }, LOG_KEY), false);
  assert.equal(verifySct({ ...certSct, signatureAlgorithm: SIG_RSA }, { type: 'x509', certDer: CERT }, LOG_KEY), false);
  assert.equal(verifySct(certSct, { type: 'x509', certDer: CERT }, new Uint8Array([0x30, 0x00])), false);
});

/** Sign `data` with `openssl dgst -sha256` (an independent signer). */
function opensslSign(keyPem: string, data: Uint8Array): Uint8Array {
  const dir = tempDir('shomei-ct-');
  const keyPath = writeTemp(dir, 'key.pem', keyPem);
  const r = spawnSync('openssl', ['dgst', '-sha256', '-sign', keyPath], { input: data });
  assert.equal(r.status, 0, r.stderr.toString());
  return new Uint8Array(r.stdout);
}

test('verifySct: RSA (PKCS#1 v1.5, SHA-256) and ECDSA signatures made by openssl verify; RSA under 2048 bits does not', () => {
  const entry = { type: 'x509' as const, certDer: CERT };
  const base = { logId: new Uint8Array(32), timestampMs: 1_800_000_000_000n, extensions: Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 5), hashAlgorithm: HASH_SHA256 };
  const input = sctSignatureInput(base.timestampMs, entry, base.extensions);

  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const rsaSct: Sct = { ...base, signatureAlgorithm: SIG_RSA, signature: opensslSign(rsa.export({ type: 'pkcs8', format: 'pem' }) as string, input) };
  assert.equal(verifySct(rsaSct, entry, spkiOf(rsa)), true);
  assert.equal(verifySct({ ...rsaSct, signatureAlgorithm: SIG_ECDSA }, entry, spkiOf(rsa)), false);
  assert.equal(verifySct({ ...rsaSct, extensions: new Uint8Array(0) }, entry, spkiOf(rsa)), false, 'extensions are signed');

  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const ecSct: Sct = { ...base, signatureAlgorithm: SIG_ECDSA, signature: opensslSign(ec.export({ type: 'pkcs8', format: 'pem' }) as string, input) };
  assert.equal(verifySct(ecSct, entry, spkiOf(ec)), true);

  const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey;
  const p384Sct: Sct = { ...base, signatureAlgorithm: SIG_ECDSA, signature: opensslSign(p384.export({ type: 'pkcs8', format: 'pem' }) as string, input) };
  assert.equal(verifySct(p384Sct, entry, spkiOf(p384)), false, 'RFC 6962 §2.1.4: P-256 only');

  const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
  const weak: Sct = { ...base, signatureAlgorithm: SIG_RSA, signature: opensslSign(rsa1024.export({ type: 'pkcs8', format: 'pem' }) as string, input) };
  assert.equal(verifySct(weak, entry, spkiOf(rsa1024)), false);
});
