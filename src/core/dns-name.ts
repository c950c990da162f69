/**
 * Pure checks on DNS names shared by the ACME identifier policy
 * (src/ra/identifier-policy.ts) and usage-FQDN screening
 * (src/registry/screening/). Names are expected lower case and in A-label
 * form; converting U-labels is the caller's business.
 *
 * References: RFC 1035 §2.3.1 / RFC 5890 §2.3.1 (LDH and R-LDH labels),
 * RFC 8555 §7.1.4, BR §7.1.2.7.12 (SAN dNSName rules).
 */
import { domainToASCII } from 'node:url';
import { isIP } from 'node:net';
import { parse as parseDomain } from 'tldts';

export const MAX_NAME_LENGTH = 253;
export const MAX_LABEL_LENGTH = 63;

/** Why a label is not an LDH label (RFC 1035 §2.3.1 preferred syntax, lower case). */
export type LdhLabelProblem = 'empty' | 'too-long' | 'bad-character' | 'hyphen-at-edge';

/** null when `label` is a lower-case LDH label of 1–63 characters. */
export function ldhLabelProblem(label: string): LdhLabelProblem | null {
  if (label.length === 0) return 'empty';
  if (label.length > MAX_LABEL_LENGTH) return 'too-long';
  if (/[^a-z0-9-]/.test(label)) return 'bad-character';
  if (label.startsWith('-') || label.endsWith('-')) return 'hyphen-at-edge';
  return null;
}

export function isLdhLabel(label: string): boolean {
  return ldhLabelProblem(label) === null;
}

/** Why an R-LDH label (`??--…`) is refused. */
export type ReservedLdhProblem = 'not-xn' | 'invalid-a-label';

/**
 * RFC 5890 §2.3.1: an R-LDH label (hyphens in the third and fourth positions)
 * is allowed only as a valid `xn--` A-label. A valid A-label round-trips
 * through IDNA to Unicode and back to itself. null when the label is fine
 * (including every non-R-LDH label).
 */
export function reservedLdhProblem(label: string): ReservedLdhProblem | null {
  if (label.length < 4 || label.slice(2, 4) !== '--') return null;
  if (!label.startsWith('xn--')) return 'not-xn';
  if (domainToASCII(label) !== label) return 'invalid-a-label';
  return null;
}

/** An IPv4 or IPv6 address, bare or in brackets (`[::1]`). */
export function isIpLiteral(name: string): boolean {
  return isIP(name) !== 0 || isIP(name.replace(/^\[|\]$/g, '')) !== 0;
}

/** True when the last label is all digits (URL parsers would read the host as IPv4). */
export function hasNumericTld(labels: readonly string[]): boolean {
  return /^[0-9]+$/.test(labels[labels.length - 1] ?? '');
}

/** Reverse-DNS names (BR §7.1.2.7.12 forbids them in certificates). */
export function isReverseDnsName(base: string): boolean {
  // Covers in-addr.arpa and ip6.arpa, and the rest of .arpa with them.
  return base === 'arpa' || base.endsWith('.arpa');
}

/** True when `s` has only ASCII characters. */
export function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** Splits a leading whole-label wildcard `*.` off a name. */
export function splitWildcard(name: string): { wildcard: boolean; base: string } {
  return name.startsWith('*.') ? { wildcard: true, base: name.slice(2) } : { wildcard: false, base: name };
}

/**
 * True when the TLD of `base` (no wildcard) counts as delegated: it is listed
 * in `additionalTlds`, or `base` falls under an ICANN-section rule of the
 * Public Suffix List (the private section is ignored here, so `foo.github.io`
 * counts as under `.io`). The opposite is a BR "Internal Name".
 */
export function isDelegatedName(base: string, additionalTlds: readonly string[] = []): boolean {
  const labels = base.split('.');
  const tld = labels[labels.length - 1] ?? '';
  if (normalizeNameList(additionalTlds).includes(tld)) return true;
  return parseDomain(base, { allowPrivateDomains: false, validateHostname: false, extractHostname: false }).isIcann === true;
}

/**
 * True when `base` (no wildcard) is itself a public suffix. With
 * `allowPrivateDomains` the private section of the PSL counts too
 * (`github.io`). A TLD the PSL does not know is a suffix by the default `*`
 * rule (`test`).
 */
export function isPublicSuffixName(base: string, allowPrivateDomains: boolean): boolean {
  const parsed = parseDomain(base, { allowPrivateDomains, validateHostname: false, extractHostname: false });
  return parsed.domain === null || parsed.publicSuffix === base;
}

/**
 * Lower-cases names from configuration, converts U-labels to A-labels and
 * drops a trailing dot, so that policy lists may be written naturally.
 * Entries IDNA cannot convert are kept lower-cased (they match nothing valid).
 */
export function normalizeNameList(list: readonly string[]): string[] {
  return list.map((raw) => {
    let n = raw.trim().toLowerCase();
    if (!isAscii(n)) n = domainToASCII(n) || n;
    return n.endsWith('.') ? n.slice(0, -1) : n;
  });
}

/**
 * The entry of `blockedNames` that blocks `name`, or null. An entry blocks
 * that name and every name below it; a wildcard name `*.b` is also blocked by
 * an entry directly below `b` (the wildcard would cover it). Entries are plain
 * names (no wildcards); `name` must be lower-case A-label form.
 */
export function blockedBy(name: string, blockedNames: readonly string[]): string | null {
  const { wildcard, base } = splitWildcard(name);
  for (const entry of normalizeNameList(blockedNames)) {
    if (entry.length === 0) continue;
    if (base === entry || base.endsWith(`.${entry}`)) return entry;
    if (wildcard) {
      const dot = entry.indexOf('.');
      if (dot > 0 && entry.slice(dot + 1) === base) return entry;
    }
  }
  return null;
}
