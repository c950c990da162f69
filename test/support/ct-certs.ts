// Real X.509 (pre)certificates for the CT log suites, built with the CA's own
// encoder and signed through a Signer: leaves, precertificates (with the
// poison), and small CAs whose key can sign further certificates.
import { generateKeyPairSync } from 'node:crypto';
import { KeyUsageFlags } from '@peculiar/asn1-x509';
import { newSerialHex, serialHexToBytes } from '../../src/ca/serial.js';
import { encodeTbs, signCertificate, signerAlgorithmDer, type TbsFields } from '../../src/ca/sign-certificate.js';
import { nodeEcdsaSigner, type Signer } from '../../src/ca/signer.js';
import {
  OID_KP_SERVER_AUTH,
  authorityKeyIdentifier,
  basicConstraints,
  commonNameDer,
  derOf,
  dnsNameDer,
  extKeyUsage,
  keyIdentifierOf,
  keyUsage,
  subjectAltNameDer,
  subjectKeyIdentifier,
} from '../../src/ca/x509-extensions.js';
import { CT_POISON_EXTENSION_DER } from '../../src/ct/precertificate.js';

export interface Issuer {
  /** DER subject of the issuing certificate (the issuer name of what it signs). */
  subject: Uint8Array;
  signer: Signer;
}

export interface TestCert {
  der: Uint8Array;
  /** The same TBSCertificate without the poison extension (RFC 6962 §3.2 PreCert.tbs_certificate). */
  tbsWithoutPoison: Uint8Array;
  /** This certificate as an issuer (its subject and its key). */
  asIssuer: Issuer;
}

export interface CertOptions {
  /** dNSNames; the first is also the CN. */
  names: string[];
  now: Date;
  precert?: boolean;
  /** A CA certificate (basicConstraints cA, keyCertSign) instead of a TLS leaf. */
  ca?: boolean;
  /** EKU OIDs (default serverAuth). */
  eku?: string[];
  /** Extra DER extensions, appended. */
  extraExtensions?: Uint8Array[];
  /** Replace the poison extension by these DER bytes (malformed poisons). */
  poisonDer?: Uint8Array;
}

export async function makeCert(issuer: Issuer, o: CertOptions): Promise<TestCert> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
  const poison = o.poisonDer ?? CT_POISON_EXTENSION_DER;
  const extensions = [
    derOf(o.ca ? keyUsage(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign) : keyUsage(KeyUsageFlags.digitalSignature)),
    derOf(extKeyUsage(o.eku ?? [OID_KP_SERVER_AUTH])),
    derOf(o.ca ? basicConstraints(true, 0) : basicConstraints(false)),
    derOf(authorityKeyIdentifier(keyIdentifierOf(issuer.signer.spki))),
    ...(o.ca ? [derOf(subjectKeyIdentifier(keyIdentifierOf(spki)))] : []),
    subjectAltNameDer(o.names.map(dnsNameDer), false),
    ...(o.precert ? [poison] : []),
    ...(o.extraExtensions ?? []),
  ];
  const fields: TbsFields = {
    serial: serialHexToBytes(newSerialHex()),
    issuer: issuer.subject,
    subject: commonNameDer(o.names[0]!),
    notBefore: new Date(o.now.getTime() - 60_000),
    notAfter: new Date(o.now.getTime() + 7 * 86_400_000),
    spki,
    extensions,
  };
  const der = await signCertificate(fields, issuer.signer);
  const tbsWithoutPoison = encodeTbs({ ...fields, extensions: extensions.filter((e) => e !== poison) }, signerAlgorithmDer(issuer.signer));
  return { der, tbsWithoutPoison, asIssuer: { subject: fields.subject, signer: nodeEcdsaSigner(privateKey, spki) } };
}
