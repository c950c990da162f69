import { ShomeiError } from '../core/errors.js';
import type { Identifier } from '../core/errors.js';
import {
  blockedBy,
  hasNumericTld,
  isDelegatedName,
  isIpLiteral,
  isLdhLabel,
  isPublicSuffixName,
  isReverseDnsName,
  MAX_NAME_LENGTH,
  reservedLdhProblem,
  splitWildcard,
} from '../core/dns-name.js';

/** Most identifiers one order may carry (as Let's Encrypt). */
export const MAX_IDENTIFIERS_PER_ORDER = 100;

/** Optional policy for identifier checks; omitted = the plain BR rules. */
export interface IdentifierPolicyOptions {
  /** TLDs (lower case) treated as delegated although not ICANN TLDs, e.g. "test" for test setups. */
  additionalTlds?: readonly string[];
  /** Names refused together with every name below them (see blockedBy in src/core/dns-name.ts). */
  blockedNames?: readonly string[];
}

function reject(value: string, why: string): ShomeiError {
  return new ShomeiError('rejectedIdentifier', `Cannot issue for "${value}": ${why}`, {
    identifier: { type: 'dns', value },
  });
}

/** RFC 5890 §2.3.1: an R-LDH label (`??--`) is allowed only as a valid `xn--` A-label. */
function checkReservedLdh(label: string, value: string): void {
  const problem = reservedLdhProblem(label);
  if (problem === 'not-xn') throw reject(value, `label "${label}" has hyphens in the third and fourth positions`);
  if (problem === 'invalid-a-label') throw reject(value, `label "${label}" is not a valid IDNA A-label`);
}

/**
 * Checks one `dns` identifier against RFC 8555 §7.1.4 and the BR §7.1.2.7.12
 * SAN rules (LDH labels, no trailing dot, no IP literal, no Internal Name, no
 * public suffix, wildcard only as the whole leftmost label). Returns the
 * canonical lower-case value. Throws rejectedIdentifier / unsupportedIdentifier.
 * `opts.additionalTlds` lets names under those TLDs pass the Internal Name
 * check; `opts.blockedNames` refuses those names and every name below them.
 */
export function checkDnsIdentifier(id: Identifier | { type: string; value: unknown }, opts: IdentifierPolicyOptions = {}): string {
  if (id.type !== 'dns') {
    throw new ShomeiError('unsupportedIdentifier', `Identifier type "${String(id.type)}" is not supported; only "dns"`, {
      identifier: { type: 'dns', value: String(id.value) },
    });
  }
  if (typeof id.value !== 'string' || id.value.length === 0) throw reject(String(id.value), 'empty or not a string');
  const value = id.value.toLowerCase();
  if (value.length > MAX_NAME_LENGTH) throw reject(value, 'longer than 253 characters');
  if (value.endsWith('.')) throw reject(value, 'a trailing dot is not allowed');
  if (isIpLiteral(value)) throw reject(value, 'IP addresses are not supported');
  const { base } = splitWildcard(value);
  if (base.includes('*')) throw reject(value, 'a wildcard may only be the whole leftmost label');
  const labels = base.split('.');
  if (labels.length < 2) throw reject(value, 'a fully-qualified domain name is required');
  for (const label of labels) {
    if (!isLdhLabel(label)) throw reject(value, `label "${label}" is not a valid LDH label`);
    checkReservedLdh(label, value);
  }
  const tld = labels[labels.length - 1] ?? '';
  if (hasNumericTld(labels)) throw reject(value, 'the top-level domain is numeric');
  if (isReverseDnsName(base)) throw reject(value, 'reverse-DNS names are not allowed (BR 7.1.2.7.12)');
  if (!isDelegatedName(base, opts.additionalTlds)) throw reject(value, `"${tld}" is not a delegated top-level domain (internal name)`);
  if (isPublicSuffixName(base, false)) throw reject(value, 'the name is a public suffix');
  const blocked = blockedBy(value, opts.blockedNames ?? []);
  if (blocked !== null) throw reject(value, `blocked by policy (blocked name "${blocked}")`);
  return value;
}

/** Check all identifiers of a new order, collecting one subproblem per bad identifier. */
export function checkOrderIdentifiers(ids: unknown, opts: IdentifierPolicyOptions = {}): string[] {
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
      out.add(checkDnsIdentifier({ type: id.type, value: id.value }, opts));
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
