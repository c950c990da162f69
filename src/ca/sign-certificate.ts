/**
 * Assemble a v3 TBSCertificate, sign it through a `Signer`, and check the
 * result before it leaves the CA.
 */
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  Certificate,
  Extension,
  Extensions,
  Name,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
} from '@peculiar/asn1-x509';
import { ECDSA_WITH_SHA256, ECDSA_WITH_SHA384, type Signer } from './signer.js';

export interface TbsFields {
  /** DER INTEGER content octets (see serial.ts). */
  serial: Uint8Array;
  issuer: Name;
  subject: Name;
  notBefore: Date;
  notAfter: Date;
  /** DER SubjectPublicKeyInfo, put into the certificate unchanged. */
  spki: Uint8Array;
  extensions: Extension[];
}

const HASH_OF: Record<string, string> = { [ECDSA_WITH_SHA256]: 'sha256', [ECDSA_WITH_SHA384]: 'sha384' };

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a).equals(Buffer.from(b));
}

export function buildTbs(f: TbsFields, signatureAlgorithmOid: string): TBSCertificate {
  const spki = AsnConvert.parse(f.spki, SubjectPublicKeyInfo);
  // The key must go in exactly as given: re-encoding may not alter a byte.
  if (!sameBytes(new Uint8Array(AsnConvert.serialize(spki)), f.spki)) {
    throw new Error('SubjectPublicKeyInfo does not round-trip byte-exactly');
  }
  return new TBSCertificate({
    version: Version.v3,
    serialNumber: Uint8Array.from(f.serial).buffer,
    // RFC 5758 §3.2: ECDSA AlgorithmIdentifiers have absent parameters.
    signature: new AlgorithmIdentifier({ algorithm: signatureAlgorithmOid }),
    issuer: f.issuer,
    // RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050 (asn1-x509 Time does this).
    validity: new Validity({ notBefore: f.notBefore, notAfter: f.notAfter }),
    subject: f.subject,
    subjectPublicKeyInfo: spki,
    extensions: new Extensions(f.extensions),
  });
}

/**
 * Sign and return the certificate DER. The signature is verified with the
 * signer's public key before returning, so a faulty key backend (HSM glitch,
 * wrong key loaded) cannot hand out a broken certificate.
 */
export async function signCertificate(f: TbsFields, signer: Signer): Promise<Uint8Array> {
  const hash = HASH_OF[signer.signatureAlgorithmOid];
  if (hash === undefined) throw new Error(`unsupported signature algorithm ${signer.signatureAlgorithmOid}`);
  const tbs = buildTbs(f, signer.signatureAlgorithmOid);
  const tbsDer = new Uint8Array(AsnConvert.serialize(tbs));
  const signature = await signer.sign(tbsDer);
  const ok = nodeVerify(
    hash,
    tbsDer,
    { key: createPublicKey({ key: Buffer.from(signer.spki), format: 'der', type: 'spki' }), dsaEncoding: 'der' },
    signature,
  );
  if (!ok) throw new Error('signature produced by the CA key does not verify');
  const cert = new Certificate({
    tbsCertificate: tbs,
    // RFC 5280 §4.1.1.2 / BR §7.1.2.7: identical to tbsCertificate.signature.
    signatureAlgorithm: new AlgorithmIdentifier({ algorithm: signer.signatureAlgorithmOid }),
    signatureValue: Uint8Array.from(signature).buffer,
  });
  const der = new Uint8Array(AsnConvert.serialize(cert));
  // What was signed must be exactly what the certificate carries.
  const signedTbs = AsnConvert.parse(der, Certificate).tbsCertificateRaw;
  if (signedTbs === undefined || !sameBytes(new Uint8Array(signedTbs), tbsDer)) {
    throw new Error('certificate encoding changed the signed TBSCertificate');
  }
  return der;
}
