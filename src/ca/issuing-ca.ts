/**
 * What a profile needs to know about the CA certificate that signs it, read
 * once from its DER and checked against the signer.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, Name, SubjectKeyIdentifier, id_ce_subjectKeyIdentifier } from '@peculiar/asn1-x509';
import { children, readWhole } from './der.js';
import { toPem } from './pem.js';
import type { Signer } from './signer.js';

export interface IssuingCa {
  der: Uint8Array;
  pem: string;
  /** The CA's subject; re-encodes byte-for-byte to the certificate's own bytes. */
  subject: Name;
  /** The DER bytes of the CA's subject as they appear in its certificate: every leaf's issuer. */
  subjectDer: Uint8Array;
  /** The CA certificate's subjectKeyIdentifier: every AKI it issues carries this. */
  keyIdentifier: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  signer: Signer;
}

/** Raw DER of tbsCertificate.subject (field 6 of TBSCertificate, after the [0] version). */
function rawSubject(der: Uint8Array): Uint8Array {
  const cert = readWhole(der);
  const tbs = children(der, cert)[0]!;
  const fields = children(der, tbs);
  const offset = fields[0]!.tag === 0xa0 ? 1 : 0;
  const subject = fields[offset + 4]!;
  return der.subarray(subject.start, subject.end);
}

export function describeIssuingCa(der: Uint8Array, signer: Signer): IssuingCa {
  const cert = AsnConvert.parse(der, Certificate);
  const tbs = cert.tbsCertificate;
  // BR §7.1.2.7 (issuer): the leaf's issuer must equal this subject byte for byte,
  // so the parsed Name must re-encode to exactly the bytes in the CA certificate.
  const subjectDer = Uint8Array.from(rawSubject(der));
  const reencoded = Buffer.from(AsnConvert.serialize(tbs.subject));
  if (!reencoded.equals(subjectDer)) {
    throw new Error('issuing CA subject does not re-encode byte-exactly');
  }
  const spki = Buffer.from(AsnConvert.serialize(tbs.subjectPublicKeyInfo));
  if (!spki.equals(Buffer.from(signer.spki))) {
    throw new Error('issuing CA certificate does not match its signing key');
  }
  const skiExt = tbs.extensions?.find((e) => e.extnID === id_ce_subjectKeyIdentifier);
  if (skiExt === undefined) throw new Error('issuing CA certificate has no subjectKeyIdentifier');
  const ski = AsnConvert.parse(skiExt.extnValue, SubjectKeyIdentifier);
  return {
    der: Uint8Array.from(der),
    pem: toPem('CERTIFICATE', der),
    subject: tbs.subject,
    subjectDer,
    keyIdentifier: new Uint8Array(ski.buffer),
    notBefore: tbs.validity.notBefore.getTime(),
    notAfter: tbs.validity.notAfter.getTime(),
    signer,
  };
}
