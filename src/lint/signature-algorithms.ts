/**
 * BR §7.1.3.2: the byte-exact AlgorithmIdentifier encodings allowed for the
 * signature of a certificate, with the issuer key they go with. ECDSA has
 * absent parameters (RFC 5758 §3.2) and its hash is tied to the curve of the
 * CA key (BR §7.1.3.2.2); RSASSA-PKCS1-v1_5 carries NULL parameters
 * (BR §7.1.3.2.1). RSASSA-PSS, ECDSA P-521 (MRSP §5.1) and SHA-1 (sunset
 * 2026-09-15) are not in Shomei's set.
 */
import type { SpkiKeyType } from './spki.js';

export const SIGNATURE_ALGORITHMS: Readonly<Record<string, { name: string; issuerKeys: readonly SpkiKeyType[] }>> = {
  '300a06082a8648ce3d040302': { name: 'ecdsa-with-SHA256', issuerKeys: ['P-256'] },
  '300a06082a8648ce3d040303': { name: 'ecdsa-with-SHA384', issuerKeys: ['P-384'] },
  '300d06092a864886f70d01010b0500': { name: 'sha256WithRSAEncryption', issuerKeys: ['RSA'] },
  '300d06092a864886f70d01010c0500': { name: 'sha384WithRSAEncryption', issuerKeys: ['RSA'] },
  '300d06092a864886f70d01010d0500': { name: 'sha512WithRSAEncryption', issuerKeys: ['RSA'] },
};
