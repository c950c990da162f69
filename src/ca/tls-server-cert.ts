/**
 * The certificate of Shomei's own ACME HTTPS listener, issued at start-up by
 * the same issuing CA and DV profile, plus loopback iPAddress SANs so that
 * https://127.0.0.1 and https://[::1] work in development.
 *
 * This is the CA's own service certificate, not a subscriber certificate:
 * BR §6.1.1.3 (CA must not generate subscriber keys) does not apply, and the
 * iPAddress SANs are added here — the DV builder stays dNSName-only.
 */
import { isIP } from 'node:net';
import { webcrypto } from 'node:crypto';
import { GeneralName } from '@peculiar/asn1-x509';
import { canonicalDnsName } from '../core/identifiers.js';
import type { LocalCertificateAuthority } from './authority.js';
import { toPem } from './pem.js';
import { newSerialHex, serialHexToBytes } from './serial.js';
import { signCertificate } from './sign-certificate.js';
import { generateEcdsaKeyPair } from './signer.js';
import { derOf } from './x509-extensions.js';

export interface ServerCertificate {
  /** PKCS#8 PEM of a fresh P-256 key. */
  keyPem: string;
  /** Leaf PEM. */
  certPem: string;
  /** What follows the leaf: the issuing intermediate PEM. */
  chainPem: string;
  /** certPem + chainPem, what a TLS server sends. */
  fullChainPem: string;
  serialHex: string;
  notBefore: Date;
  notAfter: Date;
}

export const LOOPBACK_IPS = ['127.0.0.1', '::1'];

/**
 * Issue the listener certificate for `names` (DNS names and/or IP literals);
 * `localhost`, 127.0.0.1 and ::1 are always included.
 */
export async function issueServerCertificate(
  ca: LocalCertificateAuthority,
  names: string[],
  now: Date,
): Promise<ServerCertificate> {
  const dns = new Set<string>(['localhost']);
  const ips = new Set<string>(LOOPBACK_IPS);
  for (const n of names) {
    const bare = n.replace(/^\[(.*)\]$/, '$1');
    if (isIP(bare) !== 0) ips.add(bare);
    else dns.add(canonicalDnsName(n));
  }
  const subtle = webcrypto.subtle;
  const pair = await generateEcdsaKeyPair('P-256', true, subtle);
  const spki = new Uint8Array(await subtle.exportKey('spki', pair.publicKey));
  const pkcs8 = new Uint8Array(await subtle.exportKey('pkcs8', pair.privateKey));
  const serialHex = newSerialHex();
  const validity = ca.validityAt(now);
  // The DV template, with the IP addresses appended to the SAN (DV criticality rule unchanged).
  const fields = ca.leafProfile.fields(
    { serial: serialHexToBytes(serialHex), spki, names: [...dns], ...validity },
    [...ips].map((iPAddress) => derOf(new GeneralName({ iPAddress }))),
  );
  const der = await signCertificate(fields, ca.issuingCa.signer);
  const certPem = toPem('CERTIFICATE', der);
  const chainPem = ca.intermediatePem();
  return {
    keyPem: toPem('PRIVATE KEY', pkcs8),
    certPem,
    chainPem,
    fullChainPem: certPem + chainPem,
    serialHex,
    ...validity,
  };
}
