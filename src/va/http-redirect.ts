/**
 * Which HTTP redirects http-01 validation follows.
 *
 * RFC 8555 §8.3: the server SHOULD follow redirects; §10.2 warns that they
 * let a client steer the CA's requests, hence the limits. BR §3.2.2.4.19
 * (ACME HTTP, citing BR §1.6.1 "Authorized Ports"): redirects must be HTTP
 * 301/302/307/308 responses, go to the final Location, use the http or
 * https scheme and an Authorized Port. Like Let's Encrypt we accept only
 * ports 80 and 443 out of the Authorized Ports — plus the configured
 * `va.httpPort` / `va.tlsAlpnPort`, so loopback tests on high ports work
 * (in production those are 80 and 443 anyway).
 */
import { ShomeiError } from '../core/errors.js';

/** Boulder's limit; browsers use 20. */
export const MAX_REDIRECTS = 10;

/** BR §3.2.2.4.19: only these are redirects; any other 3xx is a non-200 answer. */
export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 307, 308]);

export function defaultPort(url: URL): number {
  return url.protocol === 'https:' ? 443 : 80;
}

export function portOf(url: URL): number {
  return url.port === '' ? defaultPort(url) : Number(url.port);
}

/**
 * The next URL for a redirect from `from`, or ShomeiError('connection')
 * saying why it is not followed (Boulder uses `connection` for these too).
 */
export function redirectTarget(
  from: URL,
  status: number,
  location: string | undefined,
  allowedPorts: ReadonlySet<number>,
): URL {
  const fail = (why: string): ShomeiError => new ShomeiError('connection', `Fetching ${from.href}: ${why}`);
  if (location === undefined || location.trim() === '') {
    throw fail(`redirect (${status}) without a Location header`);
  }
  let next: URL;
  try {
    next = new URL(location.trim(), from); // relative references resolve against the current URL
  } catch {
    throw fail(`invalid redirect target ${JSON.stringify(location.slice(0, 200))}`);
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') {
    throw fail(
      `Invalid protocol scheme in redirect target. Only "http" and "https" protocol schemes are supported, not "${next.protocol.replace(/:$/, '')}"`,
    );
  }
  if (next.hostname === '') throw fail('redirect target has no host');
  const port = portOf(next);
  if (!allowedPorts.has(port)) {
    const list = [...allowedPorts].sort((a, b) => a - b).join(', ');
    throw fail(`Invalid port in redirect target. Only ports ${list} are supported, not ${port}`);
  }
  next.hash = '';
  return next;
}
