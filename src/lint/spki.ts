/**
 * SubjectPublicKeyInfo facts for the linter: the key type by the exact
 * AlgorithmIdentifier bytes BR §7.1.3.1 allows (RSA with NULL parameters,
 * ECDSA with a namedCurve of P-256 or P-384 — MRSP §5.1 drops P-521).
 */
import { children, contentOf, expectTag, readWhole } from '../ca/der.js';
import { parseSpki, type ParsedSpki } from '../ca/key-policy.js';

export type SpkiKeyType = 'RSA' | 'P-256' | 'P-384';

/** BR §7.1.3.1.1 / §7.1.3.1.2: the byte-exact AlgorithmIdentifier encodings. */
export const SPKI_ALGORITHMS: Readonly<Record<string, SpkiKeyType>> = {
  '300d06092a864886f70d0101010500': 'RSA',
  '301306072a8648ce3d020106082a8648ce3d030107': 'P-256',
  '301006072a8648ce3d020106052b81040022': 'P-384',
};

/** The SPKI split into algorithm and key bits, or undefined when it is not a DER SubjectPublicKeyInfo. */
export function spkiParts(spki: Uint8Array): ParsedSpki | undefined {
  try {
    return parseSpki(spki);
  } catch {
    return undefined;
  }
}

/** The key type of an SPKI with one of the allowed encodings; undefined otherwise. */
export function spkiKeyType(spki: Uint8Array): SpkiKeyType | undefined {
  const parts = spkiParts(spki);
  return parts === undefined ? undefined : SPKI_ALGORITHMS[parts.algBytes];
}

export interface RsaPublicKeyValue {
  modulus: bigint;
  /** Modulus size in bits. */
  bits: number;
  exponent: bigint;
}

/** RFC 8017 §A.1.1 RSAPublicKey of an RSA SPKI; undefined when it is not a DER RSAPublicKey of positive integers. */
export function rsaPublicKeyOf(spki: Uint8Array): RsaPublicKeyValue | undefined {
  const parts = spkiParts(spki);
  if (parts === undefined || SPKI_ALGORITHMS[parts.algBytes] !== 'RSA') return undefined;
  try {
    const der = parts.keyBits;
    const f = children(der, expectTag(readWhole(der), 0x30, 'RSAPublicKey'));
    if (f.length !== 2) return undefined;
    const n = contentOf(der, expectTag(f[0], 0x02, 'modulus'));
    const e = contentOf(der, expectTag(f[1], 0x02, 'publicExponent'));
    if (n.length === 0 || e.length === 0 || (n[0]! & 0x80) !== 0 || (e[0]! & 0x80) !== 0) return undefined;
    const modulus = BigInt(`0x${Buffer.from(n).toString('hex')}`);
    return { modulus, bits: modulus === 0n ? 0 : modulus.toString(2).length, exponent: BigInt(`0x${Buffer.from(e).toString('hex')}`) };
  } catch {
    return undefined;
  }
}
