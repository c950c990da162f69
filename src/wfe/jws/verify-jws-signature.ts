import { constants, createPublicKey, verify, type KeyObject, type JsonWebKey } from 'node:crypto';
import type { FlattenedJWSInput, JWK } from 'jose';
import { BoundedCache } from '../../core/bounded-cache.js';
import { ShomeiError } from '../../core/errors.js';
import { publicJwk } from '../../core/keys.js';
import type { AccountAlgorithm } from './check-jws-alg.js';

/** RFC 7518 §3.1: what each `alg` means for the key and the signature. */
const ALGS: Record<AccountAlgorithm, { kty: string; crv?: string; hash: string | null; pss?: boolean; p1363?: boolean; minRsaBits?: number }> = {
  ES256: { kty: 'EC', crv: 'P-256', hash: 'sha256', p1363: true },
  ES384: { kty: 'EC', crv: 'P-384', hash: 'sha384', p1363: true },
  ES512: { kty: 'EC', crv: 'P-521', hash: 'sha512', p1363: true },
  RS256: { kty: 'RSA', hash: 'sha256', minRsaBits: 2048 },
  PS256: { kty: 'RSA', hash: 'sha256', pss: true, minRsaBits: 2048 },
  EdDSA: { kty: 'OKP', hash: null },
};

/** Imported account keys by public JWK: importing costs more than verifying. */
const keyCache = new BoundedCache<string, KeyObject>(10_000);

function importPublicKey(jwk: JWK): KeyObject {
  const pub = publicJwk(jwk);
  const id = JSON.stringify(pub);
  const hit = keyCache.get(id);
  if (hit !== undefined) return hit;
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pub as JsonWebKey, format: 'jwk' });
  } catch {
    throw new ShomeiError('badPublicKey', 'The JWK is not a valid public key');
  }
  keyCache.set(id, key);
  return key;
}

/**
 * RFC 7515 §5.2 / RFC 8555 §6.2: the signature must verify with the key
 * (embedded `jwk` or the account's stored key) under exactly the header's
 * algorithm — a key of the wrong type or curve for `alg` is refused, which
 * stops algorithm-confusion attacks. Verified with node:crypto directly on
 * a cached KeyObject (the hot path of every request).
 */
export async function verifyJwsSignature(jws: FlattenedJWSInput, jwk: JWK, alg: AccountAlgorithm): Promise<void> {
  const a = ALGS[alg];
  if (jwk.kty !== a.kty || (a.crv !== undefined && jwk.crv !== a.crv) || (a.kty === 'OKP' && jwk.crv !== 'Ed25519')) {
    throw new ShomeiError('badSignatureAlgorithm', `Algorithm ${alg} does not fit a ${String(jwk.kty)}${jwk.crv ? ` ${jwk.crv}` : ''} key`);
  }
  const key = importPublicKey(jwk);
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (a.minRsaBits !== undefined && (bits === undefined || bits < a.minRsaBits)) {
    throw new ShomeiError('badPublicKey', `RSA account keys must have at least ${a.minRsaBits} bits`);
  }
  const signingInput = Buffer.from(`${jws.protected ?? ''}.${jws.payload}`, 'ascii');
  const signature = Buffer.from(jws.signature, 'base64url');
  const keyInput = a.p1363 ? { key, dsaEncoding: 'ieee-p1363' as const } : a.pss ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : key;
  // The callback form runs in libuv's thread pool: the event loop stays free for other requests.
  const ok = await new Promise<boolean>((resolve) => {
    try {
      verify(a.hash, signingInput, keyInput, signature, (err, valid) => resolve(err === null && valid));
    } catch {
      resolve(false);
    }
  });
  if (!ok) throw new ShomeiError('malformed', 'JWS signature is invalid');
}
