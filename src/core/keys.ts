import { createHash, createPublicKey, type JsonWebKey } from 'node:crypto';
import type { JWK } from 'jose';

/** Only the public members of a JWK, in a stable shape (no private parts ever stored). */
export function publicJwk(jwk: JWK): JWK {
  switch (jwk.kty) {
    case 'EC':
      return { kty: 'EC', crv: jwk.crv, x: jwk.x, y: jwk.y };
    case 'RSA':
      return { kty: 'RSA', n: jwk.n, e: jwk.e };
    case 'OKP':
      return { kty: 'OKP', crv: jwk.crv, x: jwk.x };
    default:
      return { kty: jwk.kty };
  }
}

/** DER SubjectPublicKeyInfo of a public JWK. */
export function jwkToSpki(jwk: JWK): Buffer {
  return createPublicKey({ key: publicJwk(jwk) as JsonWebKey, format: 'jwk' }).export({ type: 'spki', format: 'der' });
}

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
