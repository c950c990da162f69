/**
 * dns-01 (RFC 8555 §8.4; BR §3.2.2.4.7).
 *
 * Query TXT at `_acme-challenge.<domain>` (CNAMEs followed, so delegated
 * challenge names work); any record equal to base64url(SHA-256(key
 * authorization)) passes.
 *
 * Error kinds, as Boulder's va/dns.go:
 * - lookup failure, or NXDOMAIN at the name      → `dns`
 * - the name exists but holds no TXT record     → `unauthorized` ("No TXT record found at …")
 * - TXT records, none with the expected value   → `unauthorized` ("Incorrect TXT record …")
 */
import { createHash } from 'node:crypto';
import { ShomeiError } from '../core/errors.js';
import type { DnsResolver } from './dns-resolver.js';
import type { ChallengeValidationRequest, ValidationRecord } from './types.js';

/** RFC 8555 §8.4: the label the TXT record lives under. */
export const DNS01_LABEL = '_acme-challenge';

export function dns01Digest(keyAuthorization: string): string {
  return createHash('sha256').update(keyAuthorization, 'utf8').digest('base64url');
}

export interface Dns01Options {
  resolver: DnsResolver;
}

export async function validateDns01(opts: Dns01Options, req: ChallengeValidationRequest): Promise<ValidationRecord[]> {
  const name = `${DNS01_LABEL}.${req.domain}`;
  const { exists, records } = await opts.resolver.lookupTxt(name);
  if (!exists) {
    throw new ShomeiError(
      'dns',
      `DNS problem: NXDOMAIN looking up TXT for ${name} - check that a DNS record exists for this domain`,
    );
  }
  if (records.length === 0) throw new ShomeiError('unauthorized', `No TXT record found at ${name}`);

  const expected = dns01Digest(req.keyAuthorization);
  if (records.includes(expected)) {
    return [{ hostname: req.domain, resolver: opts.resolver.description }];
  }
  const first = records[0]!;
  const shown = first.length > 100 ? `${first.slice(0, 100)}...` : first;
  const more = records.length > 1 ? ` (and ${records.length - 1} more)` : '';
  throw new ShomeiError('unauthorized', `Incorrect TXT record ${JSON.stringify(shown)}${more} found at ${name}`);
}
