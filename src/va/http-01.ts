/**
 * http-01 (RFC 8555 §8.3; BR §3.2.2.4.19).
 *
 * GET http://<domain>/.well-known/acme-challenge/<token> on `va.httpPort`
 * (80 in production), with `Host: <domain>`, to an address the VA resolved
 * itself; redirects followed within `http-redirect.ts` limits, each target
 * resolved and policy-checked again.
 *
 * Error kinds (Boulder practice, RFC 8555 §6.7):
 * - cannot connect, timeout, refused redirect → `connection`
 * - TLS failure on an https redirect target  → `tls`
 * - DNS failure                              → `dns`
 * - address refused by policy, non-200       → `unauthorized`
 * - 200 with the wrong or an oversize body   → `incorrectResponse`
 */
import { ShomeiError } from '../core/errors.js';
import type { AddressPolicy } from './address-policy.js';
import type { DnsResolver } from './dns-resolver.js';
import { fetchHop, type HttpHopResult } from './http-fetch.js';
import { MAX_REDIRECTS, REDIRECT_STATUSES, portOf, redirectTarget } from './http-redirect.js';
import type { ChallengeValidationRequest, ValidationRecord } from './types.js';
import { resolveTarget, withAddressFallback } from './validation-target.js';

/** How much of the body is read: a key authorization is ~87 bytes. */
export const MAX_BODY_BYTES = 64 * 1024;

export interface Http01Options {
  resolver: DnsResolver;
  policy: AddressPolicy;
  httpPort: number;
  tlsAlpnPort: number;
  timeoutMs: number;
}

/** RFC 8555 §8.3: "The server SHOULD ignore whitespace characters at the end of the body." */
export function trimTrailingWhitespace(s: string): string {
  return s.replace(/[ \t\r\n]+$/, '');
}

function excerpt(s: string, max = 100): string {
  return s.length > max ? `${s.slice(0, max)}...` : s;
}

export async function validateHttp01(
  opts: Http01Options,
  req: ChallengeValidationRequest,
): Promise<ValidationRecord[]> {
  const allowedPorts = new Set([80, 443, opts.httpPort, opts.tlsAlpnPort]);
  let url = new URL(`http://${req.domain}:${opts.httpPort}/.well-known/acme-challenge/${req.token}`);
  // The first request names the domain alone; redirect hops send the target's host[:port].
  let hostHeader = req.domain;
  const records: ValidationRecord[] = [];

  for (let redirects = 0; ; redirects++) {
    const target = await resolveTarget(opts.resolver, opts.policy, url.hostname);
    const record: ValidationRecord = {
      hostname: target.hostname,
      port: portOf(url),
      url: url.href,
      addressesResolved: target.addressesResolved,
      resolver: opts.resolver.description,
    };
    records.push(record);
    const currentUrl = url;
    const currentHost = hostHeader;
    const { value: res, address } = await withAddressFallback<HttpHopResult>(target.candidates, (a) => {
      record.addressUsed = a;
      return fetchHop({
        url: currentUrl,
        address: a,
        hostHeader: currentHost,
        timeoutMs: opts.timeoutMs,
        maxBodyBytes: MAX_BODY_BYTES,
      });
    });

    if (REDIRECT_STATUSES.has(res.status)) {
      if (redirects >= MAX_REDIRECTS) {
        throw new ShomeiError('connection', `Fetching ${url.href}: Too many redirects (more than ${MAX_REDIRECTS})`);
      }
      url = redirectTarget(url, res.status, res.location, allowedPorts);
      hostHeader = url.host;
      continue;
    }
    // Boulder practice: only 200 counts (BR §3.2.2.4.19 requires a 2xx).
    if (res.status !== 200) {
      throw new ShomeiError('unauthorized', `Invalid response from ${url.href} [${address}]: ${res.status}`);
    }
    if (res.oversize) {
      throw new ShomeiError(
        'incorrectResponse',
        `Invalid response from ${url.href} [${address}]: the body is larger than ${MAX_BODY_BYTES} bytes`,
      );
    }
    const body = trimTrailingWhitespace(res.body.toString('utf8'));
    if (body !== req.keyAuthorization) {
      throw new ShomeiError(
        'incorrectResponse',
        `The key authorization file from the server did not match this challenge. Expected ${JSON.stringify(
          req.keyAuthorization,
        )} (got ${JSON.stringify(excerpt(body))})`,
      );
    }
    return records;
  }
}
