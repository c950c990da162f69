/**
 * Decoders for the extension values of the DV subscriber profile, written
 * against the ASN.1 of RFC 5280 §4.2 / RFC 6962 §3.3 with the strict TLV
 * reader (never with the profile's encoders). Each throws DerError on a value
 * that is not its type; `e_extension_value_malformed` reports that, and the
 * other rules of the extension then stay silent.
 */
import { DerError, children, contentOf, decodeOid, expectTag, readWhole, type Tlv } from '../ca/der.js';
import type { LintExtension, LintedCertificate } from './certificate.js';

export const OID = {
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  crlDistributionPoints: '2.5.29.31',
  certificatePolicies: '2.5.29.32',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  /** RFC 6962 §3.3 embedded SCT list. */
  sctList: '1.3.6.1.4.1.11129.2.4.2',
  /** RFC 6962 §3.1 precertificate poison. */
  ctPoison: '1.3.6.1.4.1.11129.2.4.3',
} as const;

/** One GeneralName (RFC 5280 §4.2.1.6): its context tag byte and content octets. */
export interface GeneralNameValue {
  /** 0x82 dNSName, 0x86 uniformResourceIdentifier, 0x87 iPAddress, 0xa0 otherName, … */
  tag: number;
  value: Uint8Array;
}

export const GN_DNS_NAME = 0x82;
export const GN_URI = 0x86;
export const GN_IP_ADDRESS = 0x87;

function whole(v: Uint8Array, tag: number, what: string): Tlv {
  return expectTag(readWhole(v), tag, what);
}

function generalNames(buf: Uint8Array, seq: Tlv, what: string): GeneralNameValue[] {
  return children(buf, seq).map((gn) => {
    if ((gn.tag & 0xc0) !== 0x80) throw new DerError(`${what}: a GeneralName must be context-tagged`);
    return { tag: gn.tag, value: contentOf(buf, gn) };
  });
}

/** Named bits set in a keyUsage BIT STRING (bit 0 = digitalSignature … 8 = decipherOnly), RFC 5280 §4.2.1.3. */
export interface KeyUsageValue {
  bits: number[];
  /** X.690 §11.2.2: a named-bit BIT STRING has no trailing zero bits (and zero unused bits). */
  minimal: boolean;
}

export function decodeKeyUsage(v: Uint8Array): KeyUsageValue {
  const c = contentOf(v, whole(v, 0x03, 'KeyUsage'));
  const unused = c[0];
  if (unused === undefined || unused > 7 || (c.length === 1 && unused !== 0)) throw new DerError('KeyUsage: bad unused-bits octet');
  const bytes = c.subarray(1);
  const bits: number[] = [];
  for (let i = 0; i < bytes.length * 8 - unused; i++) if ((bytes[i >> 3]! >> (7 - (i & 7))) & 1) bits.push(i);
  const last = bytes[bytes.length - 1];
  const minimal = last === undefined || ((last >> unused) & 1) === 1 && (last & ((1 << unused) - 1)) === 0;
  return { bits, minimal };
}

/** KeyPurposeId OIDs; RFC 5280 §4.2.1.12: SEQUENCE SIZE (1..MAX). */
export function decodeExtKeyUsage(v: Uint8Array): string[] {
  const seq = whole(v, 0x30, 'ExtKeyUsageSyntax');
  const oids = children(v, seq).map((o) => decodeOid(contentOf(v, expectTag(o, 0x06, 'KeyPurposeId'))));
  if (oids.length === 0) throw new DerError('ExtKeyUsageSyntax must not be empty');
  return oids;
}

export interface BasicConstraintsValue {
  cA: boolean;
  /** True when the cA BOOLEAN is encoded (DER omits the DEFAULT FALSE). */
  cAEncoded: boolean;
  pathLenPresent: boolean;
}

/** RFC 5280 §4.2.1.9: SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER OPTIONAL }. */
export function decodeBasicConstraints(v: Uint8Array): BasicConstraintsValue {
  const f = children(v, whole(v, 0x30, 'BasicConstraints'));
  let i = 0;
  let cA = false;
  let cAEncoded = false;
  if (f[i]?.tag === 0x01) {
    const b = contentOf(v, f[i]!);
    if (b.length !== 1) throw new DerError('BasicConstraints: BOOLEAN must be one octet');
    cA = b[0] !== 0;
    cAEncoded = true;
    i++;
  }
  let pathLenPresent = false;
  if (f[i]?.tag === 0x02) {
    pathLenPresent = true;
    i++;
  }
  if (i !== f.length) throw new DerError('BasicConstraints has unexpected fields');
  return { cA, cAEncoded, pathLenPresent };
}

export interface AuthorityKeyIdentifierValue {
  keyIdentifier: Uint8Array | undefined;
  /** authorityCertIssuer [1] or authorityCertSerialNumber [2] present. */
  issuerAndSerialPresent: boolean;
}

/** RFC 5280 §4.2.1.1: SEQUENCE { [0] KeyIdentifier OPTIONAL, [1] GeneralNames OPTIONAL, [2] INTEGER OPTIONAL }. */
export function decodeAuthorityKeyIdentifier(v: Uint8Array): AuthorityKeyIdentifierValue {
  let keyIdentifier: Uint8Array | undefined;
  let issuerAndSerialPresent = false;
  let last = -1;
  for (const f of children(v, whole(v, 0x30, 'AuthorityKeyIdentifier'))) {
    const n = f.tag === 0x80 ? 0 : f.tag === 0xa1 ? 1 : f.tag === 0x82 ? 2 : -1;
    if (n <= last) throw new DerError('AuthorityKeyIdentifier: unexpected or out-of-order field');
    last = n;
    if (n === 0) keyIdentifier = contentOf(v, f);
    else issuerAndSerialPresent = true;
  }
  return { keyIdentifier, issuerAndSerialPresent };
}

/** RFC 5280 §4.2.1.2: KeyIdentifier ::= OCTET STRING. */
export function decodeSubjectKeyIdentifier(v: Uint8Array): Uint8Array {
  return contentOf(v, whole(v, 0x04, 'SubjectKeyIdentifier'));
}

/** RFC 5280 §4.2.1.6: GeneralNames, in order (may be empty here; `e_san_empty` reports that). */
export function decodeSubjectAltName(v: Uint8Array): GeneralNameValue[] {
  return generalNames(v, whole(v, 0x30, 'SubjectAltName'), 'SubjectAltName');
}

export interface PolicyQualifierValue {
  oid: string;
  /** The CPSuri when the qualifier is id-qt-cps with an IA5String. */
  cpsUri: string | undefined;
}

export interface PolicyInformationValue {
  oid: string;
  qualifiers: PolicyQualifierValue[];
}

export const OID_QT_CPS = '1.3.6.1.5.5.7.2.1';

/** RFC 5280 §4.2.1.4: SEQUENCE SIZE (1..MAX) OF PolicyInformation. */
export function decodeCertificatePolicies(v: Uint8Array): PolicyInformationValue[] {
  const infos = children(v, whole(v, 0x30, 'CertificatePolicies')).map((pi) => {
    const [id, quals, extra] = children(v, expectTag(pi, 0x30, 'PolicyInformation'));
    if (extra !== undefined) throw new DerError('PolicyInformation has extra fields');
    const oid = decodeOid(contentOf(v, expectTag(id, 0x06, 'policyIdentifier')));
    const qualifiers: PolicyQualifierValue[] = [];
    if (quals !== undefined) {
      const list = children(v, expectTag(quals, 0x30, 'policyQualifiers'));
      if (list.length === 0) throw new DerError('policyQualifiers must not be empty');
      for (const q of list) {
        const [qid, qv, qextra] = children(v, expectTag(q, 0x30, 'PolicyQualifierInfo'));
        if (qv === undefined || qextra !== undefined) throw new DerError('PolicyQualifierInfo must have two fields');
        const qoid = decodeOid(contentOf(v, expectTag(qid, 0x06, 'policyQualifierId')));
        const cpsUri = qoid === OID_QT_CPS && qv.tag === 0x16 ? Buffer.from(contentOf(v, qv)).toString('latin1') : undefined;
        qualifiers.push({ oid: qoid, cpsUri });
      }
    }
    return { oid, qualifiers };
  });
  if (infos.length === 0) throw new DerError('CertificatePolicies must not be empty');
  return infos;
}

export interface AccessDescriptionValue {
  method: string;
  location: GeneralNameValue;
}

/** RFC 5280 §4.2.2.1: SEQUENCE SIZE (1..MAX) OF AccessDescription { accessMethod, accessLocation }. */
export function decodeAuthorityInfoAccess(v: Uint8Array): AccessDescriptionValue[] {
  const out = children(v, whole(v, 0x30, 'AuthorityInfoAccessSyntax')).map((ad) => {
    const [m, loc, extra] = children(v, expectTag(ad, 0x30, 'AccessDescription'));
    if (loc === undefined || extra !== undefined) throw new DerError('AccessDescription must have two fields');
    if ((loc.tag & 0xc0) !== 0x80) throw new DerError('accessLocation must be a GeneralName');
    return { method: decodeOid(contentOf(v, expectTag(m, 0x06, 'accessMethod'))), location: { tag: loc.tag, value: contentOf(v, loc) } };
  });
  if (out.length === 0) throw new DerError('AuthorityInfoAccessSyntax must not be empty');
  return out;
}

export interface DistributionPointValue {
  /** distributionPoint.fullName, when that is the chosen DistributionPointName. */
  fullName: GeneralNameValue[] | undefined;
  relativeNamePresent: boolean;
  reasonsPresent: boolean;
  crlIssuerPresent: boolean;
}

/**
 * RFC 5280 §4.2.1.13: SEQUENCE SIZE (1..MAX) OF DistributionPoint {
 * distributionPoint [0] { fullName [0] | nameRelativeToCRLIssuer [1] } OPTIONAL,
 * reasons [1] OPTIONAL, cRLIssuer [2] OPTIONAL }.
 */
export function decodeCrlDistributionPoints(v: Uint8Array): DistributionPointValue[] {
  const out = children(v, whole(v, 0x30, 'CRLDistributionPoints')).map((dp) => {
    const r: DistributionPointValue = { fullName: undefined, relativeNamePresent: false, reasonsPresent: false, crlIssuerPresent: false };
    let last = -1;
    for (const f of children(v, expectTag(dp, 0x30, 'DistributionPoint'))) {
      const n = f.tag === 0xa0 ? 0 : f.tag === 0x81 ? 1 : f.tag === 0xa2 ? 2 : -1;
      if (n <= last) throw new DerError('DistributionPoint: unexpected or out-of-order field');
      last = n;
      if (n === 0) {
        const names = children(v, f);
        if (names.length !== 1) throw new DerError('DistributionPointName must be one choice');
        if (names[0]!.tag === 0xa0) r.fullName = generalNames(v, names[0]!, 'fullName');
        else if (names[0]!.tag === 0xa1) r.relativeNamePresent = true;
        else throw new DerError('DistributionPointName: unknown choice');
      } else if (n === 1) r.reasonsPresent = true;
      else r.crlIssuerPresent = true;
    }
    return r;
  });
  if (out.length === 0) throw new DerError('CRLDistributionPoints must not be empty');
  return out;
}

export interface SctListValue {
  /** Hex log IDs of the SCTs, in order. */
  logIds: string[];
}

/**
 * RFC 6962 §3.3: the extnValue is an OCTET STRING holding the TLS-encoded
 * SignedCertificateTimestampList (opaque SerializedSCT<1..2^16-1> in a list
 * <1..2^16-1>), each SCT a v1 SignedCertificateTimestamp (§3.2).
 */
export function decodeSctList(v: Uint8Array): SctListValue {
  const tls = contentOf(v, whole(v, 0x04, 'SignedCertificateTimestampList'));
  const u16 = (p: number): number => {
    if (p + 2 > tls.length) throw new DerError('SCT list: truncated');
    return (tls[p]! << 8) | tls[p + 1]!;
  };
  if (u16(0) !== tls.length - 2) throw new DerError('SCT list: list length does not match its content');
  if (tls.length === 2) throw new DerError('SCT list: empty');
  const logIds: string[] = [];
  let pos = 2;
  while (pos < tls.length) {
    const len = u16(pos);
    const start = pos + 2;
    const end = start + len;
    if (len === 0 || end > tls.length) throw new DerError('SCT list: bad SerializedSCT length');
    // version(1) logId(32) timestamp(8) extensions<0..2^16-1> hash(1) sig(1) signature<0..2^16-1>
    if (tls[start] !== 0) throw new DerError('SCT list: SCT version is not v1');
    if (start + 41 > end) throw new DerError('SCT list: truncated SCT');
    const extEnd = start + 43 + u16(start + 41);
    const sigLenAt = extEnd + 2;
    if (sigLenAt + 2 > end || sigLenAt + 2 + u16(sigLenAt) !== end) throw new DerError('SCT list: malformed SCT');
    logIds.push(Buffer.from(tls.subarray(start + 1, start + 33)).toString('hex'));
    pos = end;
  }
  return { logIds };
}

/** RFC 6962 §3.1 / BR §7.1.2.9.3: the poison's extnValue is exactly ASN.1 NULL (05 00). */
export function decodePoison(v: Uint8Array): null {
  const t = whole(v, 0x05, 'poison');
  if (t.end !== t.contentStart) throw new DerError('poison NULL must be empty');
  return null;
}

/** The extensions the DV subscriber profile may carry, with the decoder of each value. */
export const PROFILE_EXTENSIONS: Readonly<Record<string, { name: string; decode: (v: Uint8Array) => unknown }>> = {
  [OID.subjectKeyIdentifier]: { name: 'subjectKeyIdentifier', decode: decodeSubjectKeyIdentifier },
  [OID.keyUsage]: { name: 'keyUsage', decode: decodeKeyUsage },
  [OID.subjectAltName]: { name: 'subjectAltName', decode: decodeSubjectAltName },
  [OID.basicConstraints]: { name: 'basicConstraints', decode: decodeBasicConstraints },
  [OID.crlDistributionPoints]: { name: 'cRLDistributionPoints', decode: decodeCrlDistributionPoints },
  [OID.certificatePolicies]: { name: 'certificatePolicies', decode: decodeCertificatePolicies },
  [OID.authorityKeyIdentifier]: { name: 'authorityKeyIdentifier', decode: decodeAuthorityKeyIdentifier },
  [OID.extKeyUsage]: { name: 'extKeyUsage', decode: decodeExtKeyUsage },
  [OID.authorityInfoAccess]: { name: 'authorityInfoAccess', decode: decodeAuthorityInfoAccess },
  [OID.sctList]: { name: 'SCT list', decode: decodeSctList },
  [OID.ctPoison]: { name: 'CT poison', decode: decodePoison },
};

/** The first extension with `oid` (duplicates are `e_extension_duplicate`'s business). */
export function findExtension(cert: LintedCertificate, oid: string): LintExtension | undefined {
  return cert.extensions.find((e) => e.oid === oid);
}

type Decoder = (v: Uint8Array) => unknown;
const decodedCache = new WeakMap<LintExtension, Map<Decoder, { ok: boolean; value: unknown }>>();

/** The decoded value of `ext`, or undefined when it does not decode (memoized per extension and decoder). */
export function decoded<T>(ext: LintExtension, decode: (v: Uint8Array) => T): T | undefined {
  let perExt = decodedCache.get(ext);
  if (perExt === undefined) {
    perExt = new Map();
    decodedCache.set(ext, perExt);
  }
  let hit = perExt.get(decode);
  if (hit === undefined) {
    try {
      hit = { ok: true, value: decode(ext.value) };
    } catch {
      hit = { ok: false, value: undefined };
    }
    perExt.set(decode, hit);
  }
  return hit.ok ? (hit.value as T) : undefined;
}

/** The first extension `oid` and its decoded value; undefined when absent or undecodable. */
export function extensionValue<T>(
  cert: LintedCertificate,
  oid: string,
  decode: (v: Uint8Array) => T,
): { ext: LintExtension; value: T } | undefined {
  const ext = findExtension(cert, oid);
  if (ext === undefined) return undefined;
  const value = decoded(ext, decode);
  return value === undefined ? undefined : { ext, value };
}
