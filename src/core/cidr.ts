import { BlockList, isIP } from 'node:net';

/** `::ffff:192.0.2.1` → `192.0.2.1`; other addresses unchanged. */
export function unmapIpv4(ip: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return m ? (m[1] as string) : ip;
}

/** Parse `addr/prefix` (or a bare address = a host route); undefined when invalid. */
export function parseCidr(cidr: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
  const [addr, p, ...rest] = cidr.trim().split('/');
  if (addr === undefined || rest.length > 0) return undefined;
  const v = isIP(addr);
  if (v === 0) return undefined;
  const max = v === 4 ? 32 : 128;
  const prefix = p === undefined ? max : Number(p);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max || (p !== undefined && !/^\d+$/.test(p))) return undefined;
  return { address: addr, prefix, family: v === 4 ? 'ipv4' : 'ipv6' };
}

/** Whether `ip` falls in any of `cidrs` (all assumed valid). */
export function ipInCidrs(ip: string, cidrs: readonly string[]): boolean {
  const addr = unmapIpv4(ip);
  const fam = isIP(addr);
  if (fam === 0) return false;
  const list = new BlockList();
  for (const c of cidrs) {
    const p = parseCidr(c);
    if (p) list.addSubnet(p.address, p.prefix, p.family);
  }
  return list.check(addr, fam === 4 ? 'ipv4' : 'ipv6');
}
