/**
 * Where http-01 and tls-alpn-01 connect: the addresses of a name, resolved by
 * the VA itself (never the OS resolver, so the DNS view is the configured
 * one), filtered by the address policy, tried IPv6 first and then IPv4.
 *
 * Boulder practice (va.go, "happy eyeballs" lite): take the first AAAA and the
 * first A; fall back to the IPv4 address only when the IPv6 attempt fails
 * before a connection is established. A server that answers on IPv6 with the
 * wrong content is not retried on IPv4 — what it said is the answer.
 */
import { isIP } from 'node:net';
import { isShomeiError, ShomeiError } from '../core/errors.js';
import { allowedAddresses, type AddressPolicy } from './address-policy.js';
import type { DnsResolver } from './dns-resolver.js';

export interface ResolvedTarget {
  hostname: string;
  /** Everything DNS returned, AAAA first (for ValidationRecord.addressesResolved). */
  addressesResolved: string[];
  /** What will be tried, in order: at most one IPv6 then one IPv4 address. */
  candidates: string[];
}

/** Resolves `hostname` (or takes an IP literal as is) and applies the address policy. */
export async function resolveTarget(
  resolver: DnsResolver,
  policy: AddressPolicy,
  hostname: string,
): Promise<ResolvedTarget> {
  const bare = hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(bare) !== 0) {
    return { hostname: bare, addressesResolved: [bare], candidates: allowedAddresses(policy, bare, [bare]) };
  }
  const { v6, v4 } = await resolver.lookupAddresses(bare);
  const resolved = [...v6, ...v4];
  const allowed = allowedAddresses(policy, bare, resolved);
  const first6 = allowed.find((a) => isIP(a) === 6);
  const first4 = allowed.find((a) => isIP(a) === 4);
  const candidates = [first6, first4].filter((a): a is string => a !== undefined);
  if (candidates.length === 0) throw new ShomeiError('dns', `DNS problem: No valid IP addresses found for ${bare}`);
  return { hostname: bare, addressesResolved: resolved, candidates };
}

/** Errors raised before a TCP connection existed: the next address may work. */
const connectPhase = new WeakSet<ShomeiError>();

export function markConnectPhase(e: ShomeiError): ShomeiError {
  connectPhase.add(e);
  return e;
}

export function isConnectPhase(e: unknown): boolean {
  return isShomeiError(e) && connectPhase.has(e);
}

/**
 * Runs `attempt` on each candidate until one gets past connection set-up.
 * Returns the value and the address used; rethrows the last error.
 */
export async function withAddressFallback<T>(
  candidates: readonly string[],
  attempt: (address: string) => Promise<T>,
): Promise<{ value: T; address: string }> {
  let last: unknown;
  for (const address of candidates) {
    try {
      return { value: await attempt(address), address };
    } catch (e) {
      last = e;
      if (!isConnectPhase(e)) throw e;
    }
  }
  throw last;
}
