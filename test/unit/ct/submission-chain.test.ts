import { after, before, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeOid } from '../../../src/ca/der.js';
import { loadOrCreateDevHierarchy, type DevHierarchy } from '../../../src/ca/dev-hierarchy.js';
import { describeIssuingCa } from '../../../src/ca/issuing-ca.js';
import { extensionDer } from '../../../src/ca/x509-extensions.js';
import { isShomeiError } from '../../../src/core/errors.js';
import { OID_CT_POISON } from '../../../src/ct/precertificate.js';
import { OID_PRECERT_SIGNING, verifySubmission } from '../../../src/ct/log/submission-chain.js';
import { encodeCertificateChain, encodePrecertChainEntry } from '../../../src/ct/rfc6962.js';
import { makeCert, type CertOptions, type Issuer } from '../../support/ct-certs.js';

const NOW = new Date('2026-11-21T00:00:00Z');
const dirs: string[] = [];
let dev: DevHierarchy;
let other: DevHierarchy;
let inter: Issuer;

async function hierarchy(org: string): Promise<DevHierarchy> {
  const d = mkdtempSync(join(tmpdir(), 'shomei-ct-chain-'));
  dirs.push(d);
  return loadOrCreateDevHierarchy(d, { organization: org, now: NOW });
}

before(async () => {
  dev = await hierarchy('Shomei CT Chain Test');
  other = await hierarchy('Some Other CA');
  inter = { subject: describeIssuingCa(dev.intermediate.der, dev.intermediateSigner).subjectDer, signer: dev.intermediateSigner };
});
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const leaf = (o: Partial<CertOptions> = {}) => makeCert(inter, { names: ['leaf.example.test'], now: NOW, ...o });
const roots = (): Uint8Array[] => [dev.root.der];

function refused(fn: () => unknown, re: RegExp): void {
  assert.throws(fn, (e) => isShomeiError(e) && e.kind === 'malformed' && re.test(e.message), re.source);
}

test('§3.1 precertificate chain: precert entry with SHA-256(issuer SPKI) and the TBS without the poison', async () => {
  const p = await leaf({ precert: true });
  const v = verifySubmission('precert', [p.der, dev.intermediate.der, dev.root.der], roots());
  assert.equal(v.entry.type, 'precert');
  if (v.entry.type !== 'precert') return;
  assert.deepEqual(v.entry.issuerKeyHash, new Uint8Array(createHash('sha256').update(dev.intermediateSigner.spki).digest()));
  assert.deepEqual(v.entry.tbsDer, p.tbsWithoutPoison, 'only the poison removed, every other byte as signed');
  assert.deepEqual(v.extraData, encodePrecertChainEntry(p.der, [dev.intermediate.der, dev.root.der]));
});

test('§3.1 certificate chain with the root omitted: the accepted root is appended to the stored chain', async () => {
  const c = await leaf();
  const v = verifySubmission('x509', [c.der, dev.intermediate.der], roots());
  assert.deepEqual(v.entry, { type: 'x509', certDer: c.der });
  assert.deepEqual(v.extraData, encodeCertificateChain([dev.intermediate.der, dev.root.der]));
});

test('§4.1 add-chain refuses a precertificate; add-pre-chain refuses a certificate without the poison', async () => {
  const p = await leaf({ precert: true });
  refused(() => verifySubmission('x509', [p.der, dev.intermediate.der], roots()), /add-pre-chain/);
  const c = await leaf();
  refused(() => verifySubmission('precert', [c.der, dev.intermediate.der], roots()), /poison extension exactly once/);
});

test('§3.1 the poison must be critical, ASN.1 NULL, and present once', async () => {
  const nonCritical = await leaf({ precert: true, poisonDer: extensionDer(encodeOid(OID_CT_POISON), false, Uint8Array.of(0x05, 0x00)) });
  refused(() => verifySubmission('precert', [nonCritical.der, dev.intermediate.der], roots()), /critical/);
  const notNull = await leaf({ precert: true, poisonDer: extensionDer(encodeOid(OID_CT_POISON), true, Uint8Array.of(0x04, 0x00)) });
  refused(() => verifySubmission('precert', [notNull.der, dev.intermediate.der], roots()), /NULL/);
  const twice = await leaf({ precert: true, extraExtensions: [extensionDer(encodeOid(OID_CT_POISON), true, Uint8Array.of(0x05, 0x00))] });
  refused(() => verifySubmission('precert', [twice.der, dev.intermediate.der], roots()), /exactly once/);
});

test('§3.1 a chain to a root the log does not accept is refused', async () => {
  const c = await leaf();
  refused(() => verifySubmission('x509', [c.der, dev.intermediate.der, dev.root.der], [other.root.der]), /does not lead to a root/);
  refused(() => verifySubmission('x509', [c.der], roots()), /does not lead to a root/);
});

test('§3.1 every certificate must be signed by the next: wrong order, wrong issuer, forged signature', async () => {
  const c = await leaf();
  refused(() => verifySubmission('x509', [c.der, dev.root.der], roots()), /issuer name does not match/);
  refused(() => verifySubmission('x509', [c.der, other.intermediate.der, other.root.der], [other.root.der]), /issuer name does not match|signature/);
  const forged = Uint8Array.from(c.der);
  forged[forged.length - 5]! ^= 0x01;
  refused(() => verifySubmission('x509', [forged, dev.intermediate.der], roots()), /signature does not verify|not a DER/);
});

test('RFC 5280 §4.2.1.9: an issuer in the chain must be a CA certificate', async () => {
  const notCa = await leaf({ names: ['not-a-ca.example.test'] });
  const under = await makeCert(notCa.asIssuer, { names: ['under.example.test'], now: NOW });
  refused(() => verifySubmission('x509', [under.der, notCa.der, dev.intermediate.der], roots()), /not a CA certificate/);
});

test('§3.1 precertificates from a Precertificate Signing Certificate are refused clearly', async () => {
  const pscEku = await makeCert(inter, { names: ['Precert Signing'], now: NOW, ca: true, eku: [OID_PRECERT_SIGNING] });
  const p = await makeCert(pscEku.asIssuer, { names: ['via-psc.example.test'], now: NOW, precert: true });
  refused(() => verifySubmission('precert', [p.der, pscEku.der, dev.intermediate.der], roots()), /Precertificate Signing Certificate/);
});

test('malformed DER, trailing bytes, empty and over-long chains are refused as malformed', async () => {
  const c = await leaf();
  refused(() => verifySubmission('x509', [Uint8Array.of(0x30, 0x03, 0x02, 0x01)], roots()), /chain\[0\]/);
  refused(() => verifySubmission('x509', [Uint8Array.from([...c.der, 0x00]), dev.intermediate.der], roots()), /trailing/);
  refused(() => verifySubmission('x509', [new Uint8Array(0)], roots()), /chain\[0\]/);
  refused(() => verifySubmission('x509', [], roots()), /empty/);
  refused(() => verifySubmission('x509', Array.from({ length: 11 }, () => c.der), roots()), /more than 10/);
  // A sequence that is not a certificate at all.
  refused(() => verifySubmission('x509', [Uint8Array.of(0x30, 0x00), dev.intermediate.der], roots()), /chain\[0\]/);
});
