/**
 * Assemble a v3 TBSCertificate by concatenating DER pieces, sign it through a
 * `Signer`, and check the result before it leaves the CA.
 *
 * Every field arrives already DER-encoded (profiles precompute the constant
 * ones once per CA, see profile-dv.ts); this file only writes the envelope:
 *
 *   TBSCertificate ::= SEQUENCE { [0] EXPLICIT version v3, serialNumber,
 *     signature, issuer, validity, subject, subjectPublicKeyInfo,
 *     [3] EXPLICIT extensions }                            (RFC 5280 §4.1)
 *
 * The output is byte-for-byte what @peculiar/asn1-x509 produced for the same
 * fields (test/unit/ca/tbs-equivalence.test.ts keeps that builder as the
 * reference).
 */
import { createPublicKey, verify as nodeVerify, type KeyObject } from 'node:crypto';
import {
  DerError,
  children,
  encodeBitString,
  encodeConstructed,
  encodeOid,
  encodeTime,
  encodeTlv,
  expectTag,
  readWhole,
} from './der.js';
import { ECDSA_WITH_SHA256, ECDSA_WITH_SHA384, type Signer } from './signer.js';

export interface TbsFields {
  /** DER INTEGER content octets (see serial.ts). */
  serial: Uint8Array;
  /** DER Name of the issuer (BR §7.1.2.7: the issuing CA's subject, byte for byte). */
  issuer: Uint8Array;
  /** DER Name of the subject. */
  subject: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  /** DER SubjectPublicKeyInfo, put into the certificate unchanged. */
  spki: Uint8Array;
  /** DER Extension each, in certificate order. */
  extensions: readonly Uint8Array[];
}

const HASH_OF: Record<string, string> = { [ECDSA_WITH_SHA256]: 'sha256', [ECDSA_WITH_SHA384]: 'sha384' };

/** [0] EXPLICIT INTEGER 2 (v3). */
const VERSION_V3 = Uint8Array.of(0xa0, 0x03, 0x02, 0x01, 0x02);

const sigAlgCache = new Map<string, Uint8Array>();

/** RFC 5758 §3.2: ECDSA AlgorithmIdentifiers have absent parameters — SEQUENCE { OID }. */
export function signatureAlgorithmDer(oid: string): Uint8Array {
  let der = sigAlgCache.get(oid);
  if (der === undefined) {
    if (HASH_OF[oid] === undefined) throw new Error(`unsupported signature algorithm ${oid}`);
    der = encodeConstructed(0x30, [encodeOid(oid)]);
    sigAlgCache.set(oid, der);
  }
  return der;
}

/** RFC 5280 §4.1.2.2 / X.690 §8.3: positive, minimal, at most 20 octets. */
function assertSerial(serial: Uint8Array): void {
  const ok =
    serial.length > 0 &&
    serial.length <= 20 &&
    (serial[0]! & 0x80) === 0 &&
    !(serial.length > 1 && serial[0] === 0 && (serial[1]! & 0x80) === 0);
  if (!ok) throw new Error('certificate serial is not a positive minimal INTEGER of at most 20 octets');
}

/**
 * The SubjectPublicKeyInfo goes in exactly as given, so it must be one strict
 * DER element of the right shape: SEQUENCE { AlgorithmIdentifier, BIT STRING }.
 */
function assertSpki(spki: Uint8Array): void {
  try {
    const top = expectTag(readWhole(spki), 0x30, 'SubjectPublicKeyInfo');
    const f = children(spki, top);
    if (f.length !== 2) throw new DerError('SubjectPublicKeyInfo must have two fields');
    const alg = expectTag(f[0], 0x30, 'algorithm');
    expectTag(children(spki, alg)[0], 0x06, 'algorithm OID');
    expectTag(f[1], 0x03, 'subjectPublicKey');
  } catch (e) {
    throw new Error(`SubjectPublicKeyInfo is not a DER SubjectPublicKeyInfo: ${(e as Error).message}`);
  }
}

/** DER TBSCertificate for `f`, signed with the algorithm `signatureAlgorithm` (DER AlgorithmIdentifier). */
export function encodeTbs(f: TbsFields, signatureAlgorithm: Uint8Array): Uint8Array {
  assertSerial(f.serial);
  assertSpki(f.spki);
  const validity = encodeConstructed(0x30, [encodeTime(f.notBefore), encodeTime(f.notAfter)]);
  const parts = [
    VERSION_V3,
    encodeTlv(0x02, f.serial),
    signatureAlgorithm,
    f.issuer,
    validity,
    f.subject,
    f.spki,
  ];
  if (f.extensions.length > 0) parts.push(encodeConstructed(0xa3, [encodeConstructed(0x30, f.extensions)]));
  return encodeConstructed(0x30, parts);
}

interface SignerState {
  hash: string;
  algorithm: Uint8Array;
  publicKey: KeyObject;
}

/** Per-Signer state, derived once: the CA public key is imported a single time, not per certificate. */
const signerStates = new WeakMap<Signer, SignerState>();

function stateOf(signer: Signer): SignerState {
  let s = signerStates.get(signer);
  if (s === undefined) {
    const hash = HASH_OF[signer.signatureAlgorithmOid];
    if (hash === undefined) throw new Error(`unsupported signature algorithm ${signer.signatureAlgorithmOid}`);
    s = {
      hash,
      algorithm: signatureAlgorithmDer(signer.signatureAlgorithmOid),
      publicKey: createPublicKey({ key: Buffer.from(signer.spki), format: 'der', type: 'spki' }),
    };
    signerStates.set(signer, s);
  }
  return s;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}

/**
 * Sign and return the certificate DER. The signature is verified with the
 * signer's public key before returning, so a faulty key backend (HSM glitch,
 * wrong key loaded) cannot hand out a broken certificate.
 */
export async function signCertificate(f: TbsFields, signer: Signer): Promise<Uint8Array> {
  return signTbs(encodeTbs(f, stateOf(signer).algorithm), signer);
}

/** The DER AlgorithmIdentifier `signer` signs with (what a TBS built for it must carry). */
export function signerAlgorithmDer(signer: Signer): Uint8Array {
  return stateOf(signer).algorithm;
}

/**
 * Sign an already encoded TBSCertificate (one built by `encodeTbs` with
 * `signerAlgorithmDer(signer)`, or derived byte-for-byte from a signed
 * precertificate) and verify the result as `signCertificate` does.
 */
export async function signTbs(tbsDer: Uint8Array, signer: Signer): Promise<Uint8Array> {
  const s = stateOf(signer);
  // RFC 5280 §4.1.2.3: the TBS names the algorithm it is signed with; refuse to sign a mismatch.
  const tbsFields = children(tbsDer, expectTag(readWhole(tbsDer), 0x30, 'TBSCertificate'));
  const tbsAlg = tbsFields[tbsFields[0]?.tag === 0xa0 ? 2 : 1];
  if (tbsAlg === undefined || !sameBytes(tbsDer.subarray(tbsAlg.start, tbsAlg.end), s.algorithm)) {
    throw new Error('TBSCertificate signature algorithm differs from the signing key\'s');
  }
  const signature = await signer.sign(tbsDer);
  const ok = nodeVerify(s.hash, tbsDer, { key: s.publicKey, dsaEncoding: 'der' }, signature);
  if (!ok) throw new Error('signature produced by the CA key does not verify');
  // RFC 5280 §4.1.1.2 / BR §7.1.2.7: signatureAlgorithm identical to tbsCertificate.signature.
  const der = encodeConstructed(0x30, [tbsDer, s.algorithm, encodeBitString(signature)]);
  // What was signed is embedded by construction; the cheap structural re-read guards the encoder.
  const top = readWhole(der);
  const [tbs, alg, sig, extra] = children(der, top);
  if (
    tbs === undefined ||
    alg === undefined ||
    sig?.tag !== 0x03 ||
    extra !== undefined ||
    !sameBytes(der.subarray(tbs.start, tbs.end), tbsDer) ||
    !sameBytes(der.subarray(alg.start, alg.end), s.algorithm)
  ) {
    throw new Error('certificate encoding changed the signed TBSCertificate');
  }
  return der;
}
