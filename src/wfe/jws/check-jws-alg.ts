import { ShomeiError } from '../../core/errors.js';
import type { ProtectedHeader } from './parse-flattened-jws.js';

/** Signature algorithms accepted for account keys (RFC 8555 §6.2: ES256 MUST; EdDSA SHOULD). */
export const ACCOUNT_ALGORITHMS = ['ES256', 'ES384', 'ES512', 'RS256', 'PS256', 'EdDSA'] as const;
export type AccountAlgorithm = (typeof ACCOUNT_ALGORITHMS)[number];

/**
 * RFC 8555 §6.2: `alg` must be an asymmetric signature algorithm the server
 * supports — never `none` or a MAC (which would let anyone who knows the
 * "key" — the public key — forge requests). Unsupported → badSignatureAlgorithm
 * with the list of supported algorithms.
 */
export function checkJwsAlg(h: ProtectedHeader): AccountAlgorithm {
  if (typeof h.alg !== 'string') throw new ShomeiError('malformed', 'JWS protected header has no "alg"');
  if (!(ACCOUNT_ALGORITHMS as readonly string[]).includes(h.alg)) {
    throw new ShomeiError('badSignatureAlgorithm', `JWS algorithm "${h.alg}" is not supported`, {
      extra: { algorithms: [...ACCOUNT_ALGORITHMS] },
    });
  }
  return h.alg as AccountAlgorithm;
}
