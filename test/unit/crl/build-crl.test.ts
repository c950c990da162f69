import { before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  CertificateList,
  CRLDistributionPoints,
  DistributionPoint,
  DistributionPointName,
  Extension,
  GeneralName,
  IssuingDistributionPoint,
  id_ce_cRLDistributionPoints,
  id_ce_issuingDistributionPoint,
} from '@peculiar/asn1-x509';
import { newSerialHex } from '../../../src/ca/serial.js';
import { crlDistributionPointsDer, derOf, extension } from '../../../src/ca/x509-extensions.js';
import { buildCrl, type CrlEntry, type CrlInput } from '../../../src/crl/build-crl.js';
import { colonHex, crlText, crlVerify, opensslSerial, revokedBlocks, testCa, type TestCa } from './fixtures.js';

const URL_3 = 'http://pki.example/crl/f34326d16ef8257d/3.crl';
const THIS_UPDATE = new Date('2026-11-21T00:00:00.700Z');
const NEXT_UPDATE = new Date('2026-11-28T00:00:00Z');

/** Openssl's name for each CRLReason (RFC 5280 §5.3.1). */
const REASON_TEXT: Record<number, string> = {
  1: 'Key Compromise',
  3: 'Affiliation Changed',
  4: 'Superseded',
  5: 'Cessation Of Operation',
  9: 'Privilege Withdrawn',
};

describe('CRL encoding (RFC 5280 §5, BR §7.2)', () => {
  let ca: TestCa;
  const input = (over: Partial<CrlInput> = {}): CrlInput => ({
    ca: ca.issuingCa,
    crlNumber: 1763683200000n,
    thisUpdate: THIS_UPDATE,
    nextUpdate: NEXT_UPDATE,
    idpUrl: URL_3,
    entries: [],
    ...over,
  });
  before(async () => {
    ca = await testCa();
  });

  test('a v2 CRL with AKI, CRL number and a critical IDP naming the shard URL for user certificates only', async () => {
    const der = await buildCrl(input());
    const text = crlText(der);
    assert.match(text, /Version 2 \(0x1\)/);
    assert.match(text, /Signature Algorithm: ecdsa-with-SHA256/);
    assert.match(text, /Last Update: Nov 21 00:00:00 2026 GMT/);
    assert.match(text, /Next Update: Nov 28 00:00:00 2026 GMT/);
    assert.match(text, new RegExp(`X509v3 Authority Key Identifier: \\n\\s+(keyid:)?${colonHex(ca.issuingCa.keyIdentifier)}\\n`));
    assert.match(text, /X509v3 CRL Number: \n\s+1763683200000\n/);
    assert.match(text, /X509v3 Issuing Distribution Point: critical\n\s+Full Name:\n\s+URI:http:\/\/pki\.example\/crl\/f34326d16ef8257d\/3\.crl\s+Only User Certificates/);
    assert.match(text, /No Revoked Certificates\./);
    assert.doesNotMatch(text, /X509v3 CRL Number: critical/);
    assert.doesNotMatch(text, /Authority Key Identifier: critical/);
  });

  test('the issuer is the CA subject byte for byte; the IDP holds exactly the URL and no other flags', async () => {
    const der = await buildCrl(input());
    const crl = AsnConvert.parse(der, CertificateList);
    assert.equal(crl.tbsCertList.version, 1);
    assert.deepEqual(Buffer.from(AsnConvert.serialize(crl.tbsCertList.issuer)), Buffer.from(ca.issuingCa.subjectDer));
    // RFC 5280 §5.1.2.6: no empty revokedCertificates SEQUENCE when nothing is revoked.
    assert.equal(crl.tbsCertList.revokedCertificates, undefined);
    const exts = crl.tbsCertList.crlExtensions ?? [];
    assert.deepEqual(exts.map((e) => e.extnID), ['2.5.29.35', '2.5.29.20', id_ce_issuingDistributionPoint]);
    const idpExt = exts.find((e) => e.extnID === id_ce_issuingDistributionPoint)!;
    assert.equal(idpExt.critical, true);
    const idp = AsnConvert.parse(idpExt.extnValue, IssuingDistributionPoint);
    assert.deepEqual(idp.distributionPoint?.fullName?.map((n) => n.uniformResourceIdentifier), [URL_3]);
    assert.equal(idp.onlyContainsUserCerts, true);
    assert.equal(idp.onlyContainsCACerts, false);
    assert.equal(idp.indirectCRL, false);
    assert.equal(idp.onlyContainsAttributeCerts, false);
    assert.equal(idp.onlySomeReasons, undefined);
  });

  test('openssl verifies the signature with the issuing CA', async () => {
    const der = await buildCrl(input({ entries: [{ serialHex: newSerialHex(), revokedAt: THIS_UPDATE, reason: 1 }] }));
    const ok = crlVerify(der, ca.hierarchy.intermediate.pem);
    assert.equal(ok.status, 0, ok.output);
    assert.match(ok.output, /verify OK/);
    // …and not with another CA's key.
    const other = await testCa();
    const bad = crlVerify(der, other.hierarchy.intermediate.pem);
    assert.doesNotMatch(bad.output, /verify OK/);
  });

  test('every entry has serial and revocation date; reasonCode for every reason but unspecified (BR §7.2.2)', async () => {
    const entries: CrlEntry[] = [0, 1, 3, 4, 5, 9].map((reason, i) => ({
      serialHex: newSerialHex(),
      revokedAt: new Date(Date.UTC(2026, 10, 10 + i, 8, 30, 15)),
      reason,
    }));
    const blocks = revokedBlocks(crlText(await buildCrl(input({ entries }))));
    assert.equal(blocks.size, entries.length);
    for (const [i, e] of entries.entries()) {
      const block = blocks.get(opensslSerial(e.serialHex));
      assert.ok(block !== undefined, `serial ${e.serialHex} is listed`);
      assert.match(block, new RegExp(`Revocation Date: Nov ${10 + i} 08:30:15 2026 GMT`));
      if (e.reason === 0) assert.doesNotMatch(block, /CRL Reason Code/);
      else assert.match(block, new RegExp(`X509v3 CRL Reason Code: \\n\\s+${REASON_TEXT[e.reason]}`));
      assert.doesNotMatch(block, /Reason Code: critical/);
    }
  });

  test('an entry serial is the certificate serial INTEGER exactly, with its sign byte', async () => {
    const der = await buildCrl(input({ entries: [{ serialHex: '00ab01', revokedAt: THIS_UPDATE, reason: 4 }, { serialHex: '7f02', revokedAt: THIS_UPDATE, reason: 4 }] }));
    const crl = AsnConvert.parse(der, CertificateList);
    const serials = crl.tbsCertList.revokedCertificates!.map((r) => Buffer.from(r.userCertificate).toString('hex')).sort();
    assert.deepEqual(serials, ['00ab01', '7f02']);
  });

  test('the CRL number is an INTEGER up to 2^159 − 1 (BR §7.2.2)', async () => {
    const big = (1n << 159n) - 1n;
    assert.match(crlText(await buildCrl(input({ crlNumber: big }))), new RegExp(`X509v3 CRL Number: \\n\\s+(${big.toString()}|0x${big.toString(16).toUpperCase()})\\n`));
    await assert.rejects(buildCrl(input({ crlNumber: 1n << 159n })), /2\^159/);
    await assert.rejects(buildCrl(input({ crlNumber: -1n })), /2\^159/);
  });

  test('refuses certificateHold and unlisted reasons, duplicate serials, and bad update windows', async () => {
    for (const reason of [2, 6, 8, 10]) {
      await assert.rejects(buildCrl(input({ entries: [{ serialHex: 'ab', revokedAt: THIS_UPDATE, reason }] })), /not allowed/);
    }
    await assert.rejects(
      buildCrl(input({ entries: [{ serialHex: 'ab', revokedAt: THIS_UPDATE, reason: 1 }, { serialHex: '00ab', revokedAt: THIS_UPDATE, reason: 4 }] })),
      /listed twice/,
    );
    await assert.rejects(buildCrl(input({ nextUpdate: THIS_UPDATE })), /later than thisUpdate/);
    // BR §4.9.7: at most 10 days.
    await assert.rejects(buildCrl(input({ nextUpdate: new Date(THIS_UPDATE.getTime() + 10 * 86400_000 + 1000) })), /10 days/);
    await buildCrl(input({ thisUpdate: new Date('2026-11-21T00:00:00Z'), nextUpdate: new Date('2026-12-01T00:00:00Z') }));
    await assert.rejects(buildCrl(input({ idpUrl: 'https://pki.example/crl/x/0.crl' })), /http:\/\//);
  });
});

describe('cRLDistributionPoints extension (RFC 5280 §4.2.1.13, BR §7.1.2.11.2)', () => {
  test('one DistributionPoint with fullName = [URI], non-critical, as the ASN.1 library encodes it', () => {
    const value = new CRLDistributionPoints([
      new DistributionPoint({ distributionPoint: new DistributionPointName({ fullName: [new GeneralName({ uniformResourceIdentifier: URL_3 })] }) }),
    ]);
    const ours = crlDistributionPointsDer(URL_3);
    assert.deepEqual(Buffer.from(ours), Buffer.from(derOf(extension(id_ce_cRLDistributionPoints, false, value))));
    const parsed = AsnConvert.parse(ours, Extension);
    assert.equal(parsed.critical, false);
    const dps = AsnConvert.parse(parsed.extnValue, CRLDistributionPoints);
    assert.equal(dps.length, 1);
    assert.deepEqual(dps[0]!.distributionPoint?.fullName?.map((n) => n.uniformResourceIdentifier), [URL_3]);
    assert.equal(dps[0]!.reasons, undefined);
    assert.equal(dps[0]!.cRLIssuer, undefined);
  });

  test('only http:// URIs', () => {
    assert.throws(() => crlDistributionPointsDer('https://pki.example/crl/a/0.crl'), /http:\/\//);
    assert.throws(() => crlDistributionPointsDer('http://pki.example/a b.crl'), /http:\/\//);
  });
});
