/**
 * CAA checking: RFC 8659, RFC 8657 parameters, BR §3.2.2.8.
 *
 * - Relevant RRset (RFC 8659 §3): the CAA RRset of the name, else of each
 *   parent in turn, excluding the root; the first non-empty one wins. Each
 *   lookup follows CNAMEs (the resolver does). For `*.x` the climb starts at
 *   `x`. No CAA anywhere: issuance allowed.
 * - A lookup failure at or below the level that gave the answer fails closed
 *   with `dns` (BR §3.2.2.8: treating a failure as permission needs DNSSEC
 *   proof of insecurity, which this VA does not establish).
 * - Issuer Critical flag (128) on a tag we do not process: refuse
 *   (RFC 8659 §4.1, BR §3.2.2.8). Processed tags: issue, issuewild, iodef.
 * - `issuewild` is ignored for non-wildcard names; for a wildcard name it
 *   replaces `issue` when the set holds at least one (RFC 8659 §4.3).
 * - No issue/issuewild property that applies: not restricted (RFC 8659 §4.2).
 * - An applicable property authorizes us when its issuer domain name is one of
 *   `acme.caaIdentities`, and RFC 8657 parameters hold: `accounturi` equals
 *   the account URL (§3), `validationmethods` lists the method (§4). Other
 *   parameters are ignored (RFC 8659 §4.2). iodef is not acted on (optional,
 *   BR §3.2.2.8).
 */
import { ShomeiError } from '../core/errors.js';
import { parseIssueValue, parseValidationMethods } from './caa-issue-value.js';
import { canonicalName, type CaaRecord, type DnsAnswer, type DnsResolver } from './dns-resolver.js';
import type { CaaCheckRequest } from './types.js';

/** Issuer Critical flag: bit 0 of the flags octet, i.e. the value 128 (RFC 8659 §4.1). */
export const CAA_ISSUER_CRITICAL = 0x80;
const KNOWN_TAGS = new Set(['issue', 'issuewild', 'iodef']);

export interface RelevantCaaSet {
  /** The name at which the non-empty RRset was found. */
  owner: string;
  records: CaaRecord[];
}

/** RFC 8659 §3 tree climbing. Lookups run in parallel; answers are taken in order. */
export async function findRelevantCaaSet(resolver: DnsResolver, name: string): Promise<RelevantCaaSet | null> {
  const base = canonicalName(name).replace(/^\*\./, '');
  const labels = base.split('.');
  const candidates = labels.map((_, i) => labels.slice(i).join('.'));
  const pending = candidates.map((c) =>
    resolver.lookupCaa(c).then(
      (answer): { ok: true; answer: DnsAnswer<CaaRecord> } => ({ ok: true, answer }),
      (error: unknown): { ok: false; error: unknown } => ({ ok: false, error }),
    ),
  );
  for (let i = 0; i < candidates.length; i++) {
    const r = await pending[i]!;
    if (!r.ok) throw r.error;
    if (r.answer.records.length > 0) return { owner: candidates[i]!, records: r.answer.records };
  }
  return null;
}

export interface CaaPolicyInput {
  /** The requested name, possibly `*.`-prefixed. */
  name: string;
  accountUri: string;
  method: string;
  /** Our issuer domain names (`acme.caaIdentities`). */
  identities: readonly string[];
}

/** Throws ShomeiError('caa') when the relevant set forbids issuance to us. */
export function evaluateCaaSet(set: RelevantCaaSet, input: CaaPolicyInput): void {
  const refuse = (why: string): ShomeiError =>
    new ShomeiError('caa', `CAA record for ${set.owner} prevents issuance for ${input.name}: ${why}`);
  const ours = new Set(input.identities.map((i) => canonicalName(i)));

  for (const r of set.records) {
    const tag = r.tag.toLowerCase();
    if ((r.flags & CAA_ISSUER_CRITICAL) !== 0 && !KNOWN_TAGS.has(tag)) {
      throw refuse(`property "${r.tag}" is marked critical and is not understood by this CA (RFC 8659 §4.1)`);
    }
  }
  const wildcard = input.name.startsWith('*.');
  const issueWild = set.records.filter((r) => r.tag.toLowerCase() === 'issuewild');
  const property = wildcard && issueWild.length > 0 ? 'issuewild' : 'issue';
  const applicable = set.records.filter((r) => r.tag.toLowerCase() === property);
  if (applicable.length === 0) return;

  const reasons: string[] = [];
  for (const r of applicable) {
    const parsed = parseIssueValue(r.value);
    if (parsed === null) continue; // malformed: authorizes nobody
    if (parsed.issuerDomainName === null || !ours.has(parsed.issuerDomainName)) continue;
    const id = parsed.issuerDomainName;
    const accountUri = parsed.parameters.get('accounturi');
    if (accountUri !== undefined && accountUri !== input.accountUri) {
      reasons.push(`the ${property} property for ${id} is limited to account ${accountUri} (RFC 8657 §3)`);
      continue;
    }
    const methodsValue = parsed.parameters.get('validationmethods');
    if (methodsValue !== undefined) {
      const methods = parseValidationMethods(methodsValue);
      if (methods === null || !methods.includes(input.method)) {
        reasons.push(
          `the ${property} property for ${id} allows validation methods "${methodsValue}", not ${input.method} (RFC 8657 §4)`,
        );
        continue;
      }
    }
    return; // authorized
  }
  if (reasons.length > 0) throw refuse(reasons.join('; '));
  const everyoneRefused = applicable.every((r) => parseIssueValue(r.value)?.issuerDomainName === null);
  if (everyoneRefused) throw refuse(`the ${property} property forbids issuance by any CA`);
  throw refuse(`no ${property} property authorizes ${[...ours].join(' or ')}`);
}

/** The whole check for one dNSName (BR §3.2.2.8: every dNSName in the SAN). */
export async function checkCaa(
  resolver: DnsResolver,
  identities: readonly string[],
  req: CaaCheckRequest,
): Promise<RelevantCaaSet | null> {
  const set = await findRelevantCaaSet(resolver, req.name);
  if (set !== null) {
    evaluateCaaSet(set, { name: req.name, accountUri: req.accountUri, method: req.method, identities });
  }
  return set;
}
