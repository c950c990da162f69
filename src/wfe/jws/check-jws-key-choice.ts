import { ShomeiError } from '../../core/errors.js';
import type { ProtectedHeader } from './parse-flattened-jws.js';

export type KeyChoice = 'jwk' | 'kid' | 'either';

/**
 * RFC 8555 §6.2: exactly one of `jwk` and `kid`; `jwk` only where no account
 * exists yet (newAccount) or the certificate key signs (revokeCert), `kid`
 * everywhere else. Stops a client from naming an account and then signing with
 * an unrelated embedded key.
 */
export function checkJwsKeyChoice(h: ProtectedHeader, expected: KeyChoice): 'jwk' | 'kid' {
  const hasJwk = h.jwk !== undefined;
  const hasKid = h.kid !== undefined;
  if (hasJwk && hasKid) throw new ShomeiError('malformed', 'JWS protected header must not contain both "jwk" and "kid"');
  if (!hasJwk && !hasKid) throw new ShomeiError('malformed', 'JWS protected header must contain "jwk" or "kid"');
  if (hasJwk && expected === 'kid') throw new ShomeiError('malformed', 'This resource requires "kid" (an account URL), not "jwk"');
  if (hasKid && expected === 'jwk') throw new ShomeiError('malformed', 'This resource requires "jwk", not "kid"');
  if (hasJwk) {
    const jwk = h.jwk as unknown;
    if (jwk === null || typeof jwk !== 'object' || Array.isArray(jwk)) throw new ShomeiError('malformed', '"jwk" must be a JSON object');
    if ('d' in jwk || 'p' in jwk || 'k' in jwk) throw new ShomeiError('malformed', '"jwk" must be a public key');
    return 'jwk';
  }
  if (typeof h.kid !== 'string') throw new ShomeiError('malformed', '"kid" must be a string (the account URL)');
  return 'kid';
}
