/**
 * Canonicalisation of an applied-for name (SPEC §5.1): trim, lower-case,
 * U-labels → A-labels, one trailing dot dropped. Yields the Candidate the
 * checks work on, or the reason no canonical form exists ('empty', 'idna',
 * 'ip-literal' for names IDNA refuses because they end in a number).
 */
import { domainToASCII } from 'node:url';
import { isAscii, splitWildcard } from '../../core/dns-name.js';
import { endsInNumber } from './ip-literal.js';
import type { Candidate, ScreeningReason } from './types.js';

/** IDNA (UTS #46) label separators: full stop, ideographic, fullwidth and halfwidth ideographic full stops. */
const SEPARATORS = /[.\u3002\uff0e\uff61]/;

export function toCandidate(fqdn: string): Candidate {
  const { wildcard, base } = splitWildcard(fqdn);
  const labels = base.split('.');
  return { fqdn, wildcard, base, labels, tld: labels[labels.length - 1] ?? '' };
}

export function canonicalize(input: string): { ok: true; fqdn: string } | { ok: false; reason: ScreeningReason } {
  let name = typeof input === 'string' ? input.trim().toLowerCase() : '';
  if (name.length > 0 && !isAscii(name)) {
    // Only names with non-ASCII characters go through IDNA: an ASCII name is
    // already in A-label form, and its xn-- labels are checked one by one by
    // the label check, so that the other checks still run.
    const ascii = domainToASCII(name);
    if (ascii === '') {
      const labels = name.normalize('NFKC').split(SEPARATORS);
      if (labels.length > 1 && labels[labels.length - 1] === '') labels.pop();
      if (endsInNumber(labels)) {
        return { ok: false, reason: { code: 'ip-literal', detail: `"${input.trim()}" ends in a number, so it would be read as an IPv4 address` } };
      }
      return { ok: false, reason: { code: 'idna', detail: `"${input.trim()}" cannot be converted to A-labels (IDNA)` } };
    }
    name = ascii;
  }
  // Users paste FQDNs in absolute form ("example.jp."), so one trailing dot is
  // accepted and dropped; certificates and the registry never carry it. A
  // second one is left in place and fails the label check (empty label).
  if (name.endsWith('.')) name = name.slice(0, -1);
  if (name.length === 0) return { ok: false, reason: { code: 'empty', detail: 'no name given' } };
  return { ok: true, fqdn: name };
}
