/**
 * The certificate builder concatenates precomputed DER; this file keeps the
 * previous @peculiar/asn1-x509 builder as the reference and checks that both
 * produce the same bytes, TBSCertificate and whole certificate, for a spread
 * of keys, names, validity dates and serials.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  Certificate,
  Extension,
  Extensions,
  GeneralName,
  KeyUsageFlags,
  Name,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
} from '@peculiar/asn1-x509';
import { createCertificateAuthority } from '../../../src/ca/authority.js';
import { children, encodeTime, readWhole } from '../../../src/ca/der.js';
import type { IssuingCa } from '../../../src/ca/issuing-ca.js';
import { dvLeafProfile, type DvLeafRequest, type DvProfileOptions } from '../../../src/ca/profile-dv.js';
import { newSerialHex, serialHexToBytes } from '../../../src/ca/serial.js';
import { encodeTbs, signCertificate, signatureAlgorithmDer } from '../../../src/ca/sign-certificate.js';
import type { Signer } from '../../../src/ca/signer.js';
import {
  OID_CN,
  OID_KP_SERVER_AUTH,
  OID_O,
  OID_POLICY_DV,
  aiaCaIssuers,
  authorityKeyIdentifier,
  basicConstraints,
  certificatePolicies,
  derOf,
  distinguishedName,
  extKeyUsage,
  keyIdentifierOf,
  keyUsage,
  subjectAltName,
  subjectKeyIdentifier,
} from '../../../src/ca/x509-extensions.js';
import { FakeClock } from '../../../src/core/clock.js';
import { hex, spkiOf, tempDir, testConfig } from './fixtures.js';

// ---- the reference: the asn1-schema builder Shomei used before (sign-certificate.ts, profile-dv.ts) ----

interface RefTbsFields {
  serial: Uint8Array;
  issuer: Name;
  subject: Name;
  notBefore: Date;
  notAfter: Date;
  spki: Uint8Array;
  extensions: Extension[];
}

function refBuildTbs(f: RefTbsFields, signatureAlgorithmOid: string): TBSCertificate {
  const spki = AsnConvert.parse(f.spki, SubjectPublicKeyInfo);
  assert.equal(hex(AsnConvert.serialize(spki)), hex(f.spki), 'reference: SPKI round-trips');
  return new TBSCertificate({
    version: Version.v3,
    serialNumber: Uint8Array.from(f.serial).buffer,
    signature: new AlgorithmIdentifier({ algorithm: signatureAlgorithmOid }),
    issuer: f.issuer,
    validity: new Validity({ notBefore: f.notBefore, notAfter: f.notAfter }),
    subject: f.subject,
    subjectPublicKeyInfo: spki,
    extensions: new Extensions(f.extensions),
  });
}

function refLeafKeyUsage(spki: Uint8Array): number {
  const alg = AsnConvert.parse(spki, SubjectPublicKeyInfo).algorithm.algorithm;
  if (alg === '1.2.840.10045.2.1') return KeyUsageFlags.digitalSignature;
  if (alg === '1.2.840.113549.1.1.1') return KeyUsageFlags.digitalSignature | KeyUsageFlags.keyEncipherment;
  throw new Error(`no DV profile for key algorithm ${alg}`);
}

function refDvLeafFields(ca: IssuingCa, req: DvLeafRequest, opts: DvProfileOptions, extraSans: GeneralName[] = []): RefTbsFields {
  const first = req.names[0];
  const subject =
    opts.includeCommonName && first !== undefined && first.length <= 64 ? distinguishedName([[OID_CN, first]]) : new Name([]);
  return {
    serial: req.serial,
    issuer: ca.subject,
    subject,
    notBefore: req.notBefore,
    notAfter: req.notAfter,
    spki: req.spki,
    extensions: [
      keyUsage(refLeafKeyUsage(req.spki)),
      extKeyUsage([OID_KP_SERVER_AUTH]),
      basicConstraints(false),
      authorityKeyIdentifier(ca.keyIdentifier),
      aiaCaIssuers(opts.caIssuersUrl),
      subjectAltName([...req.names.map((dNSName) => new GeneralName({ dNSName })), ...extraSans], subject.length === 0),
      certificatePolicies([OID_POLICY_DV]),
    ],
  };
}

function refCertificate(tbs: TBSCertificate, sigOid: string, signature: Uint8Array): Uint8Array {
  const cert = new Certificate({
    tbsCertificate: tbs,
    signatureAlgorithm: new AlgorithmIdentifier({ algorithm: sigOid }),
    signatureValue: Uint8Array.from(signature).buffer,
  });
  return new Uint8Array(AsnConvert.serialize(cert));
}

/** The signature BIT STRING value of a certificate. */
function signatureOf(der: Uint8Array): Uint8Array {
  const [, , sig] = children(der, readWhole(der));
  return der.subarray(sig!.contentStart + 1, sig!.end);
}

// ---- fixtures ----

const NOW = new Date('2026-11-21T00:00:00Z');

async function setup() {
  const ca = await createCertificateAuthority(testConfig(tempDir()), { clock: new FakeClock(NOW) });
  return ca;
}

const keys = {
  'P-256': spkiOf(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey),
  'P-384': spkiOf(generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey),
  'RSA-2048': spkiOf(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey),
  'RSA-4096': spkiOf(generateKeyPairSync('rsa', { modulusLength: 4096 }).privateKey),
};

const label = (n: number, len: number) => `n${n}-${'x'.repeat(Math.max(0, len - String(n).length - 2))}`.slice(0, len);

const nameSets: Record<string, string[]> = {
  one: ['www.example.com'],
  two: ['www.example.com', 'example.com'],
  wildcard: ['*.example.com', 'example.com'],
  'CN of exactly 64': [`${'a'.repeat(56)}.example`, 'b.example'],
  'first name 65 → no CN': [`${'a'.repeat(57)}.example`, 'b.example'],
  '100 SANs': Array.from({ length: 100 }, (_, i) => `host-${i}.sub.example.com`),
  // 300 names of ~245 characters: SAN, extensions and TBS all need 3-octet lengths (> 65535).
  'huge SAN': Array.from({ length: 300 }, (_, i) => `${label(i, 60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(55)}.example`),
};

const validities: Array<[string, Date, Date]> = [
  ['UTCTime', NOW, new Date('2027-02-19T14:59:59Z')],
  ['last UTCTime second', new Date('2049-06-01T00:00:00Z'), new Date('2049-12-31T23:59:59Z')],
  ['GeneralizedTime from 2050', new Date('2049-12-31T23:59:59Z'), new Date('2050-01-01T00:00:00Z')],
  ['milliseconds dropped', new Date('2026-11-21T00:00:00.999Z'), new Date('2027-01-01T00:00:00.001Z')],
];

test('DV leaf TBSCertificate: byte-identical to the asn1-x509 builder (keys × CN on/off × names)', async () => {
  const ca = await setup();
  const sigOid = ca.issuingCa.signer.signatureAlgorithmOid;
  let compared = 0;
  for (const includeCommonName of [true, false]) {
    const opts: DvProfileOptions = { includeCommonName, caIssuersUrl: ca.profile.caIssuersUrl };
    const profile = dvLeafProfile(ca.issuingCa, opts);
    for (const [keyName, spki] of Object.entries(keys)) {
      for (const [setName, names] of Object.entries(nameSets)) {
        const req: DvLeafRequest = { serial: serialHexToBytes(newSerialHex()), spki, names, notBefore: NOW, notAfter: new Date('2027-02-19T14:59:59Z') };
        const fast = encodeTbs(profile.fields(req), signatureAlgorithmDer(sigOid));
        const ref = new Uint8Array(AsnConvert.serialize(refBuildTbs(refDvLeafFields(ca.issuingCa, req, opts), sigOid)));
        assert.equal(hex(fast), hex(ref), `${keyName}, ${setName}, includeCommonName=${includeCommonName}`);
        compared++;
      }
    }
  }
  assert.equal(compared, 2 * 4 * Object.keys(nameSets).length);
});

test('validity times and serial encodings match (UTCTime through 2049, GeneralizedTime after)', async () => {
  const ca = await setup();
  const sigOid = ca.issuingCa.signer.signatureAlgorithmOid;
  const serials = ['01', '7f', '0080', '00ff' + 'ab'.repeat(15), '7f' + 'ff'.repeat(19), newSerialHex()];
  for (const [what, notBefore, notAfter] of validities) {
    for (const serialHex of serials) {
      const req: DvLeafRequest = { serial: serialHexToBytes(serialHex), spki: keys['P-256'], names: ['a.example'], notBefore, notAfter };
      const fast = encodeTbs(ca.leafProfile.fields(req), signatureAlgorithmDer(sigOid));
      const ref = new Uint8Array(AsnConvert.serialize(refBuildTbs(refDvLeafFields(ca.issuingCa, req, ca.profile), sigOid)));
      assert.equal(hex(fast), hex(ref), `${what}, serial ${serialHex}`);
    }
  }
  // RFC 5280 §4.1.2.5: before 1950 is GeneralizedTime too (the old builder wrote a two-digit UTCTime there).
  assert.equal(Buffer.from(encodeTime(new Date('1949-12-31T23:59:59Z'))).toString('latin1').slice(2), '19491231235959Z');
  assert.equal(encodeTime(new Date('1950-01-01T00:00:00Z'))[0], 0x17);
});

test('whole certificates match, signed by the real CA signer (leaf with IP SANs as the listener uses)', async () => {
  const ca = await setup();
  const signer = ca.issuingCa.signer;
  const ips = ['127.0.0.1', '::1', '192.0.2.10', '2001:db8::1'].map((iPAddress) => new GeneralName({ iPAddress }));
  for (const [keyName, spki] of Object.entries(keys)) {
    for (const extra of [[], ips]) {
      const req: DvLeafRequest = {
        serial: serialHexToBytes(newSerialHex()),
        spki,
        names: ['localhost', 'acme.shomei.test'],
        ...ca.validityAt(NOW),
      };
      const der = await signCertificate(ca.leafProfile.fields(req, extra.map(derOf)), signer);
      const refTbs = refBuildTbs(refDvLeafFields(ca.issuingCa, req, ca.profile, extra), signer.signatureAlgorithmOid);
      assert.equal(hex(der), hex(refCertificate(refTbs, signer.signatureAlgorithmOid, signatureOf(der))), `${keyName}, ${extra.length} IPs`);
    }
  }
});

test('CA-style TBS (dev hierarchy fields) matches, and keyIdentifierOf is RFC 5280 method 1', async () => {
  const rootSpki = keys['P-384'];
  const interSpki = keys['P-256'];
  const rootName = distinguishedName([
    [OID_O, 'Shomei Test Org — 証明'],
    [OID_CN, 'Shomei Development Root CA P-384'],
  ]);
  const interName = distinguishedName([
    [OID_O, 'Shomei Test Org — 証明'],
    [OID_CN, 'Shomei Development Issuing CA P-256'],
  ]);
  const rootKi = keyIdentifierOf(rootSpki);
  const refKi = createHash('sha1').update(new Uint8Array(AsnConvert.parse(rootSpki, SubjectPublicKeyInfo).subjectPublicKey)).digest();
  assert.equal(hex(rootKi), hex(refKi));
  const extensions = [
    keyUsage(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign),
    basicConstraints(true, 0),
    extKeyUsage([OID_KP_SERVER_AUTH]),
    subjectKeyIdentifier(keyIdentifierOf(interSpki)),
    authorityKeyIdentifier(rootKi),
    certificatePolicies([OID_POLICY_DV]),
  ];
  const base = {
    serial: serialHexToBytes(newSerialHex()),
    notBefore: new Date('2026-11-20T23:00:00Z'),
    notAfter: new Date('2031-11-20T22:59:59Z'),
    spki: interSpki,
  };
  for (const oid of ['1.2.840.10045.4.3.2', '1.2.840.10045.4.3.3']) {
    const fast = encodeTbs({ ...base, issuer: derOf(rootName), subject: derOf(interName), extensions: extensions.map(derOf) }, signatureAlgorithmDer(oid));
    const ref = new Uint8Array(AsnConvert.serialize(refBuildTbs({ ...base, issuer: rootName, subject: interName, extensions }, oid)));
    assert.equal(hex(fast), hex(ref), oid);
  }
});

test('the builder refuses malformed serials and SPKIs instead of certifying them', async () => {
  const ca = await setup();
  const alg = signatureAlgorithmDer(ca.issuingCa.signer.signatureAlgorithmOid);
  const ok: DvLeafRequest = { serial: Uint8Array.of(1), spki: keys['P-256'], names: ['a.example'], notBefore: NOW, notAfter: NOW };
  for (const serial of [new Uint8Array(0), Uint8Array.of(0x80), Uint8Array.of(0, 1), new Uint8Array(21).fill(1)]) {
    assert.throws(() => encodeTbs(ca.leafProfile.fields({ ...ok, serial }), alg), /serial/);
  }
  const spki = keys['P-256'];
  for (const bad of [Uint8Array.from([...spki, 0]), spki.subarray(0, spki.length - 1), Uint8Array.of(0x30, 0x00)]) {
    assert.throws(() => encodeTbs({ ...ca.leafProfile.fields(ok), spki: bad }, alg), /SubjectPublicKeyInfo/);
  }
});

test('post-sign check: a signer producing a bad signature never yields a certificate', async () => {
  const ca = await setup();
  const real = ca.issuingCa.signer;
  const fields = ca.leafProfile.fields({ serial: Uint8Array.of(1), spki: keys['P-256'], names: ['a.example'], ...ca.validityAt(NOW) });
  const corrupt: Signer = {
    signatureAlgorithmOid: real.signatureAlgorithmOid,
    spki: real.spki,
    async sign(data) {
      const sig = Uint8Array.from(await real.sign(data));
      sig[sig.length - 1]! ^= 1;
      return sig;
    },
  };
  await assert.rejects(signCertificate(fields, corrupt), /does not verify/);
  const otherKey: Signer = { ...real, spki: spkiOf(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey), sign: (d) => real.sign(d) };
  await assert.rejects(signCertificate(fields, otherKey), /does not verify/);
});
