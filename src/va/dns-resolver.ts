/**
 * The VA's DNS view: A/AAAA, TXT and CAA lookups with CNAME following, and
 * failures turned into ShomeiError('dns') with details an ACME user can act on.
 *
 * Rules enforced:
 * - NXDOMAIN and "no records" (NODATA) are answers; SERVFAIL, REFUSED,
 *   timeouts and malformed replies are lookup failures. Callers fail closed
 *   on failures (BR §3.2.2.8: a CAA lookup failure is not permission).
 * - CNAMEs are followed as a resolver would (RFC 1034 §3.6.2, RFC 8659 §3),
 *   at most MAX_CNAME_HOPS links, loops refused.
 *
 * DNSSEC validation (BR §3.2.2.4 / §3.2.2.8.1, mandatory from 2026-03-15) is
 * NOT done here yet: production must point `va.dnsResolver` at a validating
 * recursive resolver, which answers SERVFAIL for bogus data — and SERVFAIL
 * already fails closed below. Checking the AD bit ourselves is future work.
 */
import { getServers } from 'node:dns';
import { isIP } from 'node:net';
import type { Answer, RecordType } from 'dns-packet';
import { ShomeiError } from '../core/errors.js';
import {
  DnsTransportError,
  formatServerAddress,
  parseServerAddress,
  queryServer,
  type DnsMessage,
  type DnsServerAddress,
} from './dns-client.js';

export interface CaaRecord {
  flags: number;
  tag: string;
  value: string;
}

export interface DnsAnswer<T> {
  /** false on NXDOMAIN (at the end of any CNAME chain). */
  exists: boolean;
  records: T[];
}

export interface ResolvedAddresses {
  v6: string[];
  v4: string[];
}

export interface DnsResolver {
  /** Which resolver answered, for ValidationRecord.resolver. */
  readonly description: string;
  lookupAddresses(name: string): Promise<ResolvedAddresses>;
  lookupTxt(name: string): Promise<DnsAnswer<string>>;
  lookupCaa(name: string): Promise<DnsAnswer<CaaRecord>>;
}

export interface DnsResolverOptions {
  /** `host:port`, or '' for the system resolvers (`va.dnsResolver`). */
  resolver: string;
  /** Per-query deadline (`va.timeoutMs`). */
  timeoutMs: number;
}

const MAX_CNAME_HOPS = 8;
/** How many system resolvers to try before giving up. */
const MAX_SERVERS = 3;

export function canonicalName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

function dnsError(detail: string, cause?: unknown): ShomeiError {
  return new ShomeiError('dns', `DNS problem: ${detail}`, cause === undefined ? {} : { cause });
}

function systemServers(): DnsServerAddress[] {
  const s = getServers().map(parseServerAddress);
  return s.length > 0 ? s.slice(0, MAX_SERVERS) : [{ host: '127.0.0.1', port: 53 }];
}

function stringData(a: Answer): string | undefined {
  return 'data' in a && typeof a.data === 'string' ? a.data : undefined;
}

export function createDnsResolver(opts: DnsResolverOptions): DnsResolver {
  const servers = opts.resolver === '' ? systemServers() : [parseServerAddress(opts.resolver)];
  const description = servers.map(formatServerAddress).join(', ');

  /** Asks each server in turn until one gives NOERROR or NXDOMAIN. */
  async function ask(name: string, type: RecordType): Promise<DnsMessage> {
    let failure = `no answer looking up ${type} for ${name}`;
    let cause: unknown;
    for (const server of servers) {
      try {
        const msg = await queryServer(server, name, type, opts.timeoutMs);
        if (msg.rcode === 'NOERROR' || msg.rcode === 'NXDOMAIN') return msg;
        failure = `${msg.rcode} looking up ${type} for ${name} - the domain's nameservers may be malfunctioning`;
        cause = undefined;
      } catch (e) {
        if (!(e instanceof DnsTransportError)) throw e;
        failure = e.timedOut
          ? `query timed out looking up ${type} for ${name}`
          : `networking error looking up ${type} for ${name}: ${e.message}`;
        cause = e;
      }
    }
    throw dnsError(failure, cause);
  }

  /** RFC 1034 §3.6.2: follow the CNAME chain, re-asking when it leaves the answer. */
  async function lookup(name: string, type: RecordType): Promise<DnsAnswer<Answer>> {
    const seen = new Set<string>();
    let current = canonicalName(name);
    for (let hops = 0; hops <= MAX_CNAME_HOPS; ) {
      const msg = await ask(current, type);
      let target = current;
      for (;;) {
        const direct = msg.answers.filter((a) => a.type === type && canonicalName(a.name) === target);
        if (direct.length > 0) return { exists: true, records: direct };
        const cname = msg.answers.find((a) => a.type === 'CNAME' && canonicalName(a.name) === target);
        const cnameTarget = cname === undefined ? undefined : stringData(cname);
        if (cnameTarget === undefined) break;
        seen.add(target);
        target = canonicalName(cnameTarget);
        if (seen.has(target)) throw dnsError(`CNAME loop at ${target} looking up ${type} for ${name}`);
        if (++hops > MAX_CNAME_HOPS) break;
      }
      if (target === current || msg.rcode === 'NXDOMAIN') {
        return { exists: msg.rcode === 'NOERROR', records: [] };
      }
      current = target;
    }
    throw dnsError(`too many CNAME links looking up ${type} for ${name}`);
  }

  async function lookupFamily(name: string, type: 'A' | 'AAAA'): Promise<DnsAnswer<string>> {
    const r = await lookup(name, type);
    const family = type === 'A' ? 4 : 6;
    const records = r.records
      .map(stringData)
      .filter((d): d is string => d !== undefined && isIP(d) === family);
    return { exists: r.exists, records };
  }

  return {
    description,

    async lookupAddresses(name) {
      const [v6, v4] = await Promise.allSettled([lookupFamily(name, 'AAAA'), lookupFamily(name, 'A')]);
      const got: ResolvedAddresses = {
        v6: v6.status === 'fulfilled' ? v6.value.records : [],
        v4: v4.status === 'fulfilled' ? v4.value.records : [],
      };
      // One family failing is fine when the other answered (Boulder practice).
      if (got.v6.length > 0 || got.v4.length > 0) return got;
      if (v4.status === 'rejected') throw v4.reason;
      if (v6.status === 'rejected') throw v6.reason;
      if (!v4.value.exists) {
        throw dnsError(`NXDOMAIN looking up A for ${name} - check that a DNS record exists for this domain`);
      }
      throw dnsError(`No valid A or AAAA records found for ${name}`);
    },

    async lookupTxt(name) {
      const r = await lookup(name, 'TXT');
      const records = r.records.flatMap((a) => {
        if (a.type !== 'TXT') return [];
        const d = a.data;
        // RFC 7208 §3.3 convention: the character-strings of one TXT RR are concatenated.
        const parts = Array.isArray(d) ? d : [d];
        return [parts.map((p) => (typeof p === 'string' ? p : p.toString('utf8'))).join('')];
      });
      return { exists: r.exists, records };
    },

    async lookupCaa(name) {
      const r = await lookup(name, 'CAA');
      const records: CaaRecord[] = [];
      for (const a of r.records) {
        if (a.type !== 'CAA') continue;
        records.push({ flags: a.data.flags ?? 0, tag: a.data.tag, value: a.data.value });
      }
      return { exists: r.exists, records };
    },
  };
}
