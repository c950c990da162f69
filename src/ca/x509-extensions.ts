/**
 * Small constructors for the X.509 pieces the CA's profiles use, each encoded
 * with @peculiar/asn1-x509 so DER rules (DEFAULT omission, minimal BIT
 * STRINGs) are applied by the library, not by hand.
 */
import { createHash } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
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
  SubjectPublicKeyInfo,
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
  const spki = AsnConvert.parse(spkiDer, SubjectPublicKeyInfo);
  return new Uint8Array(createHash('sha1').update(new Uint8Array(spki.subjectPublicKey)).digest());
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
