import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import {
  AuthorityInfoAccessSyntax,
  AuthorityKeyIdentifier,
  CertificatePolicies,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
  Version,
} from '@peculiar/asn1-x509';
import { createCertificateAuthority } from '../../../src/ca/authority.js';
import { checkCsr } from '../../../src/ca/csr.js';
import { children, readWhole } from '../../../src/ca/der.js';
import { fromPem } from '../../../src/ca/pem.js';
import { FakeClock } from '../../../src/core/clock.js';
import { isShomeiError, type ErrorKind } from '../../../src/core/errors.js';
import type { ConfigInput } from '../../../src/config/schema.js';
import { certExtension, hex, makeCsr, opensslText, opensslVerify, parseCert, spkiOf, tempDir, testConfig } from './fixtures.js';

const NOW = new Date('2026-11-21T00:00:00Z');

async function newCa(input: ConfigInput = {}) {
  const dir = tempDir();
  const ca = await createCertificateAuthority(testConfig(dir, input), { clock: new FakeClock(NOW) });
  return { dir, ca };
}

const ec256 = (): KeyObject => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;

/** tbsCertificate fields as raw DER slices: [version, serial, signature, issuer, validity, subject, spki, extensions]. */
function tbsFields(der: Uint8Array): Uint8Array[] {
  const top = readWhole(der);
  const [tbs, sigAlg] = children(der, top);
  const f = children(der, tbs!).map((t) => der.subarray(t.start, t.end));
  return [...f, der.subarray(sigAlg!.start, sigAlg!.end)];
}

async function expectKind(p: Promise<unknown>, kind: ErrorKind): Promise<void> {
  await assert.rejects(p, (e: unknown) => isShomeiError(e) && e.kind === kind);
}

test('P-256 leaf: chains to the root under openssl verify and follows BR §7.1.2.7', async () => {
  const { dir, ca } = await newCa();
  const csr = await checkCsr(makeCsr({ key: ec256(), dnsNames: ['www.example.com', 'example.com'] }));
  const serialHex = ca.newSerial();
  const issued = await ca.issue({ serialHex, spki: csr.spki, names: ['www.example.com', 'example.com'], now: NOW });

  const v = opensslVerify(dir, { root: ca.rootPem(), intermediate: ca.intermediatePem(), leaf: issued.pem }, NOW);
  assert.equal(v.status, 0, v.output);
  assert.deepEqual(Buffer.from(fromPem(issued.pem, 'CERTIFICATE')), Buffer.from(issued.der));

  const text = opensslText(dir, issued.pem);
  assert.match(text, /Policy: 2\.23\.140\.1\.2\.1\n/);
  assert.match(text, /X509v3 Key Usage: critical\n\s+Digital Signature\n/);
  assert.match(text, /X509v3 Extended Key Usage: \n\s+TLS Web Server Authentication\n/);
  assert.match(text, /X509v3 Basic Constraints: critical\n\s+CA:FALSE\n/);
  assert.match(text, /Authority Information Access: \n\s+CA Issuers - URI:http:\/\/localhost:14080\/issuer\/intermediate\.der\n/);
  assert.doesNotMatch(text, /OCSP|Subject Key Identifier|CRL Distribution/);
  assert.match(text, /Subject: CN = www\.example\.com\n/);
  assert.match(text, /X509v3 Subject Alternative Name: \n\s+DNS:www\.example\.com, DNS:example\.com\n/);
  assert.match(text, /Signature Algorithm: ecdsa-with-SHA256/);

  const cert = parseCert(issued.der);
  const tbs = cert.tbsCertificate;
  assert.equal(tbs.version, Version.v3);
  // Extension set and order; no SKI (BR §7.1.2.11.4 NOT RECOMMENDED).
  assert.deepEqual(
    Array.from(tbs.extensions!, (e) => e.extnID),
    ['2.5.29.15', '2.5.29.37', '2.5.29.19', '2.5.29.35', '1.3.6.1.5.5.7.1.1', '2.5.29.17', '2.5.29.32'],
  );
  const interSki = certExtension(parseCert(ca.intermediateDer()), '2.5.29.14', SubjectKeyIdentifier)!.value;
  const aki = certExtension(cert, '2.5.29.35', AuthorityKeyIdentifier)!;
  assert.equal(aki.critical, false);
  assert.equal(hex(aki.value.keyIdentifier!.buffer), hex(interSki.buffer));
  assert.equal(aki.value.authorityCertIssuer, undefined);
  assert.equal(aki.value.authorityCertSerialNumber, undefined);
  const policies = certExtension(cert, '2.5.29.32', CertificatePolicies)!.value;
  assert.deepEqual(Array.from(policies, (p) => [p.policyIdentifier, p.policyQualifiers]), [['2.23.140.1.2.1', undefined]]);
  const aia = certExtension(cert, '1.3.6.1.5.5.7.1.1', AuthorityInfoAccessSyntax)!.value;
  assert.deepEqual(
    Array.from(aia, (a) => [a.accessMethod, a.accessLocation.uniformResourceIdentifier]),
    [['1.3.6.1.5.5.7.48.2', 'http://localhost:14080/issuer/intermediate.der']],
  );
  assert.equal(certExtension(cert, '2.5.29.17', SubjectAlternativeName)!.critical, false);

  // Serial: as requested, positive, ≥ 64 bits of magnitude.
  assert.equal(hex(tbs.serialNumber), serialHex);
  assert.equal(new Uint8Array(tbs.serialNumber)[0]! & 0x80, 0);
  assert.ok(BigInt(`0x${serialHex}`) >= 1n << 64n);

  // issuer byte-identical to the intermediate's subject; both signature AlgorithmIdentifiers exact.
  const leafF = tbsFields(issued.der);
  const interF = tbsFields(ca.intermediateDer());
  assert.equal(hex(leafF[3]!), hex(interF[5]!));
  assert.equal(hex(leafF[2]!), '300a06082a8648ce3d040302');
  assert.equal(hex(leafF[8]!), '300a06082a8648ce3d040302');
  assert.equal(hex(leafF[6]!), hex(csr.spki));

  // SPEC §2 validity: issued 09:00 JST 21 Nov → last day 19 Feb 23:59:59 JST.
  assert.equal(issued.notBefore.toISOString(), '2026-11-21T00:00:00.000Z');
  assert.equal(issued.notAfter.toISOString(), '2027-02-19T14:59:59.000Z');
  assert.equal(tbs.validity.notAfter.getTime().toISOString(), '2027-02-19T14:59:59.000Z');
});

test('RSA-2048 leaf: keyUsage adds keyEncipherment; chain verifies', async () => {
  const { dir, ca } = await newCa();
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const csr = await checkCsr(makeCsr({ key, dnsNames: ['rsa.example'] }));
  const issued = await ca.issue({ serialHex: ca.newSerial(), spki: csr.spki, names: csr.names, now: NOW });
  const v = opensslVerify(dir, { root: ca.rootPem(), intermediate: ca.intermediatePem(), leaf: issued.pem }, NOW);
  assert.equal(v.status, 0, v.output);
  const text = opensslText(dir, issued.pem);
  assert.match(text, /X509v3 Key Usage: critical\n\s+Digital Signature, Key Encipherment\n/);
  assert.match(text, /Public-Key: \(2048 bit\)/);
});

test('subject empty and SAN critical when includeCommonName is off (BR §7.1.2.7.12)', async () => {
  const { dir, ca } = await newCa({ ca: { includeCommonName: false } });
  const issued = await ca.issue({ serialHex: ca.newSerial(), spki: spkiOf(ec256()), names: ['a.example'], now: NOW });
  const cert = parseCert(issued.der);
  assert.equal(cert.tbsCertificate.subject.length, 0);
  assert.equal(certExtension(cert, '2.5.29.17', SubjectAlternativeName)!.critical, true);
  const v = opensslVerify(dir, { root: ca.rootPem(), intermediate: ca.intermediatePem(), leaf: issued.pem }, NOW);
  assert.equal(v.status, 0, v.output);
});

test('subject empty and SAN critical when the first name exceeds 64 characters (BR §7.1.4.3)', async () => {
  const { ca } = await newCa();
  const long = `${'a'.repeat(60)}.example`; // 68 characters
  const issued = await ca.issue({ serialHex: ca.newSerial(), spki: spkiOf(ec256()), names: [long, 'b.example'], now: NOW });
  const cert = parseCert(issued.der);
  assert.equal(cert.tbsCertificate.subject.length, 0);
  assert.equal(certExtension(cert, '2.5.29.17', SubjectAlternativeName)!.critical, true);
});

test('issue refuses bad serials, refused keys, malformed names and validity beyond the issuer', async () => {
  const { ca } = await newCa();
  const spki = spkiOf(ec256());
  await expectKind(ca.issue({ serialHex: '00', spki, names: ['a.example'], now: NOW }), 'serverInternal');
  await expectKind(ca.issue({ serialHex: 'ff', spki, names: ['a.example'], now: NOW }), 'serverInternal');
  const p521 = spkiOf(generateKeyPairSync('ec', { namedCurve: 'P-521' }).privateKey);
  await expectKind(ca.issue({ serialHex: ca.newSerial(), spki: p521, names: ['a.example'], now: NOW }), 'badPublicKey');
  for (const names of [[], ['192.0.2.1.'], ['Upper.example'], ['a.example', 'a.example'], ['under_score.example']]) {
    await expectKind(ca.issue({ serialHex: ca.newSerial(), spki, names, now: NOW }), 'serverInternal');
  }
  // The intermediate (5 years from 2026-11-21) cannot cover a leaf ending after it.
  await expectKind(ca.issue({ serialHex: ca.newSerial(), spki, names: ['a.example'], now: new Date('2031-11-01T00:00:00Z') }), 'serverInternal');
});

test('wildcard names are issued as dNSNames', async () => {
  const { ca } = await newCa();
  const issued = await ca.issue({ serialHex: ca.newSerial(), spki: spkiOf(ec256()), names: ['*.example.com', 'example.com'], now: NOW });
  const san = certExtension(parseCert(issued.der), '2.5.29.17', SubjectAlternativeName)!.value;
  assert.deepEqual(Array.from(san, (g) => g.dNSName), ['*.example.com', 'example.com']);
});

test('configured validity and time zone are applied', async () => {
  const { ca } = await newCa({ timeZone: 'UTC', ca: { validityDays: 30, backdateSeconds: 60 } });
  const issued = await ca.issue({ serialHex: ca.newSerial(), spki: spkiOf(ec256()), names: ['a.example'], now: NOW });
  assert.equal(issued.notBefore.toISOString(), '2026-11-20T23:59:00.000Z');
  assert.equal(issued.notAfter.toISOString(), '2026-12-21T23:59:59.000Z');
});

test('AIA must be http (BR §7.1.2.7.7): an https artefacts URL is refused at start', async () => {
  await assert.rejects(newCa({ artefacts: { baseUrl: 'https://ca.example' } }), /http:\/\//);
});

test('root and intermediate accessors agree with the files; a second start reuses them', async () => {
  const { dir, ca } = await newCa();
  assert.equal(ca.rootPath(), join(dir, 'ca', 'root.pem'));
  assert.deepEqual(Buffer.from(fromPem(ca.rootPem(), 'CERTIFICATE')), Buffer.from(ca.rootDer()));
  assert.deepEqual(Buffer.from(fromPem(ca.intermediatePem(), 'CERTIFICATE')), Buffer.from(ca.intermediateDer()));
  const again = await createCertificateAuthority(testConfig(dir), { clock: new FakeClock('2027-05-01T00:00:00Z') });
  assert.deepEqual(Buffer.from(again.rootDer()), Buffer.from(ca.rootDer()));
  assert.deepEqual(Buffer.from(again.intermediateDer()), Buffer.from(ca.intermediateDer()));
});

test('issue re-applies the key policy unless handed the unaltered SPKI array checkCsr returned', async () => {
  const { ca } = await newCa();
  const csr = await checkCsr(makeCsr({ key: ec256(), dnsNames: ['a.example'] }));
  const issued = await ca.issue({ serialHex: ca.newSerial(), spki: csr.spki, names: csr.names, now: NOW });
  assert.equal(hex(tbsFields(issued.der)[6]!), hex(csr.spki));
  // The same array altered after the check (point moved off the curve): checked again and refused.
  csr.spki[csr.spki.length - 1]! ^= 1;
  await expectKind(ca.issue({ serialHex: ca.newSerial(), spki: csr.spki, names: csr.names, now: NOW }), 'badPublicKey');
});

test('validityAt: same answer within a second, fresh Date objects each time', async () => {
  const { ca } = await newCa();
  const a = ca.validityAt(new Date('2026-11-21T00:00:00.100Z'));
  const b = ca.validityAt(new Date('2026-11-21T00:00:00.900Z'));
  assert.deepEqual(a, b);
  assert.notEqual(a.notBefore, b.notBefore);
  a.notBefore.setTime(0);
  assert.equal(ca.validityAt(new Date('2026-11-21T00:00:00.500Z')).notBefore.toISOString(), '2026-11-21T00:00:00.000Z');
  assert.equal(ca.validityAt(new Date('2026-11-21T00:00:01Z')).notBefore.toISOString(), '2026-11-21T00:00:01.000Z');
});
