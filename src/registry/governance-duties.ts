import { addLocalDays, localDateOf } from '../core/calendar.js';
import type { OperatorSuspensionRow, UsageFqdnRow } from '../sa/index.js';
import { recordNotification } from './notifications.js';
import { suspendedExpiry } from './suspension-effects.js';
import { imposeSuspension } from './suspensions.js';
import { effectiveExpiry } from './usage-fqdns.js';
import type { RegistryDeps } from './types.js';

/**
 * The scheduled duties of operator governance (SPEC §8, §10), each
 * idempotent: a rerun or a second instance changes nothing twice (every
 * change is a compare-and-set in its own transaction).
 */

const SYSTEM = 'system:governance';

/**
 * AR 16 with `governance.autoSuspend`: suspend, until corrected, every
 * operator whose correction notice is still open after its deadline.
 * Returns the suspensions imposed.
 */
export async function autoSuspendOverdue(d: RegistryDeps): Promise<string[]> {
  if (!d.config.governance.autoSuspend) return [];
  const now = d.clock.now();
  const done: string[] = [];
  for (const n of await d.sa.repos.listOverdueCorrectionNotices(now.toISOString())) {
    const id = await d.sa.transaction(async (tx) => {
      const fresh = await tx.getCorrectionNotice(n.id);
      const op = await tx.getOperator(n.operator_id);
      if (fresh?.status !== 'open' || !op) return null;
      const reason = `Correction notice ${n.id} (${n.ground}: ${n.detail}) was not corrected by its deadline ${n.deadline} (AR 16)`;
      return (await imposeSuspension(tx, op, { kind: 'notice', noticeId: n.id, reason, startsAt: now.toISOString(), endsAt: null }, SYSTEM, now)).id;
    });
    if (id !== null) done.push(id);
  }
  return done;
}

/** `operator.suspension-started` for suspensions whose (future) start has come. Returns how many. */
export async function notifySuspensionStarts(d: RegistryDeps): Promise<number> {
  const nowIso = d.clock.now().toISOString();
  let n = 0;
  for (const s of await d.sa.repos.listSuspensionsStartDue(nowIso)) {
    const sent = await d.sa.transaction(async (tx) => {
      if (!(await tx.updateOperatorSuspension(s.id, ['start_notified_at', 'lifted_at'], { start_notified_at: nowIso }))) return false;
      const op = await tx.getOperator(s.operator_id);
      await tx.appendAudit({ at: nowIso, actor: SYSTEM, action: 'operator.suspension-began', objectType: 'operator', objectId: s.operator_id, details: { suspension: s.id, startsAt: s.starts_at } });
      await recordNotification(tx, {
        kind: 'operator.suspension-started',
        operatorId: s.operator_id,
        subjectType: 'operator-suspension',
        subjectId: s.id,
        payload: { suspensionId: s.id, operatorName: op?.name ?? s.operator_id, kind: s.kind, reason: s.reason, startsAt: s.starts_at, endsAt: s.ends_at },
        atIso: nowIso,
      });
      return true;
    });
    if (sent) n += 1;
  }
  return n;
}

/** `operator.suspension-ended` (how 'period-ended') for suspensions whose fixed end has passed. Returns how many. */
export async function notifySuspensionEnds(d: RegistryDeps): Promise<number> {
  const nowIso = d.clock.now().toISOString();
  let n = 0;
  for (const s of await d.sa.repos.listSuspensionsEndDue(nowIso)) {
    const sent = await d.sa.transaction(async (tx) => {
      if (!(await tx.updateOperatorSuspension(s.id, ['end_notified_at', 'lifted_at'], { end_notified_at: nowIso }))) return false;
      const op = await tx.getOperator(s.operator_id);
      await tx.appendAudit({ at: nowIso, actor: SYSTEM, action: 'operator.suspension-period-ended', objectType: 'operator', objectId: s.operator_id, details: { suspension: s.id, endsAt: s.ends_at } });
      await recordNotification(tx, {
        kind: 'operator.suspension-ended',
        operatorId: s.operator_id,
        subjectType: 'operator-suspension',
        subjectId: s.id,
        payload: { suspensionId: s.id, operatorName: op?.name ?? s.operator_id, endedAt: s.ends_at, how: 'period-ended' },
        atIso: nowIso,
      });
      return true;
    });
    if (sent) n += 1;
  }
  return n;
}

export type EndingReason = 'termination-notice' | 'operator-suspended';

/**
 * The expiry date at which `u` ends, and why: the one its termination notice
 * ends it at (SPEC §5.3), or the first at whose continuation instant its
 * operator is suspended (SPEC §8) — the earlier; a tie counts as the notice.
 * Null while it continues.
 */
export function plannedEnd(u: UsageFqdnRow, suspensions: readonly OperatorSuspensionRow[], timeZone: string): { expiryDate: string; reason: EndingReason } | null {
  const byNotice = u.termination_notice_at === null ? null : effectiveExpiry(u, localDateOf(new Date(u.termination_notice_at), timeZone));
  const bySuspension = suspendedExpiry(u, suspensions, timeZone)?.expiryDate ?? null;
  if (byNotice !== null && (bySuspension === null || byNotice <= bySuspension)) return { expiryDate: byNotice, reason: 'termination-notice' };
  if (bySuspension !== null) return { expiryDate: bySuspension, reason: 'operator-suspended' };
  return null;
}

/**
 * SPEC §10: `usage-fqdn.ending-soon`, once per expiry date
 * (usage_fqdns.ending_soon_notified_for), for active usage FQDNs that end —
 * by a termination notice or an operator suspension — at an expiry date no
 * more than `notifications.endingSoonDays` local days after today. Returns how many.
 */
export async function notifyEndingSoon(d: RegistryDeps): Promise<number> {
  const now = d.clock.now();
  const nowIso = now.toISOString();
  const tz = d.config.timeZone;
  const horizon = addLocalDays(localDateOf(now, tz), d.config.notifications.endingSoonDays);
  const open = await d.sa.repos.listOpenOperatorSuspensions(nowIso);
  const byOperator = new Map<string, OperatorSuspensionRow[]>();
  for (const s of open) byOperator.set(s.operator_id, [...(byOperator.get(s.operator_id) ?? []), s]);
  let sent = 0;
  let after = '';
  for (;;) {
    const page = await d.sa.repos.listActiveUsageFqdnsMaybeEnding([...byOperator.keys()], after, 200);
    if (page.length === 0) return sent;
    after = (page[page.length - 1] as UsageFqdnRow).id;
    for (const u of page) {
      const end = plannedEnd(u, byOperator.get(u.operator_id) ?? [], tz);
      if (end === null || end.expiryDate > horizon || u.ending_soon_notified_for === end.expiryDate) continue;
      const ok = await d.sa.transaction(async (tx) => {
        if (!(await tx.markUsageFqdnEndingSoonNotified(u.id, end.expiryDate, nowIso))) return false;
        await tx.appendAudit({
          at: nowIso,
          actor: SYSTEM,
          action: 'usage-fqdn.ending-soon-notified',
          objectType: 'usage-fqdn',
          objectId: u.id,
          details: { before: { endingSoonNotifiedFor: u.ending_soon_notified_for }, after: { endingSoonNotifiedFor: end.expiryDate }, reason: end.reason },
        });
        await recordNotification(tx, {
          kind: 'usage-fqdn.ending-soon',
          operatorId: u.operator_id,
          subscriberId: u.subscriber_id,
          subjectType: 'usage-fqdn',
          subjectId: u.id,
          payload: { fqdn: u.fqdn, expiryDate: end.expiryDate, reason: end.reason },
          atIso: nowIso,
        });
        return true;
      });
      if (ok) sent += 1;
    }
  }
}
