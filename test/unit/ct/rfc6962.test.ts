import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { isShomeiError } from '../../../src/core/errors.js';
import {
  decodeDigitallySigned,
  decodeSct,
  encodeCertificateChain,
  encodeDigitallySigned,
  encodePrecertChainEntry,
  encodeSct,
  leafHash,
  logIdOf,
  merkleTreeLeaf,
  nodeHash,
  sctFromJson,
  sctSignatureInput,
  sctToJson,
  treeHeadSignatureInput,
  type Sct,
} from '../../../src/ct/rfc6962.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
const ascii = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));

// Known-answer vectors of the certificate-transparency reference
// implementation's serializer tests (cpp/proto/serializer_test.cc): key id
// "iamapublickeyshatwofivesixdigest", timestamp 1234, certificate
// "certificate", signature "signature"; STH timestamp 2345, size 6.
const KEY_ID = ascii('iamapublickeyshatwofivesixdigest');
const KAT_SCT = '00' + hex(KEY_ID) + '00000000000004d2' + '0000' + '0403' + '0009' + '7369676e6174757265';
const KAT_SCT_SIGNED = '00' + '00' + '00000000000004d2' + '0000' + '00000b' + '6365727469666963617465' + '0000';
const KAT_LEAF = '00' + '00' + '00000000000004d2' + '0000' + '00000b' + '6365727469666963617465' + '0000';
const KAT_STH_SIGNED = '00' + '01' + '0000000000000929' + '0000000000000006' + hex(ascii('imustbeexactlythirtytwobyteslong'));

const defaultSct = (): Sct => ({
  logId: KEY_ID,
  timestampMs: 1234n,
  extensions: new Uint8Array(0),
  hashAlgorithm: 4,
  signatureAlgorithm: 3,
  signature: ascii('signature'),
});

test('§3.2 SCT signature input (x509_entry) matches the reference known answer', () => {
  const got = sctSignatureInput(1234n, { type: 'x509', certDer: ascii('certificate') }, new Uint8Array(0));
  assert.equal(hex(got), KAT_SCT_SIGNED);
});

test('§3.4 MerkleTreeLeaf (x509_entry) matches the reference known answer', () => {
  const got = merkleTreeLeaf(1234n, { type: 'x509', certDer: ascii('certificate') }, new Uint8Array(0));
  assert.equal(hex(got), KAT_LEAF);
});

test('§3.2 precert_entry: entry type 1, 32-byte issuer_key_hash, then the TBS with a 24-bit length', () => {
  const ikh = new Uint8Array(32).fill(0xab);
  const tbs = ascii('tbs');
  const ext = ascii('xy');
  const leaf = merkleTreeLeaf(0x0102030405060708n, { type: 'precert', issuerKeyHash: ikh, tbsDer: tbs }, ext);
  assert.equal(hex(leaf), '0000' + '0102030405060708' + '0001' + 'ab'.repeat(32) + '000003' + hex(tbs) + '0002' + hex(ext));
  const input = sctSignatureInput(0x0102030405060708n, { type: 'precert', issuerKeyHash: ikh, tbsDer: tbs }, ext);
  // Same bytes as the leaf (v1 = 0 and certificate_timestamp = 0 = timestamped_entry).
  assert.equal(hex(input), hex(leaf));
  assert.throws(
    () => merkleTreeLeaf(0n, { type: 'precert', issuerKeyHash: new Uint8Array(31), tbsDer: tbs }, new Uint8Array(0)),
    (e) => isShomeiError(e) && /32 bytes/.test(e.message),
  );
});

test('§3.2 an empty certificate or a 2^24-byte one cannot be encoded (ASN.1Cert<1..2^24-1>)', () => {
  assert.throws(() => merkleTreeLeaf(0n, { type: 'x509', certDer: new Uint8Array(0) }, new Uint8Array(0)), isShomeiError);
  assert.throws(() => merkleTreeLeaf(0n, { type: 'x509', certDer: new Uint8Array(1 << 24) }, new Uint8Array(0)), isShomeiError);
  assert.throws(() => merkleTreeLeaf(0n, { type: 'x509', certDer: ascii('c') }, new Uint8Array(1 << 16)), isShomeiError);
  assert.throws(() => merkleTreeLeaf(-1n, { type: 'x509', certDer: ascii('c') }, new Uint8Array(0)), isShomeiError);
  assert.throws(() => merkleTreeLeaf(1n << 64n, { type: 'x509', certDer: ascii('c') }, new Uint8Array(0)), isShomeiError);
});

test('§3.5 TreeHeadSignature input matches the reference known answer', () => {
  const got = treeHeadSignatureInput(2345n, 6n, ascii('imustbeexactlythirtytwobyteslong'));
  assert.equal(hex(got), KAT_STH_SIGNED);
  assert.throws(() => treeHeadSignatureInput(1n, 1n, new Uint8Array(31)), isShomeiError);
});

test('§3.2 SCT encoding matches the reference known answer and decodes back', () => {
  assert.equal(hex(encodeSct(defaultSct())), KAT_SCT);
  const back = decodeSct(unhex(KAT_SCT));
  assert.deepEqual(back, defaultSct());
});

test('SCT with extensions round-trips and differs from the default', () => {
  const s = { ...defaultSct(), extensions: ascii('hello'), timestampMs: 1n << 63n };
  const enc = encodeSct(s);
  assert.notEqual(hex(enc), KAT_SCT);
  assert.deepEqual(decodeSct(enc), s);
});

test('decodeSct refuses every truncation, a trailing byte, and another version', () => {
  const good = unhex(KAT_SCT);
  for (let i = 0; i < good.length; i++) assert.throws(() => decodeSct(good.subarray(0, i)), isShomeiError, `prefix ${i}`);
  assert.throws(() => decodeSct(Uint8Array.from([...good, 0x42])), /trailing/);
  const v2 = Uint8Array.from(good);
  v2[0] = 1;
  assert.throws(() => decodeSct(v2), /version/);
});

test('DigitallySigned: known answer, round trip, length checks', () => {
  assert.equal(hex(encodeDigitallySigned(4, 3, ascii('signature'))), '040300097369676e6174757265');
  assert.deepEqual(decodeDigitallySigned(unhex('040300097369676e6174757265')), {
    hashAlgorithm: 4,
    signatureAlgorithm: 3,
    signature: ascii('signature'),
  });
  assert.throws(() => decodeDigitallySigned(unhex('0403000a7369676e6174757265')), /truncated/);
  assert.throws(() => decodeDigitallySigned(unhex('040300097369676e617475726500')), /trailing/);
  assert.throws(() => encodeDigitallySigned(4, 3, new Uint8Array(1 << 16)), isShomeiError);
});

test('§4.1 SCT JSON: both directions, signature is the DigitallySigned struct', () => {
  const j = sctToJson(defaultSct());
  assert.deepEqual(j, {
    sct_version: 0,
    id: Buffer.from(KEY_ID).toString('base64'),
    timestamp: 1234,
    extensions: '',
    signature: Buffer.from(unhex('040300097369676e6174757265')).toString('base64'),
  });
  assert.deepEqual(sctFromJson(JSON.parse(JSON.stringify(j))), defaultSct());
});

test('sctFromJson refuses malformed answers with serverInternal', () => {
  const good = sctToJson(defaultSct()) as unknown as Record<string, unknown>;
  const bad: unknown[] = [
    null,
    'x',
    [],
    { ...good, sct_version: 1 },
    { ...good, id: 'AAAA' },
    { ...good, id: 'not base64!' },
    { ...good, id: 42 },
    { ...good, timestamp: -1 },
    { ...good, timestamp: 1.5 },
    { ...good, timestamp: '1234' },
    { ...good, timestamp: 2 ** 60 },
    { ...good, extensions: '@@' },
    { ...good, signature: Buffer.from('0403000a', 'hex').toString('base64') },
    { ...good, signature: undefined },
  ];
  for (const b of bad) {
    assert.throws(
      () => sctFromJson(b),
      (e) => isShomeiError(e) && e.kind === 'serverInternal',
      JSON.stringify(b),
    );
  }
});

test('§2.1 leaf and node hashes: the reference tree vectors (empty leaf, first two leaves)', () => {
  // transparency-dev/merkle testonly: leaf inputs "" and 0x00, root of size 2.
  assert.equal(hex(leafHash(new Uint8Array(0))), '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
  assert.equal(hex(leafHash(unhex('00'))), '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7');
  assert.equal(
    hex(nodeHash(leafHash(new Uint8Array(0)), leafHash(unhex('00')))),
    'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  );
});

test('§3.2 log id is SHA-256 of the SubjectPublicKeyInfo', () => {
  const spki = ascii('spki bytes');
  assert.equal(hex(logIdOf(spki)), createHash('sha256').update(spki).digest('hex'));
});

test('§4.6 extra_data encodings: certificate_chain<0..2^24-1> and PrecertChainEntry', () => {
  assert.equal(hex(encodeCertificateChain([])), '000000');
  assert.equal(hex(encodeCertificateChain([ascii('ab'), ascii('c')])), '000009' + '000002' + '6162' + '000001' + '63');
  assert.equal(hex(encodePrecertChainEntry(ascii('p'), [ascii('i')])), '000001' + '70' + '000004' + '000001' + '69');
});
