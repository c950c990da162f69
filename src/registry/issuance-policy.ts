import { ShomeiError } from '../core/errors.js';
import type { OperatorSuspensionRow, Repositories, UsageFqdnRow } from '../sa/index.js';
import { holdBackUnstarted, suspensionPeriodText } from './suspension-effects.js';

/**
 * SPEC §5.2 (AT 4): the names a certificate may hold for one usage FQDN —
 * the FQDN itself, plus `www.` + FQDN for a non-wildcard, or the base name for
 * a `*.` wildcard.
 */
export function namesAllowedBy(fqdn: string): string[] {
  return fqdn.startsWith('*.') ? [fqdn, fqdn.slice(2)] : [fqdn, `www.${fqdn}`];
}

export interface Coverage {
  /** Per name, the usage FQDN it is charged to: the one with exactly that name, else the first that allows it. */
  primary: Map<string, UsageFqdnRow>;
  /** Every usage FQDN that allows at least one of the names. */
  all: UsageFqdnRow[];
  /** Names no usage FQDN in `live` allows. */
  uncovered: string[];
}

/** Map order names onto a subscriber's live usage FQDNs (any mix of them: a multi-domain certificate). */
export function resolveCoverage(names: readonly string[], live: readonly UsageFqdnRow[]): Coverage {
  const primary = new Map<string, UsageFqdnRow>();
  const all = new Map<string, UsageFqdnRow>();
  const uncovered: string[] = [];
  for (const name of names) {
    const allowing = live.filter((u) => namesAllowedBy(u.fqdn).includes(name));
    for (const u of allowing) all.set(u.id, u);
    const chosen = allowing.find((u) => u.fqdn === name) ?? allowing[0];
    if (chosen) primary.set(name, chosen);
    else uncovered.push(name);
  }
  return { primary, all: [...all.values()], uncovered };
}

/** Why a name is not allowed, for the `rejectedIdentifier` detail. */
async function whyNotAllowed(tx: Repositories, subscriberId: string, name: string, held: readonly { usage: UsageFqdnRow; suspension: OperatorSuspensionRow }[] = []): Promise<string> {
  const candidates = candidateFqdns(name);
  // SPEC §8 (AR 16): a usage FQDN applied for before its operator's suspension cannot start during it.
  const blocked = held.find((h) => candidates.includes(h.usage.fqdn));
  if (blocked) return `the usage period of ${blocked.usage.fqdn} cannot start: its operator is suspended ${suspensionPeriodText(blocked.suspension)} (AR 16)`;
  const own: UsageFqdnRow[] = [];
  for (const fqdn of candidates) own.push(...(await tx.listUsageFqdns({ subscriberId, fqdn, limit: 1000 })));
  // The most recent end (an FQDN may have been registered and ended more than once).
  const ended = own.filter((u) => u.status === 'ended').sort((a, b) => (b.ended_on ?? '').localeCompare(a.ended_on ?? ''))[0];
  if (ended) return `the usage period of ${ended.fqdn} ended${ended.ended_on ? ` on ${ended.ended_on}` : ''}`;
  for (const candidate of candidates) {
    const others = await tx.listUsageFqdns({ fqdn: candidate, limit: 10 });
    if (others.some((u) => u.subscriber_id !== subscriberId && u.status !== 'ended')) return `${candidate} is registered to another subscriber`;
  }
  return 'it is not a name of any usage FQDN registered for this subscriber (SPEC §5.2: the FQDN, www.FQDN, or the base of a wildcard FQDN)';
}

/** Usage FQDNs that would allow `name`. */
export function candidateFqdns(name: string): string[] {
  if (name.startsWith('*.')) return [name];
  const out = [name, `*.${name}`];
  if (name.startsWith('www.')) out.push(name.slice(4));
  return out;
}

/**
 * SPEC §5.2 / §5.4 at newOrder and again at issuance: every name must be
 * allowed by a live usage FQDN of the subscriber the account belongs to.
 * With `at` (the moment of the order or issuance), usage FQDNs not yet
 * started whose operator is suspended then do not count (SPEC §8, AR 16:
 * they cannot start). Throws `rejectedIdentifier` with one subproblem per
 * refused name.
 */
export async function checkNamesForSubscriber(tx: Repositories, subscriberId: string, names: readonly string[], at?: Date): Promise<Coverage> {
  const all = await tx.listLiveUsageFqdnsOfSubscriber(subscriberId);
  const { usable: live, held } = at === undefined ? { usable: all, held: [] } : await holdBackUnstarted(tx, all, at);
  const coverage = resolveCoverage(names, live);
  if (coverage.uncovered.length === 0) return coverage;
  const problems: ShomeiError[] = [];
  for (const name of coverage.uncovered) {
    const why = await whyNotAllowed(tx, subscriberId, name, held);
    problems.push(new ShomeiError('rejectedIdentifier', `Cannot issue for "${name}": ${why}`, { identifier: { type: 'dns', value: name } }));
  }
  if (problems.length === 1) throw problems[0] as ShomeiError;
  throw new ShomeiError('rejectedIdentifier', `Cannot issue for ${problems.length} identifiers; see subproblems`, { subErrors: problems });
}
