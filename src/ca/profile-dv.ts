/**
 * The DV subscriber certificate profile (BR §7.1.2.7; WEBPKI.md §1.7).
 *
 * Built from this template only: the CSR contributes the public key and
 * nothing else (names come from the order, checked by the RA).
 * `dvLeafProfile` encodes everything that is constant for an issuing CA
 * (issuer, keyUsage variants, EKU, basicConstraints, AKI, AIA, policies)
 * once; per certificate only subject, SAN and the key-dependent keyUsage are
 * chosen or written.
 * With `crlUrl` the certificate carries its CRL shard's URL (BR §7.1.2.11.2);
 * with `precertificate` it ends with the critical CT poison extension (RFC
 * 6962 §3.1), which the final certificate replaces by the SCT list in place
 * (ca/tbs-extensions.ts), so both share every other byte.
 */
import { KeyUsageFlags } from '@peculiar/asn1-x509';
import { ShomeiError } from '../core/errors.js';
import { CT_POISON_EXTENSION_DER } from '../ct/precertificate.js';
import { children, contentOf, decodeOid, expectTag, readWhole } from './der.js';
import type { IssuingCa } from './issuing-ca.js';
import type { TbsFields } from './sign-certificate.js';
import {
  OID_KP_SERVER_AUTH,
  OID_POLICY_DV,
  aiaCaIssuers,
  authorityKeyIdentifier,
  basicConstraints,
  certificatePolicies,
  commonNameDer,
  crlDistributionPointsDer,
  derOf,
  dnsNameDer,
  emptyNameDer,
  extKeyUsage,
  keyUsage,
  subjectAltNameDer,
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
  /** http:// URL of the certificate's CRL shard (cRLDistributionPoints). */
  crlUrl?: string;
  /** Build the precertificate: the critical CT poison extension comes last. */
  precertificate?: boolean;
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

const OID_EC_PUBLIC_KEY_CONTENT = Buffer.from('2a8648ce3d0201', 'hex');
const OID_RSA_ENCRYPTION_CONTENT = Buffer.from('2a864886f70d010101', 'hex');

/** The key algorithm of a SubjectPublicKeyInfo: 'EC', 'RSA', or the dotted OID of anything else. */
function spkiAlgorithm(spki: Uint8Array): 'EC' | 'RSA' | string {
  const top = expectTag(readWhole(spki), 0x30, 'SubjectPublicKeyInfo');
  const alg = expectTag(children(spki, top)[0], 0x30, 'algorithm');
  const oid = contentOf(spki, expectTag(children(spki, alg)[0], 0x06, 'algorithm OID'));
  if (OID_EC_PUBLIC_KEY_CONTENT.equals(oid)) return 'EC';
  if (OID_RSA_ENCRYPTION_CONTENT.equals(oid)) return 'RSA';
  return decodeOid(oid);
}

/**
 * BR §7.1.2.7.11 keyUsage: ECDSA digitalSignature only; RSA digitalSignature
 * + keyEncipherment (MAY, for TLS 1.2 RSA key exchange).
 */
export function leafKeyUsage(spki: Uint8Array): number {
  const alg = spkiAlgorithm(spki);
  if (alg === 'EC') return KeyUsageFlags.digitalSignature;
  if (alg === 'RSA') return KeyUsageFlags.digitalSignature | KeyUsageFlags.keyEncipherment;
  throw new ShomeiError('serverInternal', `no DV profile for key algorithm ${alg}`);
}

/** Subject: CN = first name when enabled and ≤ 64 characters, else empty (BR §7.1.2.7.2). DER Name. */
export function dvSubject(names: string[], includeCommonName: boolean): Uint8Array {
  const first = names[0];
  if (includeCommonName && first !== undefined && first.length <= MAX_CN_LENGTH) return commonNameDer(first);
  return emptyNameDer();
}

/** The DV leaf template of one issuing CA, with its constant parts encoded once. */
export interface DvLeafProfile {
  readonly ca: IssuingCa;
  readonly options: DvProfileOptions;
  /**
   * The TBS fields of a DV leaf; SAN critical exactly when the subject is
   * empty (BR §7.1.2.7.12). `extraGeneralNames` (DER GeneralNames appended
   * after the dNSNames) is for the CA's own listener certificate only.
   */
  fields(req: DvLeafRequest, extraGeneralNames?: readonly Uint8Array[]): TbsFields;
}

export function dvLeafProfile(ca: IssuingCa, opts: DvProfileOptions): DvLeafProfile {
  const options: DvProfileOptions = { ...opts };
  const kuEc = derOf(keyUsage(KeyUsageFlags.digitalSignature));
  const kuRsa = derOf(keyUsage(KeyUsageFlags.digitalSignature | KeyUsageFlags.keyEncipherment));
  const eku = derOf(extKeyUsage([OID_KP_SERVER_AUTH])); // BR §7.1.2.7.10: serverAuth only
  const bc = derOf(basicConstraints(false)); // BR §7.1.2.7.8: cA FALSE, no pathLen
  const aki = derOf(authorityKeyIdentifier(ca.keyIdentifier)); // BR §7.1.2.11.1: keyIdentifier only
  const aia = derOf(aiaCaIssuers(options.caIssuersUrl)); // BR §7.1.2.7.7
  const policies = derOf(certificatePolicies([OID_POLICY_DV])); // BR §7.1.2.7.9: exactly the DV reserved OID
  const issuer = ca.subjectDer; // BR §7.1.2.7: byte-for-byte the issuing CA's subject
  return {
    ca,
    options,
    fields(req, extraGeneralNames = []) {
      assertDnsNames(req.names);
      const subject = dvSubject(req.names, options.includeCommonName);
      const sanCritical = subject.length === 2; // the empty Name, SEQUENCE {}
      const alg = spkiAlgorithm(req.spki);
      const ku = alg === 'EC' ? kuEc : alg === 'RSA' ? kuRsa : undefined;
      if (ku === undefined) throw new ShomeiError('serverInternal', `no DV profile for key algorithm ${alg}`);
      const generalNames = req.names.map(dnsNameDer);
      if (extraGeneralNames.length > 0) generalNames.push(...extraGeneralNames);
      return {
        serial: req.serial,
        issuer,
        subject,
        notBefore: req.notBefore,
        notAfter: req.notAfter,
        spki: req.spki,
        extensions: [
          ku,
          eku,
          bc,
          aki,
          aia,
          subjectAltNameDer(generalNames, sanCritical),
          policies,
          ...(req.crlUrl === undefined ? [] : [crlDistributionPointsDer(req.crlUrl)]),
          ...(req.precertificate === true ? [CT_POISON_EXTENSION_DER] : []),
        ],
      };
    },
  };
}

/** The TBS fields of a DV leaf (one-off; issuers keep a `dvLeafProfile` instead). */
export function dvLeafFields(ca: IssuingCa, req: DvLeafRequest, opts: DvProfileOptions): TbsFields {
  return dvLeafProfile(ca, opts).fields(req);
}
