/**
 * The linter's own reading of a certificate (RFC 5280 §4.1), straight from
 * the DER with the strict TLV reader of src/ca/der.ts. Nothing here comes
 * from the profile that built the certificate: the linter must see the bytes
 * as a relying party would.
 *
 * The parse only enforces the skeleton every rule relies on (field order and
 * tags, Name and Extension shapes); field contents are left to the rules so
 * that a wrong value is reported by the rule that owns it, not as a parse
 * failure. A skeleton that does not parse is reported by `e_der_invalid`.
 */
import { DerError, bytesOf, children, contentOf, decodeOid, expectTag, readWhole, type Tlv } from '../ca/der.js';
import { OID } from './extension-values.js';
import { spkiKeyType, type SpkiKeyType } from './spki.js';

export interface LintTime {
  /** 0x17 UTCTime or 0x18 GeneralizedTime. */
  tag: number;
  /** The characters as encoded. */
  text: string;
  /** The instant, or undefined when `text` is not in the RFC 5280 §4.1.2.5.1/.2 form. */
  date: Date | undefined;
}

export interface LintExtension {
  oid: string;
  critical: boolean;
  /** True when the `critical` BOOLEAN is present in the encoding (DER omits the DEFAULT FALSE). */
  criticalEncoded: boolean;
  /** The extnValue OCTET STRING content: the DER of the extension's own value. */
  value: Uint8Array;
}

/** One AttributeTypeAndValue of a Name. */
export interface LintAttribute {
  oid: string;
  /** Tag of the value (0x0c UTF8String, 0x13 PrintableString, …). */
  valueTag: number;
  /** Content octets of the value. */
  value: Uint8Array;
}

export interface LintedCertificate {
  der: Uint8Array;
  /** Value of the explicit version INTEGER; undefined when the field is absent (v1). */
  version: number | undefined;
  /** serialNumber INTEGER content octets. */
  serial: Uint8Array;
  /** Whole DER AlgorithmIdentifier of tbsCertificate.signature. */
  tbsSignatureAlgorithm: Uint8Array;
  /** Whole DER AlgorithmIdentifier of Certificate.signatureAlgorithm. */
  signatureAlgorithm: Uint8Array;
  /** Whole DER Name of the issuer. */
  issuer: Uint8Array;
  notBefore: LintTime;
  notAfter: LintTime;
  /** Whole DER Name of the subject. */
  subject: Uint8Array;
  /** The subject's RDNs, each a list of attributes. */
  subjectRdns: LintAttribute[][];
  /** Whole DER SubjectPublicKeyInfo. */
  spki: Uint8Array;
  issuerUniqueIdPresent: boolean;
  subjectUniqueIdPresent: boolean;
  /** In certificate order; empty when the [3] field is absent. */
  extensions: LintExtension[];
}

/** What the rules need to know about the issuing CA certificate. */
export interface IssuerFacts {
  /** Whole DER Name of the issuer's subject, as encoded in its certificate. */
  subject: Uint8Array;
  /** subjectKeyIdentifier keyIdentifier, undefined when the CA certificate has none. */
  keyIdentifier: Uint8Array | undefined;
  keyType: SpkiKeyType | undefined;
}

/** RFC 5280 §4.1.2.5.1 (YYMMDDHHMMSSZ) and §4.1.2.5.2 (YYYYMMDDHHMMSSZ): Zulu, with seconds, no fractions. */
const UTC_TIME = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;
const GENERALIZED_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;

function parseTime(buf: Uint8Array, t: Tlv | undefined, what: string): LintTime {
  if (t === undefined || (t.tag !== 0x17 && t.tag !== 0x18)) throw new DerError(`${what} is not a UTCTime or GeneralizedTime`);
  const text = Buffer.from(contentOf(buf, t)).toString('latin1');
  const m = (t.tag === 0x17 ? UTC_TIME : GENERALIZED_TIME).exec(text);
  let date: Date | undefined;
  if (m !== null) {
    let year = Number(m[1]);
    // RFC 5280 §4.1.2.5.1: YY ≥ 50 is 19YY, YY < 50 is 20YY.
    if (t.tag === 0x17) year += year >= 50 ? 1900 : 2000;
    const [mo, d, h, mi, s] = [m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number];
    const candidate = new Date(Date.UTC(year, mo - 1, d, h, mi, s));
    candidate.setUTCFullYear(year); // Date.UTC maps years 0–99 to 1900–1999
    const roundTrips =
      candidate.getUTCFullYear() === year &&
      candidate.getUTCMonth() === mo - 1 &&
      candidate.getUTCDate() === d &&
      candidate.getUTCHours() === h &&
      candidate.getUTCMinutes() === mi &&
      candidate.getUTCSeconds() === s;
    if (roundTrips) date = candidate;
  }
  return { tag: t.tag, text, date };
}

/** Name ::= SEQUENCE OF RelativeDistinguishedName (SET OF AttributeTypeAndValue) — RFC 5280 §4.1.2.4. */
function parseName(buf: Uint8Array, name: Tlv, what: string): LintAttribute[][] {
  expectTag(name, 0x30, what);
  return children(buf, name).map((rdn) => {
    expectTag(rdn, 0x31, `${what} RDN`);
    const atvs = children(buf, rdn);
    if (atvs.length === 0) throw new DerError(`${what} has an empty RDN`);
    return atvs.map((atv) => {
      expectTag(atv, 0x30, `${what} AttributeTypeAndValue`);
      const [type, value, extra] = children(buf, atv);
      if (value === undefined || extra !== undefined) throw new DerError(`${what} AttributeTypeAndValue must have two fields`);
      return { oid: decodeOid(contentOf(buf, expectTag(type, 0x06, 'attribute type'))), valueTag: value.tag, value: contentOf(buf, value) };
    });
  });
}

/** Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING } — RFC 5280 §4.1. */
function parseExtension(buf: Uint8Array, ext: Tlv): LintExtension {
  expectTag(ext, 0x30, 'Extension');
  const f = children(buf, ext);
  const oid = decodeOid(contentOf(buf, expectTag(f[0], 0x06, 'extnID')));
  let i = 1;
  let critical = false;
  let criticalEncoded = false;
  if (f[i]?.tag === 0x01) {
    const b = contentOf(buf, f[i]!);
    if (b.length !== 1) throw new DerError(`extension ${oid}: BOOLEAN must be one octet`);
    critical = b[0] !== 0;
    criticalEncoded = true;
    i++;
  }
  const value = contentOf(buf, expectTag(f[i], 0x04, `extension ${oid} extnValue`));
  if (f.length !== i + 1) throw new DerError(`extension ${oid} has extra fields`);
  return { oid, critical, criticalEncoded, value };
}

function parseVersion(buf: Uint8Array, t: Tlv): number {
  const inner = children(buf, t);
  if (inner.length !== 1) throw new DerError('version must hold one INTEGER');
  const v = contentOf(buf, expectTag(inner[0], 0x02, 'version'));
  if (v.length === 0 || v.length > 4) throw new DerError('version INTEGER has a bad length');
  return v.reduce((acc, b) => acc * 256 + b, 0);
}

/** Parse the certificate skeleton; throws DerError when it is not a DER Certificate. */
export function parseLintedCertificate(der: Uint8Array): LintedCertificate {
  const top = expectTag(readWhole(der), 0x30, 'Certificate');
  const [tbs, sigAlg, sigValue, extra] = children(der, top);
  expectTag(tbs, 0x30, 'tbsCertificate');
  expectTag(sigAlg, 0x30, 'signatureAlgorithm');
  expectTag(sigValue, 0x03, 'signatureValue');
  if (extra !== undefined) throw new DerError('Certificate has more than three fields');
  const f = children(der, tbs!);
  let i = 0;
  let version: number | undefined;
  if (f[0]?.tag === 0xa0) {
    version = parseVersion(der, f[0]);
    i = 1;
  }
  const serial = contentOf(der, expectTag(f[i++], 0x02, 'serialNumber'));
  const tbsSignatureAlgorithm = bytesOf(der, expectTag(f[i++], 0x30, 'signature'));
  const issuerTlv = expectTag(f[i++], 0x30, 'issuer');
  parseName(der, issuerTlv, 'issuer');
  const validity = expectTag(f[i++], 0x30, 'validity');
  const times = children(der, validity);
  if (times.length !== 2) throw new DerError('validity must hold two times');
  const subjectTlv = expectTag(f[i++], 0x30, 'subject');
  const subjectRdns = parseName(der, subjectTlv, 'subject');
  const spki = bytesOf(der, expectTag(f[i++], 0x30, 'subjectPublicKeyInfo'));
  let issuerUniqueIdPresent = false;
  let subjectUniqueIdPresent = false;
  if (f[i]?.tag === 0x81 || f[i]?.tag === 0xa1) {
    issuerUniqueIdPresent = true;
    i++;
  }
  if (f[i]?.tag === 0x82 || f[i]?.tag === 0xa2) {
    subjectUniqueIdPresent = true;
    i++;
  }
  let extensions: LintExtension[] = [];
  if (f[i]?.tag === 0xa3) {
    const wrapped = children(der, f[i]!);
    if (wrapped.length !== 1) throw new DerError('extensions must hold one SEQUENCE');
    const exts = children(der, expectTag(wrapped[0], 0x30, 'Extensions'));
    // RFC 5280 §4.1: Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension.
    if (exts.length === 0) throw new DerError('extensions must not be an empty SEQUENCE');
    extensions = exts.map((e) => parseExtension(der, e));
    i++;
  }
  if (i !== f.length) throw new DerError('unexpected fields at the end of tbsCertificate');
  return {
    der,
    version,
    serial,
    tbsSignatureAlgorithm,
    signatureAlgorithm: bytesOf(der, sigAlg!),
    issuer: bytesOf(der, issuerTlv),
    notBefore: parseTime(der, times[0], 'notBefore'),
    notAfter: parseTime(der, times[1], 'notAfter'),
    subject: bytesOf(der, subjectTlv),
    subjectRdns,
    spki,
    issuerUniqueIdPresent,
    subjectUniqueIdPresent,
    extensions,
  };
}

/** Facts about the issuing CA certificate; throws DerError when it does not parse. */
export function issuerFactsOf(issuerDer: Uint8Array): IssuerFacts {
  const ca = parseLintedCertificate(issuerDer);
  const ski = ca.extensions.find((e) => e.oid === OID.subjectKeyIdentifier);
  let keyIdentifier: Uint8Array | undefined;
  if (ski !== undefined) keyIdentifier = contentOf(ski.value, expectTag(readWhole(ski.value), 0x04, 'SubjectKeyIdentifier'));
  return { subject: ca.subject, keyIdentifier, keyType: spkiKeyType(ca.spki) };
}
