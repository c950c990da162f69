import { addLocalDays, startOfLocalDay } from '../core/calendar.js';
import { ShomeiError } from '../core/errors.js';
import type { OperatorRow, OperatorSuspensionRow, Repositories, UsageFqdnRow } from '../sa/index.js';
import { suspensionAt, suspensionEndText, suspensionInForce } from './operator-standing.js';
import { nextExpiry, type UsagePeriod } from './usage-period.js';
import { actorString, type Actor, type RegistryDeps } from './types.js';

/**
 * What an operator suspension does to its usage FQDNs and applications
 * (SPEC §8, AR 16). The boundary rule, used by the day-boundary job, ARI and
 * the "ending soon" notices alike:
 *
 *   A usage FQDN's period would continue at 00:00 (CA time zone) of the day
 *   after its expiry date. If a suspension of its managing operator is in
 *   force at that very instant (started at or before it, not ended or lifted
 *   at or before it), the usage ends at that expiry date instead.
 *
 * So a suspension starting exactly at 00:00 of the next day still ends it; one
 * ending, or lifted, exactly at that instant does not.
 */

/** The instant a usage period with this expiry date would continue: 00:00 of the next local day. */
export function continuationInstant(expiryDate: string, timeZone: string): Date {
  return startOfLocalDay(addLocalDays(expiryDate, 1), timeZone);
}

/** How long `s` can matter: its end or lift instant (ms), or Infinity while open-ended. */
function lastMoment(s: OperatorSuspensionRow): number {
  const ends = [s.ends_at, s.lifted_at].filter((x): x is string => x !== null).map((x) => Date.parse(x));
  return ends.length === 0 ? Infinity : Math.min(...ends);
}

/**
 * The first expiry date of `u` — its stored one or a later one — at whose
 * continuation instant one of `suspensions` (of its managing operator) is in
 * force, with that suspension; null when none is. Records only: a lift
 * recorded later changes the answer for later boundaries only.
 */
export function suspendedExpiry(u: UsageFqdnRow, suspensions: readonly OperatorSuspensionRow[], timeZone: string): { expiryDate: string; suspension: OperatorSuspensionRow } | null {
  if (u.status !== 'active' || u.expiry_date === null || suspensions.length === 0) return null;
  const horizon = Math.max(...suspensions.map(lastMoment));
  let e = u.expiry_date;
  // 1200 monthly periods = 100 years: a bound, not a limit anyone meets.
  for (let i = 0; i < 1200; i += 1) {
    const at = continuationInstant(e, timeZone);
    const s = suspensions.find((x) => suspensionInForce(x, at));
    if (s) return { expiryDate: e, suspension: s };
    if (at.getTime() >= horizon) return null;
    e = nextExpiry(e, u.continuation_period as UsagePeriod);
  }
  return null;
}

/** SPEC §8: whether the day-boundary job ends `u` at its stored expiry date because its operator is suspended then. */
export async function suspensionEndingUsage(tx: Repositories, u: UsageFqdnRow, timeZone: string): Promise<OperatorSuspensionRow | undefined> {
  if (u.expiry_date === null) return undefined;
  return suspensionAt(tx, u.operator_id, continuationInstant(u.expiry_date, timeZone));
}

/** "since … until …" of a suspension, for error details. */
export function suspensionPeriodText(s: OperatorSuspensionRow): string {
  if (s.ends_at !== null) return `since ${s.starts_at} until ${suspensionEndText(s)}`;
  return `since ${s.starts_at} ${s.kind === 'immediate' ? 'until lifted by the CA' : 'until corrected'}`;
}

/**
 * SPEC §8 (AR 16): usage FQDNs that have not started cannot start while their
 * operator is suspended. Splits the subscriber's live usage FQDNs into those
 * that may carry a certificate at `at` and those held back, with the
 * suspension holding each back.
 */
export async function holdBackUnstarted(
  tx: Repositories,
  live: readonly UsageFqdnRow[],
  at: Date,
): Promise<{ usable: UsageFqdnRow[]; held: { usage: UsageFqdnRow; suspension: OperatorSuspensionRow }[] }> {
  const byOperator = new Map<string, OperatorSuspensionRow | undefined>();
  const usable: UsageFqdnRow[] = [];
  const held: { usage: UsageFqdnRow; suspension: OperatorSuspensionRow }[] = [];
  for (const u of live) {
    if (u.status !== 'applied') {
      usable.push(u);
      continue;
    }
    if (!byOperator.has(u.operator_id)) byOperator.set(u.operator_id, await suspensionAt(tx, u.operator_id, at));
    const s = byOperator.get(u.operator_id);
    if (s) held.push({ usage: u, suspension: s });
    else usable.push(u);
  }
  return { usable, held };
}

/**
 * SPEC §8 (AR 16): a suspended operator's new usage-FQDN applications are
 * refused. The refused call is audited (nothing else is stored) and answered
 * `forbidden` naming the suspension period.
 */
export async function refuseApplicationWhileSuspended(d: RegistryDeps, operator: OperatorRow, fqdn: unknown, actor: Actor): Promise<void> {
  const now = d.clock.now();
  const s = await suspensionAt(d.sa.repos, operator.id, now);
  if (!s) return;
  await d.sa.repos.appendAudit({
    at: now.toISOString(),
    actor: actorString(actor),
    action: 'usage-fqdn.application-refused',
    objectType: 'operator',
    objectId: operator.id,
    details: { fqdn: typeof fqdn === 'string' ? fqdn.slice(0, 300) : null, cause: 'operator-suspended', suspension: s.id },
  });
  throw new ShomeiError('forbidden', `The operator is suspended ${suspensionPeriodText(s)} (AR 16): new usage-FQDN applications are not accepted during the suspension`);
}
