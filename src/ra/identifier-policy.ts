import { domainToASCII } from 'node:url';
import { isIP } from 'node:net';
import { parse as parseDomain } from 'tldts';
import { ShomeiError } from '../core/errors.js';
import type { Identifier } from '../core/errors.js';

/** Most identifiers one order may carry (as Let's Encrypt). */
export const MAX_IDENTIFIERS_PER_ORDER = 100;

const LDH_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

function reject(value: string, why: string): ShomeiError {
  return new ShomeiError('rejectedIdentifier', `Cannot issue for "${value}": ${why}`, {
    identifier: { type: 'dns', value },
  });
}

/** RFC 5890 §2.3.1: an R-LDH label (`??--`) is allowed only as a valid `xn--` A-label. */
function checkReservedLdh(label: string, value: string): void {
  if (label.length < 4 || label.slice(2, 4) !== '--') return;
  if (!label.startsWith('xn--')) throw reject(value, `label "${label}" has hyphens in the third and fourth positions`);
  // A valid A-label round-trips through IDNA to Unicode and back to itself.
  const roundTrip = domainToASCII(label);
  if (roundTrip !== label) throw reject(value, `label "${label}" is not a valid IDNA A-label`);
}

/**
 * Checks one `dns` identifier against RFC 8555 §7.1.4 and the BR §7.1.2.7.12
 * SAN rules (LDH labels, no trailing dot, no IP literal, no Internal Name, no
 * public suffix, wildcard only as the whole leftmost label). Returns the
 * canonical lower-case value. Throws rejectedIdentifier / unsupportedIdentifier.
 */
export function checkDnsIdentifier(id: Identifier | { type: string; value: unknown }): string {
  if (id.type !== 'dns') {
    throw new ShomeiError('unsupportedIdentifier', `Identifier type "${String(id.type)}" is not supported; only "dns"`, {
      identifier: { type: 'dns', value: String(id.value) },
    });
  }
  if (typeof id.value !== 'string' || id.value.length === 0) throw reject(String(id.value), 'empty or not a string');
  const value = id.value.toLowerCase();
  if (value.length > 253) throw reject(value, 'longer than 253 characters');
  if (value.endsWith('.')) throw reject(value, 'a trailing dot is not allowed');
  if (isIP(value) !== 0 || isIP(value.replace(/^\[|\]$/g, '')) !== 0) throw reject(value, 'IP addresses are not supported');
  const wildcard = value.startsWith('*.');
  const base = wildcard ? value.slice(2) : value;
  if (base.includes('*')) throw reject(value, 'a wildcard may only be the whole leftmost label');
  const labels = base.split('.');
  if (labels.length < 2) throw reject(value, 'a fully-qualified domain name is required');
  for (const label of labels) {
    if (!LDH_LABEL.test(label)) throw reject(value, `label "${label}" is not a valid LDH label`);
    checkReservedLdh(label, value);
  }
  const tld = labels[labels.length - 1] ?? '';
  if (/^[0-9]+$/.test(tld)) throw reject(value, 'the top-level domain is numeric');
  if (base.endsWith('.in-addr.arpa') || base.endsWith('.ip6.arpa') || tld === 'arpa') {
    throw reject(value, 'reverse-DNS names are not allowed (BR 7.1.2.7.12)');
  }
  const parsed = parseDomain(base, { allowPrivateDomains: false });
  if (parsed.isIcann !== true) throw reject(value, `"${tld}" is not a delegated top-level domain (internal name)`);
  if (parsed.domain === null || parsed.publicSuffix === base) throw reject(value, 'the name is a public suffix');
  return value;
}

/** Check all identifiers of a new order, collecting one subproblem per bad identifier. */
export function checkOrderIdentifiers(ids: unknown): string[] {
  if (!Array.isArray(ids) || ids.length === 0) {
    throw new ShomeiError('malformed', 'identifiers must be a non-empty array');
  }
  if (ids.length > MAX_IDENTIFIERS_PER_ORDER) {
    throw new ShomeiError('rejectedIdentifier', `At most ${MAX_IDENTIFIERS_PER_ORDER} identifiers per order`);
  }
  const out = new Set<string>();
  const problems: ShomeiError[] = [];
  for (const raw of ids) {
    if (raw === null || typeof raw !== 'object') {
      throw new ShomeiError('malformed', 'each identifier must be an object with "type" and "value"');
    }
    const id = raw as { type?: unknown; value?: unknown };
    if (typeof id.type !== 'string') throw new ShomeiError('malformed', 'identifier "type" must be a string');
    try {
      out.add(checkDnsIdentifier({ type: id.type, value: id.value }));
    } catch (e) {
      if (e instanceof ShomeiError) problems.push(e);
      else throw e;
    }
  }
  if (problems.length === 1) throw problems[0] as ShomeiError;
  if (problems.length > 1) {
    const kinds = new Set(problems.map((p) => p.kind));
    const kind = kinds.size === 1 ? (problems[0] as ShomeiError).kind : 'compound';
    throw new ShomeiError(kind, `Cannot issue for ${problems.length} identifiers; see subproblems`, { subErrors: problems });
  }
  return [...out].sort();
}
