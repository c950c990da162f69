/**
 * Which IP addresses validation traffic may go to.
 *
 * A CA that fetches whatever a DNS name points at can be aimed at its own
 * network (SSRF): loopback admin ports, cloud metadata at 169.254.169.254,
 * RFC 1918 hosts. Production validation therefore only talks to globally
 * reachable unicast addresses. The ranges below are the IANA IPv4 and IPv6
 * Special-Purpose Address Registries (RFC 6890) entries that are not
 * globally reachable, plus multicast and everything outside IPv6 global
 * unicast (2000::/3, RFC 4291 §2.4). BR §4.2.2 forbids Reserved IP addresses
 * as certificate subjects for the same reason.
 *
 * `va.allowPrivateAddresses` lifts the policy for loopback tests.
 *
 * Refusals are ShomeiError `unauthorized` (the CA declines by policy; nothing
 * failed to connect), as the contract in `types.ts` says.
 */
import { BlockList, isIP } from 'node:net';
import { ShomeiError } from '../core/errors.js';

interface Range {
  cidr: string;
  reason: string;
}

const IPV4_RANGES: readonly Range[] = [
  { cidr: '0.0.0.0/8', reason: '"this network" (RFC 791)' },
  { cidr: '10.0.0.0/8', reason: 'private (RFC 1918)' },
  { cidr: '100.64.0.0/10', reason: 'shared address space / CGNAT (RFC 6598)' },
  { cidr: '127.0.0.0/8', reason: 'loopback (RFC 1122)' },
  { cidr: '169.254.0.0/16', reason: 'link-local (RFC 3927)' },
  { cidr: '172.16.0.0/12', reason: 'private (RFC 1918)' },
  { cidr: '192.0.0.0/24', reason: 'IETF protocol assignments (RFC 6890)' },
  { cidr: '192.0.2.0/24', reason: 'documentation (RFC 5737)' },
  { cidr: '192.88.99.0/24', reason: 'deprecated 6to4 relay anycast (RFC 7526)' },
  { cidr: '192.168.0.0/16', reason: 'private (RFC 1918)' },
  { cidr: '198.18.0.0/15', reason: 'benchmarking (RFC 2544)' },
  { cidr: '198.51.100.0/24', reason: 'documentation (RFC 5737)' },
  { cidr: '203.0.113.0/24', reason: 'documentation (RFC 5737)' },
  { cidr: '224.0.0.0/4', reason: 'multicast (RFC 5771)' },
  { cidr: '240.0.0.0/4', reason: 'reserved (RFC 1112), including broadcast' },
];

const IPV6_RANGES: readonly Range[] = [
  { cidr: '::/128', reason: 'unspecified (RFC 4291)' },
  { cidr: '::1/128', reason: 'loopback (RFC 4291)' },
  { cidr: '::ffff:0:0/96', reason: 'IPv4-mapped (RFC 4291)' },
  // NAT64 prefixes embed IPv4 addresses (possibly private ones): reach IPv4 via A records instead.
  { cidr: '64:ff9b::/96', reason: 'NAT64 well-known prefix (RFC 6052)' },
  { cidr: '64:ff9b:1::/48', reason: 'local-use NAT64 (RFC 8215)' },
  { cidr: '100::/64', reason: 'discard-only (RFC 6666)' },
  { cidr: '2001:db8::/32', reason: 'documentation (RFC 3849)' },
  { cidr: '2001::/23', reason: 'IETF protocol assignments (RFC 2928)' },
  { cidr: '2002::/16', reason: '6to4 (RFC 3056)' },
  { cidr: '3fff::/20', reason: 'documentation (RFC 9637)' },
  { cidr: '5f00::/16', reason: 'SRv6 SIDs (RFC 9602)' },
  { cidr: 'fc00::/7', reason: 'unique-local (RFC 4193)' },
  { cidr: 'fe80::/10', reason: 'link-local (RFC 4291)' },
  { cidr: 'fec0::/10', reason: 'deprecated site-local (RFC 3879)' },
  { cidr: 'ff00::/8', reason: 'multicast (RFC 4291)' },
];

interface CompiledRange {
  list: BlockList;
  reason: string;
}

function compile(ranges: readonly Range[], family: 'ipv4' | 'ipv6'): CompiledRange[] {
  return ranges.map(({ cidr, reason }) => {
    const [net, prefix] = cidr.split('/') as [string, string];
    const list = new BlockList();
    list.addSubnet(net, Number(prefix), family);
    return { list, reason };
  });
}

const V4 = compile(IPV4_RANGES, 'ipv4');
const V6 = compile(IPV6_RANGES, 'ipv6');
const GLOBAL_UNICAST_V6 = compile([{ cidr: '2000::/3', reason: '' }], 'ipv6')[0]!.list;

/**
 * Why `address` is not globally reachable, or null when it is an ordinary
 * public unicast address. Throws on something that is not an IP address.
 */
export function classifyAddress(address: string): string | null {
  const family = isIP(address);
  if (family === 4) {
    return V4.find((r) => r.list.check(address, 'ipv4'))?.reason ?? null;
  }
  if (family === 6) {
    const hit = V6.find((r) => r.list.check(address, 'ipv6'));
    if (hit) return hit.reason;
    // RFC 4291 §2.4: everything outside 2000::/3 is unassigned or special.
    if (!GLOBAL_UNICAST_V6.check(address, 'ipv6')) return 'reserved (outside 2000::/3, RFC 4291)';
    return null;
  }
  throw new Error(`not an IP address: ${address}`);
}

/** The policy as configured: `va.allowPrivateAddresses` switches it off. */
export interface AddressPolicy {
  allowPrivateAddresses: boolean;
}

/**
 * Keeps the addresses validation may connect to. Refuses with
 * ShomeiError('unauthorized') when none is left, naming each refused address
 * and why, e.g. "address 10.0.0.1 is not allowed by policy (private (RFC 1918))".
 */
export function allowedAddresses(policy: AddressPolicy, hostname: string, addresses: readonly string[]): string[] {
  if (policy.allowPrivateAddresses) return [...addresses];
  const allowed: string[] = [];
  const refused: string[] = [];
  for (const a of addresses) {
    const reason = classifyAddress(a);
    if (reason === null) allowed.push(a);
    else refused.push(`address ${a} is not allowed by policy (${reason})`);
  }
  if (allowed.length === 0 && refused.length > 0) {
    throw new ShomeiError('unauthorized', `Cannot validate ${hostname}: ${refused.join('; ')}`);
  }
  return allowed;
}
