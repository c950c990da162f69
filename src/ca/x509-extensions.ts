/**
 * Small constructors for the X.509 pieces the CA's profiles use.
 *
 * The object constructors are encoded with @peculiar/asn1-x509 so DER rules
 * (DEFAULT omission, minimal BIT STRINGs) are applied by the library; they
 * run once per CA (constant extensions, the CA certificates), never per leaf.
 * The `…Der` encoders at the end are the per-certificate pieces (subject CN,
 * subjectAltName), written directly; tbs-equivalence.test.ts checks them
 * against the library's encoding.
 */
import { createHash } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { children, contentOf, encodeConstructed, encodeOid, encodeTlv, expectTag, readWhole } from './der.js';
import {
  AccessDescription,
  AttributeTypeAndValue,
  AttributeValue,
  AuthorityInfoAccessSyntax,
  AuthorityKeyIdentifier,
  BasicConstraints,
  CertificatePolicies,
  ExtendedKeyUsage,
  Extension,
  GeneralName,
  KeyIdentifier,
  KeyUsage,
  Name,
  PolicyInformation,
  RelativeDistinguishedName,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_certificatePolicies,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_ce_subjectAltName,
  id_ce_subjectKeyIdentifier,
  id_pe_authorityInfoAccess,
} from '@peculiar/asn1-x509';

export const OID_CN = '2.5.4.3';
export const OID_O = '2.5.4.10';
/** CA/B Forum reserved policy identifier for DV (BR §7.1.6.1). */
export const OID_POLICY_DV = '2.23.140.1.2.1';
export const OID_KP_SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
export const OID_AD_CA_ISSUERS = '1.3.6.1.5.5.7.48.2';

export function extension(extnID: string, critical: boolean, value: object): Extension {
  return new Extension({ extnID, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

/**
 * Key identifier by RFC 5280 §4.2.1.2 method (1): SHA-1 of the
 * subjectPublicKey BIT STRING value (excluding tag, length and unused bits).
 */
export function keyIdentifierOf(spkiDer: Uint8Array): Uint8Array {
  const top = expectTag(readWhole(spkiDer), 0x30, 'SubjectPublicKeyInfo');
  const bits = contentOf(spkiDer, expectTag(children(spkiDer, top)[1], 0x03, 'subjectPublicKey'));
  return new Uint8Array(createHash('sha1').update(bits.subarray(1)).digest());
}

/** The DER encoding of an @peculiar/asn1-x509 object (Name, Extension, GeneralName, …). */
export function derOf(value: object): Uint8Array {
  return new Uint8Array(AsnConvert.serialize(value));
}

export function basicConstraints(cA: boolean, pathLen?: number): Extension {
  const bc = new BasicConstraints({ cA });
  if (pathLen !== undefined) bc.pathLenConstraint = pathLen;
  return extension(id_ce_basicConstraints, true, bc);
}

/** keyUsage is always critical in Shomei's profiles (BR §7.1.2.7.11, §7.1.2.10.7). */
export function keyUsage(flags: number): Extension {
  return extension(id_ce_keyUsage, true, new KeyUsage(flags));
}

export function extKeyUsage(oids: string[]): Extension {
  return extension(id_ce_extKeyUsage, false, new ExtendedKeyUsage(oids));
}

export function subjectKeyIdentifier(ki: Uint8Array): Extension {
  return extension(id_ce_subjectKeyIdentifier, false, new SubjectKeyIdentifier(ki));
}

/** keyIdentifier only — no issuer/serial fields (BR §7.1.2.11.1). */
export function authorityKeyIdentifier(ki: Uint8Array): Extension {
  return extension(id_ce_authorityKeyIdentifier, false, new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(ki) }));
}

/** Policy OIDs without qualifiers (BR §7.1.2.7.9: qualifiers NOT RECOMMENDED). */
export function certificatePolicies(oids: string[]): Extension {
  return extension(
    id_ce_certificatePolicies,
    false,
    new CertificatePolicies(oids.map((policyIdentifier) => new PolicyInformation({ policyIdentifier }))),
  );
}

/** AIA with only id-ad-caIssuers (BR §7.1.2.7.7: HTTP URI). */
export function aiaCaIssuers(url: string): Extension {
  return extension(
    id_pe_authorityInfoAccess,
    false,
    new AuthorityInfoAccessSyntax([
      new AccessDescription({
        accessMethod: OID_AD_CA_ISSUERS,
        accessLocation: new GeneralName({ uniformResourceIdentifier: url }),
      }),
    ]),
  );
}

export function subjectAltName(names: GeneralName[], critical: boolean): Extension {
  return extension(id_ce_subjectAltName, critical, new SubjectAlternativeName(names));
}

/**
 * A distinguished name with one attribute per RDN, in the order given
 * (BR §7.1.4.2). Values are UTF8String (RFC 5280 §4.1.2.6).
 */
export function distinguishedName(attrs: Array<[oid: string, value: string]>): Name {
  return new Name(
    attrs.map(
      ([type, value]) =>
        new RelativeDistinguishedName([new AttributeTypeAndValue({ type, value: new AttributeValue({ utf8String: value }) })]),
    ),
  );
}

const DER_TRUE = Uint8Array.of(0x01, 0x01, 0xff);
const OID_SAN_DER = encodeOid(id_ce_subjectAltName);
const OID_CN_DER = encodeOid(OID_CN);

/** Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE (omitted when false), extnValue OCTET STRING }. */
export function extensionDer(oidDer: Uint8Array, critical: boolean, valueDer: Uint8Array): Uint8Array {
  const value = encodeTlv(0x04, valueDer);
  return encodeConstructed(0x30, critical ? [oidDer, DER_TRUE, value] : [oidDer, value]);
}

/** GeneralName dNSName: [2] IMPLICIT IA5String. The name must already be an ASCII DNS name. */
export function dnsNameDer(name: string): Uint8Array {
  return encodeTlv(0x82, Buffer.from(name, 'latin1'));
}

/** subjectAltName from DER GeneralNames, in order. */
export function subjectAltNameDer(generalNames: readonly Uint8Array[], critical: boolean): Uint8Array {
  return extensionDer(OID_SAN_DER, critical, encodeConstructed(0x30, generalNames));
}

/** The empty Name: SEQUENCE {}. */
export function emptyNameDer(): Uint8Array {
  return Uint8Array.of(0x30, 0x00);
}

/** Name with the single RDN CN = `cn` as UTF8String (RFC 5280 §4.1.2.6), as distinguishedName() encodes it. */
export function commonNameDer(cn: string): Uint8Array {
  const atv = encodeConstructed(0x30, [OID_CN_DER, encodeTlv(0x0c, Buffer.from(cn, 'utf8'))]);
  return encodeConstructed(0x30, [encodeConstructed(0x31, [atv])]);
}

const OID_CRL_DISTRIBUTION_POINTS_DER = encodeOid('2.5.29.31');

/**
 * DistributionPointName `fullName` holding one uniformResourceIdentifier:
 * [0] { [0] IMPLICIT GeneralNames { [6] IMPLICIT IA5String url } }
 * (RFC 5280 §4.2.1.13; a tagged CHOICE is explicit, the rest implicit).
 * The CRL DP of a certificate and the issuingDistributionPoint of its CRL
 * shard both use it, so their URIs are the same bytes (BR §7.2.2.1).
 */
export function distributionPointFullNameDer(url: string): Uint8Array {
  // BR §7.1.2.11.2: http URIs only. IA5String: ASCII, and a URI has no spaces or controls.
  if (!url.startsWith('http://') || !/^[\x21-\x7e]+$/.test(url)) throw new Error(`not an http:// URI for a distribution point: ${JSON.stringify(url)}`);
  return encodeConstructed(0xa0, [encodeConstructed(0xa0, [encodeTlv(0x86, Buffer.from(url, 'latin1'))])]);
}

/**
 * cRLDistributionPoints (RFC 5280 §4.2.1.13), non-critical, with exactly one
 * DistributionPoint whose fullName is `url` — no reasons, no cRLIssuer
 * (BR §7.1.2.11.2).
 */
export function crlDistributionPointsDer(url: string): Uint8Array {
  const distributionPoint = encodeConstructed(0x30, [distributionPointFullNameDer(url)]);
  return extensionDer(OID_CRL_DISTRIBUTION_POINTS_DER, false, encodeConstructed(0x30, [distributionPoint]));
}
