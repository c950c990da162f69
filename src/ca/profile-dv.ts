/**
 * The DV subscriber certificate profile (BR §7.1.2.7; WEBPKI.md §1.7).
 *
 * Built from this template only: the CSR contributes the public key and
 * nothing else (names come from the order, checked by the RA).
 * Not yet here: crlDistributionPoints (added with CRLs) and the SCT list.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { GeneralName, KeyUsageFlags, Name, SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { ShomeiError } from '../core/errors.js';
import type { IssuingCa } from './issuing-ca.js';
import type { TbsFields } from './sign-certificate.js';
import {
  OID_CN,
  OID_KP_SERVER_AUTH,
  OID_POLICY_DV,
  aiaCaIssuers,
  authorityKeyIdentifier,
  basicConstraints,
  certificatePolicies,
  distinguishedName,
  extKeyUsage,
  keyUsage,
  subjectAltName,
} from './x509-extensions.js';

export const OID_RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
export const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';

export interface DvProfileOptions {
  /** Put the first SAN into the subject CN when it fits (BR §7.1.2.7.2: allowed, NOT RECOMMENDED). */
  includeCommonName: boolean;
  /** http:// URL of the issuing CA certificate (AIA id-ad-caIssuers). */
  caIssuersUrl: string;
}

export interface DvLeafRequest {
  /** DER INTEGER content octets of the serial. */
  serial: Uint8Array;
  /** DER SubjectPublicKeyInfo of the subscriber key (already checked). */
  spki: Uint8Array;
  /** dNSNames in SAN order. */
  names: string[];
  notBefore: Date;
  notAfter: Date;
}

/** BR §7.1.4.3: CN is at most 64 characters. */
export const MAX_CN_LENGTH = 64;

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * BR §7.1.2.7.12 dNSName shape: LDH labels, lower case, no trailing dot,
 * optional leading "*." label. Which names are allowed is the RA's call;
 * this only stops malformed input from reaching a signature.
 */
export function assertDnsNames(names: string[]): void {
  if (names.length === 0) throw new ShomeiError('serverInternal', 'certificate needs at least one name');
  if (new Set(names).size !== names.length) throw new ShomeiError('serverInternal', 'duplicate certificate names');
  for (const n of names) {
    const labels = (n.startsWith('*.') ? n.slice(2) : n).split('.');
    if (n.length > 253 || !labels.every((l) => LABEL.test(l))) {
      throw new ShomeiError('serverInternal', `not a DNS name for a certificate: ${JSON.stringify(n)}`);
    }
  }
}

/**
 * BR §7.1.2.7.11 keyUsage: ECDSA digitalSignature only; RSA digitalSignature
 * + keyEncipherment (MAY, for TLS 1.2 RSA key exchange).
 */
export function leafKeyUsage(spki: Uint8Array): number {
  const alg = AsnConvert.parse(spki, SubjectPublicKeyInfo).algorithm.algorithm;
  if (alg === OID_EC_PUBLIC_KEY) return KeyUsageFlags.digitalSignature;
  if (alg === OID_RSA_ENCRYPTION) return KeyUsageFlags.digitalSignature | KeyUsageFlags.keyEncipherment;
  throw new ShomeiError('serverInternal', `no DV profile for key algorithm ${alg}`);
}

/** Subject: CN = first name when enabled and ≤ 64 characters, else empty (BR §7.1.2.7.2). */
export function dvSubject(names: string[], includeCommonName: boolean): Name {
  const first = names[0];
  if (includeCommonName && first !== undefined && first.length <= MAX_CN_LENGTH) {
    return distinguishedName([[OID_CN, first]]);
  }
  return new Name([]);
}

/** The TBS fields of a DV leaf; SAN critical exactly when the subject is empty (BR §7.1.2.7.12). */
export function dvLeafFields(ca: IssuingCa, req: DvLeafRequest, opts: DvProfileOptions): TbsFields {
  assertDnsNames(req.names);
  const subject = dvSubject(req.names, opts.includeCommonName);
  const sanCritical = subject.length === 0;
  return {
    serial: req.serial,
    issuer: ca.subject, // BR §7.1.2.7: byte-for-byte the issuing CA's subject
    subject,
    notBefore: req.notBefore,
    notAfter: req.notAfter,
    spki: req.spki,
    extensions: [
      keyUsage(leafKeyUsage(req.spki)),
      extKeyUsage([OID_KP_SERVER_AUTH]), // BR §7.1.2.7.10: serverAuth only
      basicConstraints(false), // BR §7.1.2.7.8: cA FALSE, no pathLen
      authorityKeyIdentifier(ca.keyIdentifier), // BR §7.1.2.11.1: keyIdentifier only
      aiaCaIssuers(opts.caIssuersUrl), // BR §7.1.2.7.7
      subjectAltName(
        req.names.map((dNSName) => new GeneralName({ dNSName })),
        sanCritical,
      ),
      certificatePolicies([OID_POLICY_DV]), // BR §7.1.2.7.9: exactly the DV reserved OID
    ],
  };
}
