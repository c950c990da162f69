/**
 * One or more deliberately broken certificates per lint rule. Each case names
 * the rule it must trigger; `also` lists findings that cannot be avoided for
 * that breakage (e.g. an EKU without serverAuth has to assert something
 * else). rules.test.ts runs them and checks every rule has a case.
 */
import { ECDH, generateKeyPairSync, randomBytes } from 'node:crypto';
import { encodeBitString, encodeConstructed, encodeTlv, minimalUnsignedIntegerContent } from '../../../src/ca/der.js';
import type { LintContext } from '../../../src/lint/index.js';
import {
  CA_ISSUERS_URL,
  DER_NULL,
  DER_TRUE,
  OIDS,
  TBS,
  buildLeaf,
  crlDistributionPointsExt,
  ext,
  hexBytes,
  ia5,
  integer,
  nameDer,
  octets,
  oid,
  poisonExt,
  replaceExt,
  sctListExt,
  sctListTls,
  fakeSct,
  seq,
  set,
  utf8,
  type LeafOptions,
  type LintFixture,
} from '../../support/cert-builder.js';

export interface RuleCase {
  rule: string;
  name: string;
  /** The leaf to build (its `kind` is also the lint context's kind). */
  leaf?: LeafOptions;
  /** Or the certificate bytes directly. */
  der?: (fx: LintFixture) => Uint8Array;
  ctx?: Partial<Omit<LintContext, 'issuerDer'>>;
  also?: string[];
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

const KP_SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const KP_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const POLICY_DV = '2.23.140.1.2.1';
const POLICY_OV = '2.23.140.1.2.2';
const AD_OCSP = '1.3.6.1.5.5.7.48.1';
const AD_CA_ISSUERS = '1.3.6.1.5.5.7.48.2';
const QT_CPS = '1.3.6.1.5.5.7.2.1';
const CN = '2.5.4.3';

const ECDSA_SHA384 = hexBytes('300a06082a8648ce3d040303');

/** Replace one extension. */
const withExt = (dotted: string, replacement: Uint8Array | null): LeafOptions => ({
  extensions: (e) => replaceExt(e, dotted, replacement),
});
/** Append extensions. */
const addExt = (...extra: Uint8Array[]): LeafOptions => ({ extensions: (e) => [...e, ...extra] });

const dns = (name: string): Uint8Array => ia5(0x82, name);
const uri = (u: string): Uint8Array => ia5(0x86, u);

/** A leaf with an empty subject and a critical SAN of exactly `names` (bypasses the profile's name checks). */
function sanLeaf(names: string[], extra: Partial<LeafOptions> = {}): LeafOptions {
  return { includeCommonName: false, ...withExt(OIDS.subjectAltName, ext(OIDS.subjectAltName, true, seq(...names.map(dns)))), ...extra };
}

const ku = (hex: string, critical = true): Uint8Array => ext(OIDS.keyUsage, critical, hexBytes(hex));
const eku = (oids: string[], critical = false): Uint8Array => ext(OIDS.extKeyUsage, critical, seq(...oids.map(oid)));
const policies = (...infos: Uint8Array[]): Uint8Array => ext(OIDS.certificatePolicies, false, seq(...infos));
const aia = (...descs: Array<[string, Uint8Array]>): Uint8Array =>
  ext(OIDS.authorityInfoAccess, false, seq(...descs.map(([m, loc]) => seq(oid(m), loc))));
const crlDp = (...points: Uint8Array[]): Uint8Array => ext(OIDS.crlDistributionPoints, false, seq(...points));
const fullNamePoint = (...names: Uint8Array[]): Uint8Array => seq(encodeConstructed(0xa0, [encodeConstructed(0xa0, names)]));

function akiExt(fx: LintFixture, extra: Uint8Array[] = [], critical = false): Uint8Array {
  return ext(OIDS.authorityKeyIdentifier, critical, seq(encodeTlv(0x80, fx.ca.keyIdentifier), ...extra));
}

function times(notBefore: Uint8Array, notAfter: Uint8Array): LeafOptions {
  return {
    tbsFields: (f) => {
      const out = [...f];
      out[TBS.validity] = seq(notBefore, notAfter);
      return out;
    },
  };
}
const utcTime = (s: string): Uint8Array => ia5(0x17, s);
const generalizedTime = (s: string): Uint8Array => ia5(0x18, s);

function spkiOfKey(type: 'ec' | 'rsa', opts: object): Uint8Array {
  const { publicKey } = generateKeyPairSync(type as 'ec', opts as { namedCurve: string });
  return new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
}

/**
 * An RSA SPKI with an odd modulus of exactly `bits` bits (OpenSSL's key
 * generator only makes multiples of 8; the number need not be a real RSA
 * modulus for an import to succeed).
 */
function handMadeRsaSpki(bits: number): Uint8Array {
  const bytes = randomBytes(Math.ceil(bits / 8));
  const topBits = bits % 8 === 0 ? 8 : bits % 8;
  bytes[0] = (bytes[0]! & ((1 << topBits) - 1)) | (1 << (topBits - 1));
  bytes[bytes.length - 1]! |= 1;
  const rsaPublicKey = seq(encodeTlv(0x02, minimalUnsignedIntegerContent(bytes)), integer([0x01, 0x00, 0x01]));
  return seq(hexBytes('300d06092a864886f70d0101010500'), encodeBitString(rsaPublicKey));
}

/** A P-256 SPKI whose point is the compressed form (33 octets). */
function compressedP256Spki(): Uint8Array {
  const ecdh = ECDH.convertKey;
  const full = spkiOfKey('ec', { namedCurve: 'P-256' });
  const point = full.subarray(full.length - 65);
  const compressed = ecdh(Buffer.from(point), 'prime256v1', undefined, undefined, 'compressed') as Buffer;
  return seq(hexBytes('301306072a8648ce3d020106082a8648ce3d030107'), encodeBitString(compressed));
}

/** A P-256 SPKI whose point is not on the curve. */
function offCurveP256Spki(): Uint8Array {
  const spki = Uint8Array.from(spkiOfKey('ec', { namedCurve: 'P-256' }));
  spki[spki.length - 1]! ^= 0x01;
  return spki;
}

export const RULE_CASES: RuleCase[] = [
  // ---- structure ----
  { rule: 'e_der_invalid', name: 'truncated certificate', der: (fx) => buildLeaf(fx).subarray(0, 200) },
  {
    rule: 'e_der_invalid',
    name: 'critical BOOLEAN encoded as 0x01 instead of 0xFF',
    leaf: withExt(OIDS.keyUsage, seq(oid(OIDS.keyUsage), encodeTlv(0x01, Uint8Array.of(0x01)), octets(hexBytes('03020780')))),
  },
  {
    rule: 'e_der_invalid',
    name: 'critical FALSE encoded explicitly (DEFAULT must be omitted)',
    leaf: withExt(OIDS.extKeyUsage, seq(oid(OIDS.extKeyUsage), hexBytes('010100'), octets(seq(oid(KP_SERVER_AUTH))))),
  },
  { rule: 'e_der_invalid', name: 'keyUsage named bits with trailing zero bits', leaf: withExt(OIDS.keyUsage, ku('03020080')) },
  { rule: 'e_der_invalid', name: 'basicConstraints with explicit cA FALSE', leaf: withExt(OIDS.basicConstraints, ext(OIDS.basicConstraints, true, seq(hexBytes('010100')))) },
  {
    rule: 'e_der_invalid',
    name: 'non-minimal length inside the subject',
    // UTF8String with the long length form 0x81 0x0a for a 10-octet value (X.690 §10.1: shortest form).
    leaf: { subject: seq(set(seq(oid(CN), Uint8Array.of(0x0c, 0x81, 0x0a, ...Buffer.from('example.co'))))), names: ['example.co'] },
  },
  // ---- top-level fields ----
  { rule: 'e_version_not_v3', name: 'version v2', leaf: { tbsFields: (f) => [hexBytes('a003020101'), ...f.slice(1)] } },
  { rule: 'e_version_not_v3', name: 'version absent (v1)', leaf: { tbsFields: (f) => f.slice(1) } },
  { rule: 'e_serial_not_positive', name: 'negative serial', leaf: { serial: hexBytes('8511223344556677889900aabbccddeeff') } },
  { rule: 'e_serial_not_positive', name: 'zero serial', leaf: { serial: Uint8Array.of(0) } },
  { rule: 'e_serial_low_entropy', name: '7-octet serial', leaf: { serial: hexBytes('01020304050607') } },
  { rule: 'e_serial_low_entropy', name: 'sign octet + 7 value octets', leaf: { serial: hexBytes('0080020304050607') } },
  { rule: 'e_serial_too_long', name: '21-octet serial', leaf: { serial: hexBytes('01'.repeat(21)) } },
  { rule: 'e_serial_not_minimal', name: 'redundant leading zero octet', leaf: { serial: hexBytes(`0001${'ab'.repeat(15)}`) } },
  { rule: 'e_signature_algorithm_mismatch', name: 'outer algorithm differs from the TBS one', leaf: { outerAlgorithm: ECDSA_SHA384 } },
  {
    rule: 'e_signature_algorithm_not_allowed',
    name: 'ecdsa-with-SHA256 with NULL parameters',
    leaf: { tbsAlgorithm: hexBytes('300c06082a8648ce3d0403020500'), outerAlgorithm: hexBytes('300c06082a8648ce3d0403020500') },
  },
  {
    rule: 'e_signature_algorithm_not_allowed',
    name: 'sha1WithRSAEncryption',
    leaf: { tbsAlgorithm: hexBytes('300d06092a864886f70d0101050500'), outerAlgorithm: hexBytes('300d06092a864886f70d0101050500') },
  },
  { rule: 'e_signature_algorithm_issuer_key', name: 'ecdsa-with-SHA384 from a P-256 issuer', leaf: { tbsAlgorithm: ECDSA_SHA384, outerAlgorithm: ECDSA_SHA384 } },
  {
    rule: 'e_signature_algorithm_issuer_key',
    name: 'sha256WithRSAEncryption from an ECDSA issuer',
    leaf: { tbsAlgorithm: hexBytes('300d06092a864886f70d01010b0500'), outerAlgorithm: hexBytes('300d06092a864886f70d01010b0500') },
  },
  { rule: 'e_issuer_name_mismatch', name: 'another issuer name', leaf: { issuer: nameDer([[CN, 'Someone Else CA']]) } },
  {
    rule: 'e_issuer_name_mismatch',
    name: 'same names as PrintableString instead of UTF8String',
    leaf: { issuer: nameDer([['2.5.4.10', 'Shomei Lint Test', 0x13], [CN, 'Shomei Development Issuing CA P-256', 0x13]]) },
  },
  {
    rule: 'e_unique_id_present',
    name: 'issuerUniqueID after the SPKI',
    leaf: { tbsFields: (f) => [...f.slice(0, TBS.spki + 1), hexBytes('810200ab'), ...f.slice(TBS.spki + 1)] },
  },
  // ---- validity ----
  { rule: 'e_validity_time_format', name: 'UTCTime without seconds', leaf: times(utcTime('2611230200Z'), utcTime('270220145959Z')) },
  { rule: 'e_validity_time_format', name: 'UTCTime with a time-zone offset', leaf: times(utcTime('261123020000+0900'), utcTime('270220145959Z')) },
  { rule: 'e_validity_time_format', name: '30 February', leaf: times(utcTime('261123020000Z'), utcTime('270230145959Z')) },
  { rule: 'e_validity_time_encoding', name: 'GeneralizedTime for a date before 2050', leaf: times(utcTime('261123020000Z'), generalizedTime('20270220145959Z')) },
  {
    rule: 'e_validity_reversed',
    name: 'notAfter before notBefore',
    der: (fx) => buildLeaf(fx, { notBefore: new Date(fx.at.getTime() - HOUR), notAfter: new Date(fx.at.getTime() - 2 * HOUR) }),
  },
  {
    rule: 'e_validity_too_long',
    name: '200 days + 1 s (inclusive) on 2026-11-23',
    der: (fx) =>
      buildLeaf(fx, {
        notBefore: new Date(fx.at.getTime() - HOUR),
        notAfter: new Date(fx.at.getTime() - HOUR + 200 * DAY),
        ...withExt(OIDS.sctList, sctListExt(3)),
      }),
  },
  {
    rule: 'e_validity_too_long',
    name: '150 days issued on 2027-03-15 (100-day maximum)',
    der: (fx) => buildLeaf(fx, { notBefore: new Date('2027-03-15T00:30:00Z'), notAfter: new Date(Date.parse('2027-03-15T00:30:00Z') + 150 * DAY - 1000) }),
    ctx: { at: new Date('2027-03-15T01:00:00Z') },
  },
  {
    rule: 'e_not_before_far_from_signing',
    name: 'notBefore 49 h before signing',
    der: (fx) => buildLeaf(fx, { notBefore: new Date(fx.at.getTime() - 49 * HOUR), notAfter: new Date(fx.at.getTime() + 80 * DAY) }),
  },
  {
    rule: 'e_not_before_far_from_signing',
    name: 'notBefore 49 h after signing',
    der: (fx) => buildLeaf(fx, { notBefore: new Date(fx.at.getTime() + 49 * HOUR), notAfter: new Date(fx.at.getTime() + 80 * DAY) }),
  },
  // ---- subject ----
  { rule: 'e_subject_attribute_not_allowed', name: 'countryName', leaf: { subject: nameDer([['2.5.4.6', 'JP', 0x13], [CN, 'www.example.com']]) } },
  { rule: 'e_subject_attribute_not_allowed', name: 'organizationName', leaf: { subject: nameDer([['2.5.4.10', 'Example KK'], [CN, 'www.example.com']]) } },
  { rule: 'e_subject_rdn_structure', name: 'two commonName RDNs', leaf: { subject: nameDer([[CN, 'www.example.com'], [CN, 'example.com']]) } },
  {
    rule: 'e_subject_rdn_structure',
    name: 'multi-valued RDN',
    leaf: { subject: seq(set(seq(oid(CN), utf8('www.example.com')), seq(oid('2.5.4.5'), utf8('1')))) },
    also: ['e_subject_attribute_not_allowed'],
  },
  { rule: 'e_subject_cn_not_in_san', name: 'CN not among the SANs', leaf: { subject: nameDer([[CN, 'other.example.com']]) } },
  { rule: 'e_subject_cn_not_in_san', name: 'CN differs from the SAN in case', leaf: { subject: nameDer([[CN, 'WWW.example.com']]) } },
  { rule: 'e_subject_cn_string_type', name: 'CN as IA5String', leaf: { subject: nameDer([[CN, 'www.example.com', 0x16]]) } },
  {
    rule: 'e_subject_cn_string_type',
    name: 'wildcard CN as PrintableString (no "*" in PrintableString)',
    leaf: { names: ['*.example.com'], subject: nameDer([[CN, '*.example.com', 0x13]]) },
  },
  {
    rule: 'e_subject_cn_too_long',
    name: '65-character CN',
    leaf: {
      names: [`${'a'.repeat(53)}.example.com`],
      subject: nameDer([[CN, `${'a'.repeat(53)}.example.com`]]),
      ...withExt(OIDS.subjectAltName, ext(OIDS.subjectAltName, false, seq(dns(`${'a'.repeat(53)}.example.com`)))),
    },
  },
  // ---- subjectAltName ----
  { rule: 'e_san_missing', name: 'no SAN', leaf: withExt(OIDS.subjectAltName, null) },
  { rule: 'e_san_empty', name: 'SAN with no names', leaf: { includeCommonName: false, ...withExt(OIDS.subjectAltName, ext(OIDS.subjectAltName, true, seq())) } },
  {
    rule: 'e_san_criticality',
    name: 'empty subject, non-critical SAN',
    leaf: { includeCommonName: false, ...withExt(OIDS.subjectAltName, ext(OIDS.subjectAltName, false, seq(dns('www.example.com')))) },
  },
  {
    rule: 'e_san_criticality',
    name: 'CN subject, critical SAN',
    leaf: withExt(OIDS.subjectAltName, ext(OIDS.subjectAltName, true, seq(dns('www.example.com'), dns('example.com')))),
  },
  {
    rule: 'e_san_not_dns_name',
    name: 'iPAddress entry',
    leaf: sanLeaf([], withExt(OIDS.subjectAltName, ext(OIDS.subjectAltName, true, seq(dns('www.example.com'), encodeTlv(0x87, Uint8Array.of(192, 0, 2, 1)))))),
  },
  {
    rule: 'e_san_not_dns_name',
    name: 'rfc822Name entry',
    leaf: sanLeaf([], withExt(OIDS.subjectAltName, ext(OIDS.subjectAltName, true, seq(dns('www.example.com'), ia5(0x81, 'a@example.com'))))),
  },
  { rule: 'e_san_dns_name_syntax', name: 'empty label', leaf: sanLeaf(['foo..example.com']) },
  { rule: 'e_san_dns_name_syntax', name: 'underscore', leaf: sanLeaf(['exa_mple.com']) },
  { rule: 'e_san_dns_name_syntax', name: 'trailing dot', leaf: sanLeaf(['example.com.']) },
  { rule: 'e_san_dns_name_syntax', name: 'wildcard not the leftmost label', leaf: sanLeaf(['www.*.example.com']) },
  { rule: 'e_san_dns_name_syntax', name: 'partial-label wildcard', leaf: sanLeaf(['w*.example.com']) },
  { rule: 'e_san_dns_name_syntax', name: '64-character label', leaf: sanLeaf([`${'a'.repeat(64)}.example.com`]) },
  { rule: 'e_san_dns_name_syntax', name: '255-character name', leaf: sanLeaf([`${'a.'.repeat(122)}example.com`]) },
  { rule: 'e_san_dns_name_syntax', name: 'leading hyphen', leaf: sanLeaf(['-foo.example.com']) },
  { rule: 'e_san_dns_name_syntax', name: 'single label', leaf: sanLeaf(['com']) },
  { rule: 'e_san_dns_name_upper_case', name: 'upper-case label', leaf: sanLeaf(['WWW.example.com']) },
  { rule: 'e_san_dns_name_reserved_label', name: 'R-LDH label that is not xn--', leaf: sanLeaf(['ab--cd.example.com']) },
  { rule: 'e_san_dns_name_reserved_label', name: 'invalid A-label', leaf: sanLeaf(['xn--a.example.com']) },
  { rule: 'e_san_dns_name_ip_address', name: 'IPv4 address as dNSName', leaf: sanLeaf(['192.0.2.1']) },
  { rule: 'e_san_dns_name_ip_address', name: 'numeric TLD', leaf: sanLeaf(['foo.123']) },
  { rule: 'e_san_internal_name', name: '.local name', leaf: sanLeaf(['printer.local']) },
  { rule: 'e_san_internal_name', name: '.test name without allowedTestTlds', leaf: sanLeaf(['www.shomei.test']) },
  { rule: 'e_san_reverse_dns_name', name: 'in-addr.arpa name', leaf: sanLeaf(['1.2.0.192.in-addr.arpa']) },
  { rule: 'e_san_wildcard_public_suffix', name: '*.co.uk', leaf: sanLeaf(['*.co.uk']) },
  { rule: 'e_san_wildcard_public_suffix', name: '*.com', leaf: sanLeaf(['*.com']) },
  { rule: 'e_san_duplicate_name', name: 'same name twice', leaf: sanLeaf(['www.example.com', 'www.example.com']) },
  // ---- keyUsage ----
  { rule: 'e_key_usage_missing', name: 'no keyUsage', leaf: withExt(OIDS.keyUsage, null) },
  { rule: 'e_key_usage_not_critical', name: 'non-critical keyUsage', leaf: withExt(OIDS.keyUsage, ku('03020780', false)) },
  { rule: 'e_key_usage_no_digital_signature', name: 'RSA key with keyEncipherment only', der: (fx) => buildLeaf(fx, { spki: fx.rsaSpki, ...withExt(OIDS.keyUsage, ku('03020520')) }) },
  { rule: 'e_key_usage_no_digital_signature', name: 'no bits set', leaf: withExt(OIDS.keyUsage, ku('030100')) },
  { rule: 'e_key_usage_key_encipherment_non_rsa', name: 'ECDSA key with keyEncipherment', leaf: withExt(OIDS.keyUsage, ku('030205a0')) },
  { rule: 'e_key_usage_other_bits', name: 'keyCertSign', leaf: withExt(OIDS.keyUsage, ku('03020284')) },
  { rule: 'e_key_usage_other_bits', name: 'keyAgreement on an ECDSA key', leaf: withExt(OIDS.keyUsage, ku('03020388')) },
  // ---- extKeyUsage ----
  { rule: 'e_eku_missing', name: 'no extKeyUsage', leaf: withExt(OIDS.extKeyUsage, null) },
  { rule: 'e_eku_critical', name: 'critical extKeyUsage', leaf: withExt(OIDS.extKeyUsage, eku([KP_SERVER_AUTH], true)) },
  { rule: 'e_eku_no_server_auth', name: 'clientAuth only', leaf: withExt(OIDS.extKeyUsage, eku([KP_CLIENT_AUTH])), also: ['e_eku_client_auth'] },
  { rule: 'e_eku_client_auth', name: 'serverAuth + clientAuth', leaf: withExt(OIDS.extKeyUsage, eku([KP_SERVER_AUTH, KP_CLIENT_AUTH])) },
  {
    rule: 'e_eku_client_auth',
    name: 'serverAuth + clientAuth after the Chrome deadline',
    der: (fx) => buildLeaf(fx, { notBefore: new Date('2027-03-15T00:00:00Z'), notAfter: new Date('2027-05-01T00:00:00Z'), ...withExt(OIDS.extKeyUsage, eku([KP_SERVER_AUTH, KP_CLIENT_AUTH])) }),
    ctx: { at: new Date('2027-03-15T00:30:00Z') },
  },
  { rule: 'e_eku_forbidden_purpose', name: 'codeSigning', leaf: withExt(OIDS.extKeyUsage, eku([KP_SERVER_AUTH, '1.3.6.1.5.5.7.3.3'])) },
  { rule: 'e_eku_forbidden_purpose', name: 'anyExtendedKeyUsage', leaf: withExt(OIDS.extKeyUsage, eku([KP_SERVER_AUTH, '2.5.29.37.0'])) },
  { rule: 'e_eku_forbidden_purpose', name: 'precertificate signing', leaf: withExt(OIDS.extKeyUsage, eku([KP_SERVER_AUTH, '1.3.6.1.4.1.11129.2.4.4'])) },
  { rule: 'e_eku_other_purpose', name: 'a private purpose', leaf: withExt(OIDS.extKeyUsage, eku([KP_SERVER_AUTH, '1.3.6.1.4.1.99999.7'])) },
  // ---- basicConstraints ----
  { rule: 'e_basic_constraints_not_critical', name: 'non-critical basicConstraints', leaf: withExt(OIDS.basicConstraints, ext(OIDS.basicConstraints, false, seq())) },
  { rule: 'e_basic_constraints_ca', name: 'cA TRUE', leaf: withExt(OIDS.basicConstraints, ext(OIDS.basicConstraints, true, seq(DER_TRUE))) },
  { rule: 'e_basic_constraints_path_len', name: 'pathLenConstraint 0', leaf: withExt(OIDS.basicConstraints, ext(OIDS.basicConstraints, true, seq(integer([0])))) },
  // ---- AKI / SKI ----
  { rule: 'e_aki_missing', name: 'no AKI', leaf: withExt(OIDS.authorityKeyIdentifier, null) },
  { rule: 'e_aki_critical', name: 'critical AKI', der: (fx) => buildLeaf(fx, withExt(OIDS.authorityKeyIdentifier, akiExt(fx, [], true))) },
  {
    rule: 'e_aki_not_key_id_only',
    name: 'AKI with authorityCertSerialNumber',
    der: (fx) => buildLeaf(fx, withExt(OIDS.authorityKeyIdentifier, akiExt(fx, [encodeTlv(0x82, Uint8Array.of(1))]))),
  },
  {
    rule: 'e_aki_not_key_id_only',
    name: 'AKI without keyIdentifier',
    leaf: withExt(OIDS.authorityKeyIdentifier, ext(OIDS.authorityKeyIdentifier, false, seq(encodeTlv(0x82, Uint8Array.of(1))))),
  },
  {
    rule: 'e_aki_mismatch',
    name: "AKI is not the issuer's SKI",
    leaf: withExt(OIDS.authorityKeyIdentifier, ext(OIDS.authorityKeyIdentifier, false, seq(encodeTlv(0x80, new Uint8Array(20).fill(7))))),
  },
  { rule: 'w_ski_present', name: 'SKI present', leaf: addExt(ext(OIDS.subjectKeyIdentifier, false, octets(new Uint8Array(20).fill(9)))) },
  { rule: 'e_ski_critical', name: 'critical SKI', leaf: addExt(ext(OIDS.subjectKeyIdentifier, true, octets(new Uint8Array(20).fill(9)))), also: ['w_ski_present'] },
  // ---- certificatePolicies ----
  { rule: 'e_policies_missing', name: 'no certificatePolicies', leaf: withExt(OIDS.certificatePolicies, null) },
  { rule: 'e_policies_critical', name: 'critical certificatePolicies', leaf: withExt(OIDS.certificatePolicies, ext(OIDS.certificatePolicies, true, seq(seq(oid(POLICY_DV))))) },
  { rule: 'e_policies_not_exactly_dv', name: 'OV instead of DV', leaf: withExt(OIDS.certificatePolicies, policies(seq(oid(POLICY_OV)))) },
  { rule: 'e_policies_not_exactly_dv', name: 'DV and OV', leaf: withExt(OIDS.certificatePolicies, policies(seq(oid(POLICY_DV)), seq(oid(POLICY_OV)))) },
  { rule: 'e_policies_any_policy', name: 'anyPolicy', leaf: withExt(OIDS.certificatePolicies, policies(seq(oid(POLICY_DV)), seq(oid('2.5.29.32.0')))) },
  { rule: 'e_policies_undocumented_oid', name: 'a private policy', leaf: withExt(OIDS.certificatePolicies, policies(seq(oid(POLICY_DV)), seq(oid('1.3.6.1.4.1.99999.1')))) },
  { rule: 'e_policies_duplicate_oid', name: 'DV twice', leaf: withExt(OIDS.certificatePolicies, policies(seq(oid(POLICY_DV)), seq(oid(POLICY_DV)))) },
  {
    rule: 'e_policies_qualifier_not_http_cps',
    name: 'userNotice qualifier',
    leaf: withExt(OIDS.certificatePolicies, policies(seq(oid(POLICY_DV), seq(seq(oid('1.3.6.1.5.5.7.2.2'), seq()))))),
  },
  {
    rule: 'e_policies_qualifier_not_http_cps',
    name: 'CPS qualifier with an ftp URL',
    leaf: withExt(OIDS.certificatePolicies, policies(seq(oid(POLICY_DV), seq(seq(oid(QT_CPS), ia5(0x16, 'ftp://cps.shomei.test/')))))),
  },
  {
    rule: 'w_policies_qualifier_present',
    name: 'CPS qualifier with an https URL',
    leaf: withExt(OIDS.certificatePolicies, policies(seq(oid(POLICY_DV), seq(seq(oid(QT_CPS), ia5(0x16, 'https://cps.shomei.test/')))))),
  },
  // ---- AIA ----
  { rule: 'e_aia_missing', name: 'no AIA', leaf: withExt(OIDS.authorityInfoAccess, null) },
  { rule: 'e_aia_critical', name: 'critical AIA', leaf: withExt(OIDS.authorityInfoAccess, ext(OIDS.authorityInfoAccess, true, seq(seq(oid(AD_CA_ISSUERS), uri(CA_ISSUERS_URL))))) },
  {
    rule: 'e_aia_access_method_not_allowed',
    name: 'id-ad-caRepository',
    leaf: withExt(OIDS.authorityInfoAccess, aia([AD_CA_ISSUERS, uri(CA_ISSUERS_URL)], ['1.3.6.1.5.5.7.48.5', uri('http://repo.shomei.test/')])),
  },
  { rule: 'e_aia_location_not_http_url', name: 'caIssuers over https', leaf: withExt(OIDS.authorityInfoAccess, aia([AD_CA_ISSUERS, uri('https://ca.shomei.test/ca.der')])) },
  { rule: 'e_aia_location_not_http_url', name: 'caIssuers as a dNSName', leaf: withExt(OIDS.authorityInfoAccess, aia([AD_CA_ISSUERS, dns('ca.shomei.test')])) },
  { rule: 'e_aia_location_not_http_url', name: 'OCSP over ldap', leaf: withExt(OIDS.authorityInfoAccess, aia([AD_CA_ISSUERS, uri(CA_ISSUERS_URL)], [AD_OCSP, uri('ldap://ocsp.shomei.test/')])) },
  {
    rule: 'e_aia_duplicate_location',
    name: 'the same caIssuers URL twice',
    leaf: withExt(OIDS.authorityInfoAccess, aia([AD_CA_ISSUERS, uri(CA_ISSUERS_URL)], [AD_CA_ISSUERS, uri(CA_ISSUERS_URL)])),
  },
  { rule: 'w_aia_no_ca_issuers', name: 'OCSP only', leaf: withExt(OIDS.authorityInfoAccess, aia([AD_OCSP, uri('http://ocsp.shomei.test/')])) },
  // ---- CRL distribution points ----
  { rule: 'e_crl_dp_missing', name: 'no CRL DP', leaf: withExt(OIDS.crlDistributionPoints, null) },
  { rule: 'e_crl_dp_critical', name: 'critical CRL DP', leaf: withExt(OIDS.crlDistributionPoints, ext(OIDS.crlDistributionPoints, true, seq(fullNamePoint(uri('http://crl.shomei.test/1.crl'))))) },
  {
    rule: 'e_crl_dp_not_one_point',
    name: 'two DistributionPoints',
    leaf: withExt(OIDS.crlDistributionPoints, crlDp(fullNamePoint(uri('http://crl.shomei.test/1.crl')), fullNamePoint(uri('http://crl2.shomei.test/1.crl')))),
  },
  {
    rule: 'e_crl_dp_fields',
    name: 'DistributionPoint with reasons',
    leaf: withExt(
      OIDS.crlDistributionPoints,
      crlDp(seq(encodeConstructed(0xa0, [encodeConstructed(0xa0, [uri('http://crl.shomei.test/1.crl')])]), hexBytes('81020780'))),
    ),
  },
  {
    rule: 'e_crl_dp_fields',
    name: 'DistributionPoint with nameRelativeToCRLIssuer',
    leaf: withExt(OIDS.crlDistributionPoints, crlDp(seq(encodeConstructed(0xa0, [encodeConstructed(0xa1, [seq(oid(CN), utf8('crl'))])])))),
  },
  { rule: 'e_crl_dp_not_http_url', name: 'https CRL URL', leaf: withExt(OIDS.crlDistributionPoints, crlDistributionPointsExt(['https://crl.shomei.test/1.crl'])) },
  { rule: 'e_crl_dp_not_http_url', name: 'ldap CRL URL', leaf: withExt(OIDS.crlDistributionPoints, crlDistributionPointsExt(['ldap://crl.shomei.test/cn=crl'])) },
  // ---- subject public key ----
  { rule: 'e_spki_algorithm_not_allowed', name: 'P-521 key', der: (fx) => buildLeaf(fx, { spki: spkiOfKey('ec', { namedCurve: 'P-521' }) }) },
  { rule: 'e_spki_key_invalid', name: 'point off the curve', der: (fx) => buildLeaf(fx, { spki: offCurveP256Spki() }) },
  { rule: 'e_spki_key_invalid', name: 'compressed point', der: (fx) => buildLeaf(fx, { spki: compressedP256Spki() }) },
  {
    rule: 'e_rsa_modulus_size',
    name: '1024-bit RSA',
    der: (fx) => buildLeaf(fx, { spki: spkiOfKey('rsa', { modulusLength: 1024 }), ...withExt(OIDS.keyUsage, ku('030205a0')) }),
  },
  {
    rule: 'e_rsa_modulus_size',
    name: '2052-bit RSA modulus (not a multiple of 8)',
    der: (fx) => buildLeaf(fx, { spki: handMadeRsaSpki(2052), ...withExt(OIDS.keyUsage, ku('030205a0')) }),
  },
  {
    rule: 'e_rsa_public_exponent',
    name: 'exponent 3',
    der: (fx) => buildLeaf(fx, { spki: spkiOfKey('rsa', { modulusLength: 2048, publicExponent: 3 }), ...withExt(OIDS.keyUsage, ku('030205a0')) }),
  },
  // ---- extensions in general ----
  { rule: 'e_extension_not_allowed', name: 'a private non-critical extension', leaf: addExt(ext('1.3.6.1.4.1.99999.3', false, DER_NULL)) },
  { rule: 'e_extension_not_allowed', name: 'nameConstraints', leaf: addExt(ext('2.5.29.30', false, seq(encodeConstructed(0xa0, [seq(dns('example.com'))])))) },
  { rule: 'e_extension_unknown_critical', name: 'a private critical extension', leaf: addExt(ext('1.3.6.1.4.1.99999.3', true, DER_NULL)) },
  { rule: 'e_extension_duplicate', name: 'extKeyUsage twice', leaf: addExt(eku([KP_SERVER_AUTH])) },
  { rule: 'e_extension_value_malformed', name: 'keyUsage as an INTEGER', leaf: withExt(OIDS.keyUsage, ext(OIDS.keyUsage, true, integer([1]))) },
  { rule: 'e_extension_value_malformed', name: 'SCT list with a wrong list length', leaf: withExt(OIDS.sctList, ext(OIDS.sctList, false, octets(hexBytes('00ff0001aa')))) },
  {
    rule: 'e_extension_value_malformed',
    name: 'SCT of version 2',
    leaf: withExt(OIDS.sctList, ext(OIDS.sctList, false, octets(sctListTls([Uint8Array.of(1, ...fakeSct(new Uint8Array(32).fill(1)).subarray(1))])))),
  },
  { rule: 'e_extension_value_malformed', name: 'poison that is not NULL', leaf: { kind: 'precertificate', ...withExt(OIDS.ctPoison, ext(OIDS.ctPoison, true, octets(new Uint8Array(0)))) } },
  // ---- CT ----
  { rule: 'e_ct_poison_missing', name: 'precertificate without poison', leaf: { kind: 'precertificate', ...withExt(OIDS.ctPoison, null) } },
  { rule: 'e_ct_poison_not_critical', name: 'non-critical poison', leaf: { kind: 'precertificate', ...withExt(OIDS.ctPoison, ext(OIDS.ctPoison, false, DER_NULL)) } },
  { rule: 'e_ct_poison_in_certificate', name: 'certificate with poison', leaf: addExt(poisonExt()) },
  { rule: 'e_ct_sct_list_in_precertificate', name: 'precertificate with an SCT list', leaf: { kind: 'precertificate', ...addExt(sctListExt()) } },
  { rule: 'e_ct_sct_list_missing', name: 'certificate without SCTs', leaf: withExt(OIDS.sctList, null) },
  { rule: 'e_ct_sct_list_critical', name: 'critical SCT list', leaf: withExt(OIDS.sctList, sctListExt(2, true)) },
  { rule: 'w_ct_too_few_scts', name: 'one SCT', leaf: withExt(OIDS.sctList, sctListExt(1)) },
  {
    rule: 'w_ct_too_few_scts',
    name: 'two SCTs from the same log',
    leaf: withExt(OIDS.sctList, ext(OIDS.sctList, false, octets(sctListTls([fakeSct(new Uint8Array(32).fill(5)), fakeSct(new Uint8Array(32).fill(5))])))),
  },
];
