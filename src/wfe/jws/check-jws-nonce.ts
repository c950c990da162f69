import { ShomeiError } from '../../core/errors.js';
import { isB64u } from '../../core/ids.js';
import type { NonceService } from '../nonce-service.js';
import type { ProtectedHeader } from './parse-flattened-jws.js';

/**
 * RFC 8555 §6.5: every JWS carries a nonce this server issued and that was not
 * used before. Stops replay of a captured request. Nonces live in the shared
 * database so any instance redeems any other's. Failure → badNonce (the
 * response carries a fresh Replay-Nonce for the retry).
 */
export async function checkJwsNonce(h: ProtectedHeader, nonces: NonceService): Promise<void> {
  if (typeof h.nonce !== 'string' || h.nonce === '') throw new ShomeiError('badNonce', 'JWS has no anti-replay nonce');
  if (!isB64u(h.nonce) || h.nonce.length > 128) throw new ShomeiError('badNonce', 'JWS nonce is not a valid base64url nonce');
  if (!(await nonces.redeem(h.nonce))) throw new ShomeiError('badNonce', 'JWS has an invalid or already used anti-replay nonce');
}
