import { ShomeiError } from '../../core/errors.js';
import type { ProtectedHeader } from './parse-flattened-jws.js';

/**
 * RFC 8555 §6.4: the protected `url` must equal the URL the request was sent
 * to. Stops a signed request for one resource from being replayed against
 * another (e.g. a finalize body posted to a different order).
 */
export function checkJwsUrl(h: ProtectedHeader, requestUrl: string): void {
  if (typeof h.url !== 'string') throw new ShomeiError('malformed', 'JWS protected header has no "url"');
  if (h.url !== requestUrl) {
    throw new ShomeiError('unauthorized', `JWS "url" (${h.url.slice(0, 200)}) does not match the request URL (${requestUrl})`);
  }
}
