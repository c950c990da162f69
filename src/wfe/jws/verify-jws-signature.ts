import { flattenedVerify, importJWK, type FlattenedJWSInput, type JWK } from 'jose';
import { BoundedCache } from '../../core/bounded-cache.js';
import { ShomeiError } from '../../core/errors.js';
import { publicJwk } from '../../core/keys.js';
import type { AccountAlgorithm } from './check-jws-alg.js';

/**
 * RFC 7515 §5.2 / RFC 8555 §6.2: the signature must verify with the key
 * (embedded `jwk` or the account's stored key) under exactly the header's
 * algorithm — a key of the wrong type for `alg` is refused, which stops
 * algorithm-confusion attacks.
 */
const KTY_FOR_ALG: Record<AccountAlgorithm, string> = {
  ES256: 'EC',
  ES384: 'EC',
  ES512: 'EC',
  RS256: 'RSA',
  PS256: 'RSA',
  EdDSA: 'OKP',
};
const CRV_FOR_ALG: Partial<Record<AccountAlgorithm, string>> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' };

type PublicKey = Awaited<ReturnType<typeof importJWK>>;

/** Imported account keys by (alg, public JWK): importing is the costly part of a verification. */
const keyCache = new BoundedCache<string, PublicKey>(10_000);

async function importPublicKey(jwk: JWK, alg: AccountAlgorithm): Promise<PublicKey> {
  const id = `${alg} ${JSON.stringify(publicJwk(jwk))}`;
  const hit = keyCache.get(id);
  if (hit !== undefined) return hit;
  let key: PublicKey;
  try {
    key = await importJWK({ ...publicJwk(jwk), alg }, alg);
  } catch {
    throw new ShomeiError('badPublicKey', `The JWK is not a valid public key for algorithm ${alg}`);
  }
  keyCache.set(id, key);
  return key;
}

export async function verifyJwsSignature(jws: FlattenedJWSInput, jwk: JWK, alg: AccountAlgorithm): Promise<void> {
  const crv = CRV_FOR_ALG[alg];
  if (jwk.kty !== KTY_FOR_ALG[alg] || (crv !== undefined && jwk.crv !== crv)) {
    throw new ShomeiError('badSignatureAlgorithm', `Algorithm ${alg} does not fit a ${String(jwk.kty)}${jwk.crv ? ` ${jwk.crv}` : ''} key`);
  }
  const key = await importPublicKey(jwk, alg);
  try {
    await flattenedVerify(jws, key, { algorithms: [alg] });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_JOSE_NOT_SUPPORTED' || code === 'ERR_JOSE_ALG_NOT_ALLOWED') {
      throw new ShomeiError('badSignatureAlgorithm', `Algorithm ${alg} does not fit the key`);
    }
    throw new ShomeiError('malformed', 'JWS signature is invalid');
  }
}
