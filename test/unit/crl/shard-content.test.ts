import { before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { generateKeyPairSync } from 'node:crypto';
import { newSerialHex, serialHexToBytes } from '../../../src/ca/serial.js';
import { signCertificate } from '../../../src/ca/sign-certificate.js';
import { emptyNameDer } from '../../../src/ca/x509-extensions.js';
import { nextCrlNumber, regenerationCause } from '../../../src/crl/generator.js';
import { authorityKeyIdHexOf, shardContentDigest, type ShardEntry } from '../../../src/crl/shard-content.js';
import { spkiOf } from '../ca/fixtures.js';
import { certificateDerOf, testCa, type TestCa } from './fixtures.js';

const URL_0 = 'http://pki.example/crl/0123456789abcdef/0.crl';
const AT = new Date('2026-11-21T00:00:00Z');

function entry(over: Partial<ShardEntry> = {}): ShardEntry {
  const revokedAtIso = over.revokedAtIso ?? '2026-11-20T10:00:00.123Z';
  return { serialHex: 'ab01', revokedAt: new Date(revokedAtIso), revokedAtIso, reason: 1, notAfter: new Date('2027-01-01T00:00:00Z'), ...over };
}

describe('what a shard lists and when it is stale', () => {
  let ca: TestCa;
  before(async () => {
    ca = await testCa();
  });

  test('the digest changes with the URL, any revocation, revocation time or reason — not with order', () => {
    const base = shardContentDigest(URL_0, [entry(), entry({ serialHex: 'cd02', reason: 4 })], AT);
    assert.equal(shardContentDigest(URL_0, [entry({ serialHex: 'cd02', reason: 4 }), entry()], AT), base);
    assert.notEqual(shardContentDigest(URL_0.replace('0.crl', '1.crl'), [entry(), entry({ serialHex: 'cd02', reason: 4 })], AT), base);
    assert.notEqual(shardContentDigest(URL_0, [entry()], AT), base);
    assert.notEqual(shardContentDigest(URL_0, [entry(), entry({ serialHex: 'cd02', reason: 1 })], AT), base);
    assert.notEqual(shardContentDigest(URL_0, [entry(), entry({ serialHex: 'cd02', reason: 4, revokedAtIso: '2026-11-19T00:00:00.000Z' })], AT), base);
  });

  test('the digest counts only certificates unexpired at the time given, so an expiry shows as a change', () => {
    const expiring = entry({ serialHex: 'ee03', notAfter: new Date(AT.getTime() + 1000) });
    const atGeneration = shardContentDigest(URL_0, [entry(), expiring], AT);
    const later = new Date(AT.getTime() + 2000);
    assert.notEqual(shardContentDigest(URL_0, [entry(), expiring], later), atGeneration);
    assert.equal(shardContentDigest(URL_0, [entry(), expiring], later), shardContentDigest(URL_0, [entry()], later));
  });

  test('regeneration causes: missing, forced, changed content, age', () => {
    const prev = { this_update: AT.toISOString(), content_sha256: 'd1' };
    const hour = 3600_000;
    assert.equal(regenerationCause(undefined, 'd1', AT, hour, false), 'missing');
    assert.equal(regenerationCause(prev, 'd1', AT, hour, true), 'forced');
    assert.equal(regenerationCause(prev, 'd2', AT, hour, false), 'changed');
    assert.equal(regenerationCause({ ...prev, content_sha256: null }, 'd1', AT, hour, false), 'changed');
    assert.equal(regenerationCause(prev, 'd1', new Date(AT.getTime() + hour - 1), hour, false), undefined);
    assert.equal(regenerationCause(prev, 'd1', new Date(AT.getTime() + hour), hour, false), 'age');
  });

  test('CRL numbers: above the stored one and at least thisUpdate in milliseconds', () => {
    assert.equal(nextCrlNumber(undefined, AT), BigInt(AT.getTime()));
    assert.equal(nextCrlNumber('5', AT), BigInt(AT.getTime()));
    assert.equal(nextCrlNumber(String(AT.getTime() + 10), AT), BigInt(AT.getTime() + 11));
    assert.equal(nextCrlNumber('730750818665451459101842416358141509827966271488', AT), 730750818665451459101842416358141509827966271489n);
    assert.throws(() => nextCrlNumber('12abc', AT), /decimal/);
  });

  test('the AKI of a stored certificate names its issuer; none without the extension or for garbage', async () => {
    const der = await certificateDerOf(ca.issuingCa, newSerialHex(), new Date('2027-01-01T00:00:00Z'));
    assert.equal(authorityKeyIdHexOf(der), ca.keyIdHex);
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const bare = await signCertificate(
      { serial: serialHexToBytes(newSerialHex()), issuer: ca.issuingCa.subjectDer, subject: emptyNameDer(), notBefore: AT, notAfter: new Date('2027-01-01T00:00:00Z'), spki: spkiOf(privateKey), extensions: [] },
      ca.issuingCa.signer,
    );
    assert.equal(authorityKeyIdHexOf(bare), undefined);
    assert.equal(authorityKeyIdHexOf(Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01)), undefined);
    assert.equal(authorityKeyIdHexOf(new Uint8Array()), undefined);
  });
});
