/**
 * No IP addresses (SPEC §5.1): bare or bracketed IPv4 / IPv6 literals are
 * refused outright; a name whose last label is a number (decimal or 0x hex)
 * is refused too, since URL parsers (WHATWG "ends in a number") read such a
 * host as an IPv4 address (`127.1`, `0x7f.1`).
 */
import { isIpLiteral } from '../../core/dns-name.js';
import type { ScreeningCheck, ScreeningReason } from './types.js';

/** WHATWG URL "ends in a number": the last label is all digits or 0x-hex. */
export function endsInNumber(labels: readonly string[]): boolean {
  const last = labels[labels.length - 1] ?? '';
  return /^[0-9]+$/.test(last) || /^0x[0-9a-f]*$/i.test(last);
}

/** Reason for an IP literal, or null. Fatal: no other check means anything for an address. */
export function ipLiteralReason(name: string): ScreeningReason | null {
  return isIpLiteral(name) ? { code: 'ip-literal', detail: `"${name}" is an IP address, not a domain name` } : null;
}

export const checkNumericTld: ScreeningCheck = (c) =>
  endsInNumber(c.labels)
    ? [{ code: 'ip-literal', detail: `the last label "${c.tld}" is a number, so the name would be read as an IPv4 address` }]
    : [];
