/**
 * The one seam between certificate building and private keys. Everything that
 * signs (dev hierarchy, DV leaves, later CRLs) goes through `Signer`, so an
 * HSM-backed WebCrypto provider (PKCS#11) replaces the file-key provider
 * without touching profiles.
 */
import { KeyObject, sign as nodeSign, webcrypto } from 'node:crypto';
import { encodeSequence, encodeUnsignedInteger } from './der.js';

export type EcdsaCurve = 'P-256' | 'P-384';

/** OIDs of the signature algorithms the CA produces (RFC 5758 §3.2). */
export const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
export const ECDSA_WITH_SHA384 = '1.2.840.10045.4.3.3';

export interface Signer {
  /**
   * signatureAlgorithm OID. For ECDSA the AlgorithmIdentifier has absent
   * parameters (RFC 5758 §3.2; BR §7.1.3.2.2 byte-exact encodings).
   */
  readonly signatureAlgorithmOid: string;
  /** DER SubjectPublicKeyInfo of the signing key. */
  readonly spki: Uint8Array;
  /** Sign `data`; returns the bytes that go into the signature BIT STRING. */
  sign(data: Uint8Array): Promise<Uint8Array>;
}

/**
 * BR §7.1.3.2.2: the hash is tied to the CA key's curve — P-256 signs with
 * SHA-256, P-384 with SHA-384.
 */
const CURVE_PARAMS: Record<EcdsaCurve, { hash: 'SHA-256' | 'SHA-384'; nodeHash: string; oid: string; size: number }> = {
  'P-256': { hash: 'SHA-256', nodeHash: 'sha256', oid: ECDSA_WITH_SHA256, size: 32 },
  'P-384': { hash: 'SHA-384', nodeHash: 'sha384', oid: ECDSA_WITH_SHA384, size: 48 },
};

function isEcdsaCurve(c: string): c is EcdsaCurve {
  return c === 'P-256' || c === 'P-384';
}

/** WebCrypto returns IEEE P1363 r‖s; X.509 wants ECDSA-Sig-Value (RFC 3279 §2.2.3). */
export function p1363ToDer(sig: Uint8Array, size: number): Uint8Array {
  if (sig.length !== 2 * size) throw new Error(`unexpected ECDSA signature length ${sig.length}`);
  return encodeSequence(encodeUnsignedInteger(sig.subarray(0, size)), encodeUnsignedInteger(sig.subarray(size)));
}

/**
 * A Signer over a WebCrypto ECDSA private key (Node's own or a PKCS#11 provider's `subtle`).
 *
 * With Node's own `subtle` and one of its keys, signing goes through
 * `node:crypto` `sign()` on the same key material instead (the handle is
 * taken once here): same signatures, DER out directly, ~25 µs of CPU per
 * P-256 signature against ~75 µs for `subtle.sign` (no WebIDL normalisation,
 * no thread-pool job, no P1363 → DER conversion). Any other `subtle` (a
 * PKCS#11 provider) keeps the WebCrypto path.
 */
export function webCryptoEcdsaSigner(
  privateKey: webcrypto.CryptoKey,
  spki: Uint8Array,
  subtle: webcrypto.SubtleCrypto = webcrypto.subtle,
): Signer {
  const alg = privateKey.algorithm as webcrypto.EcKeyAlgorithm;
  if (alg.name !== 'ECDSA' || !isEcdsaCurve(alg.namedCurve)) {
    throw new Error(`CA keys must be ECDSA P-256 or P-384, got ${alg.name} ${alg.namedCurve ?? ''}`);
  }
  const p = CURVE_PARAMS[alg.namedCurve];
  if (subtle === webcrypto.subtle && privateKey.usages.includes('sign')) {
    const keyObject = nodeKeyObjectOf(privateKey);
    if (keyObject !== undefined) return nodeEcdsaSigner(keyObject, spki);
  }
  return {
    signatureAlgorithmOid: p.oid,
    spki: Uint8Array.from(spki),
    async sign(data: Uint8Array): Promise<Uint8Array> {
      const raw = new Uint8Array(await subtle.sign({ name: 'ECDSA', hash: p.hash }, privateKey, data));
      return p1363ToDer(raw, p.size);
    },
  };
}

/** The node KeyObject behind one of Node's own CryptoKeys; undefined for any other implementation's keys. */
function nodeKeyObjectOf(key: webcrypto.CryptoKey): KeyObject | undefined {
  try {
    return KeyObject.from(key);
  } catch {
    return undefined;
  }
}

/** A Signer over a `node:crypto` ECDSA private KeyObject (P-256 or P-384), signing synchronously on the calling thread. */
export function nodeEcdsaSigner(privateKey: KeyObject, spki: Uint8Array): Signer {
  const curve = privateKey.asymmetricKeyDetails?.namedCurve;
  const named = curve === 'prime256v1' ? 'P-256' : curve === 'secp384r1' ? 'P-384' : undefined;
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ec' || named === undefined) {
    throw new Error(`CA keys must be ECDSA P-256 or P-384, got ${privateKey.asymmetricKeyType ?? privateKey.type} ${curve ?? ''}`);
  }
  const p = CURVE_PARAMS[named];
  return {
    signatureAlgorithmOid: p.oid,
    spki: Uint8Array.from(spki),
    async sign(data: Uint8Array): Promise<Uint8Array> {
      // ECDSA-Sig-Value (RFC 3279 §2.2.3) straight from OpenSSL.
      return nodeSign(p.nodeHash, data, { key: privateKey, dsaEncoding: 'der' });
    },
  };
}

/** Generate an ECDSA key pair (extractable only so the dev hierarchy can write it to disk). */
export async function generateEcdsaKeyPair(
  curve: EcdsaCurve,
  extractable: boolean,
  subtle: webcrypto.SubtleCrypto = webcrypto.subtle,
): Promise<webcrypto.CryptoKeyPair> {
  return subtle.generateKey({ name: 'ECDSA', namedCurve: curve }, extractable, ['sign', 'verify']);
}

/** Import a PKCS#8 ECDSA private key as non-extractable, for signing only. */
export async function importEcdsaPkcs8(
  pkcs8: Uint8Array,
  curve: EcdsaCurve,
  subtle: webcrypto.SubtleCrypto = webcrypto.subtle,
): Promise<webcrypto.CryptoKey> {
  return subtle.importKey('pkcs8', pkcs8, { name: 'ECDSA', namedCurve: curve }, false, ['sign']);
}
