import { ShomeiError } from '../core/errors.js';
import { localDateOf } from '../core/calendar.js';
import type { Repositories, UsageFqdnRow, UsageFqdnStatus } from '../sa/index.js';
import { recordNotification } from './notifications.js';
import { endUsage } from './usage-lifecycle.js';
import { isUsagePeriod, nextExpiry, type UsagePeriod } from './usage-period.js';
import { usageFqdnView, type UsageFqdnView } from './usage-fqdn-view.js';
import { actorString, decodeCursor, encodeCursor, type Actor, type Page, type RegistryDeps } from './types.js';

/**
 * The expiry date a termination notice filed today ends the usage at. Past
 * the stored expiry date the usage has already continued (the day-boundary
 * job may just not have run yet), so it is the next one.
 */
export function effectiveExpiry(u: UsageFqdnRow, today: string): string | null {
  let e = u.expiry_date;
  while (e !== null && e < today) e = nextExpiry(e, u.continuation_period as UsagePeriod);
  return e;
}

/** The usage FQDN if `operatorId` manages it (undefined = admin); anyone else's is not found. */
async function loadUsageFqdn(tx: Repositories, d: RegistryDeps, id: string, operatorId: string | undefined): Promise<UsageFqdnRow> {
  const row = await tx.getUsageFqdnForUpdate(id, d.sa.dialect);
  if (!row || (operatorId !== undefined && row.operator_id !== operatorId)) throw new ShomeiError('notFound', 'No such usage FQDN');
  return row;
}

export async function getUsageFqdn(d: RegistryDeps, operatorId: string | undefined, id: string): Promise<UsageFqdnView> {
  const row = await d.sa.repos.getUsageFqdn(id);
  if (!row || (operatorId !== undefined && row.operator_id !== operatorId)) throw new ShomeiError('notFound', 'No such usage FQDN');
  return usageFqdnView(row, await d.sa.repos.listCertificatesOfUsageFqdn(id));
}

const STATUSES: readonly UsageFqdnStatus[] = ['applied', 'active', 'ended'];

export async function listUsageFqdns(
  d: RegistryDeps,
  operatorId: string | undefined,
  q: { subscriberId?: string | undefined; status?: string | undefined; cursor?: string | undefined; limit?: number | undefined },
): Promise<Page<UsageFqdnView>> {
  if (q.status !== undefined && !(STATUSES as readonly string[]).includes(q.status)) {
    throw new ShomeiError('malformed', `status must be one of ${STATUSES.join(', ')}`);
  }
  const limit = q.limit ?? 100;
  const c = decodeCursor(q.cursor, 2);
  const rows = await d.sa.repos.listUsageFqdns({
    operatorId,
    subscriberId: q.subscriberId,
    status: q.status as UsageFqdnStatus | undefined,
    after: c ? { appliedAt: c[0] as string, id: c[1] as string } : undefined,
    limit: limit + 1,
  });
  const items = rows.slice(0, limit).map((r) => usageFqdnView(r));
  const last = rows.length > limit ? items[items.length - 1] : undefined;
  return { items, next: last ? encodeCursor([last.appliedAt, last.id]) : null };
}

/**
 * SPEC §5.3 (AT 10): a termination notice filed before expiry ends the usage
 * at the expiry date. For a usage FQDN that has not started there is no
 * period to run out, so the notice ends it at once (nothing was charged).
 * `unavoidable` records that the managing operator filed it on its own
 * initiative (e.g. the subscriber's contract with it ended).
 */
export async function fileTerminationNotice(
  d: RegistryDeps,
  operatorId: string | undefined,
  id: string,
  input: { unavoidable?: unknown; note?: unknown },
  actor: Actor,
): Promise<UsageFqdnView> {
  if (input.unavoidable !== undefined && typeof input.unavoidable !== 'boolean') throw new ShomeiError('malformed', 'unavoidable must be true or false');
  if (input.note !== undefined && (typeof input.note !== 'string' || input.note.length > 500)) throw new ShomeiError('malformed', 'note must be a string of at most 500 characters');
  const now = d.clock.now();
  const nowIso = now.toISOString();
  const today = localDateOf(now, d.config.timeZone);
  await d.sa.transaction(async (tx) => {
    const u = await loadUsageFqdn(tx, d, id, operatorId);
    if (u.status === 'ended') throw new ShomeiError('conflict', `The usage of ${u.fqdn} has already ended`);
    if (u.termination_notice_at !== null) throw new ShomeiError('conflict', 'A termination notice is already filed');
    const details = { unavoidable: input.unavoidable === true, note: input.note ?? null };
    if (u.status === 'applied') {
      await endUsage(tx, d.config, u, { endedOn: today, reason: 'terminated-before-start', nowIso, actor: actorString(actor), expect: { status: 'applied' } });
      return;
    }
    await tx.updateUsageFqdn(u.id, { status: 'active' }, { termination_notice_at: nowIso, termination_notice_by: actorString(actor) }, nowIso);
    const endsAt = effectiveExpiry(u, today);
    await tx.appendAudit({ at: nowIso, actor: actorString(actor), action: 'usage-fqdn.termination-filed', objectType: 'usage-fqdn', objectId: u.id, details: { ...details, endsAt } });
    await recordNotification(tx, { kind: 'usage-fqdn.termination-filed', operatorId: u.operator_id, subscriberId: u.subscriber_id, subjectType: 'usage-fqdn', subjectId: u.id, payload: { fqdn: u.fqdn, endsAt, ...details }, atIso: nowIso });
  });
  return getUsageFqdn(d, operatorId, id);
}

/** SPEC §5.3: a termination notice can be withdrawn until the expiry date (inclusive, CA time zone). */
export async function withdrawTerminationNotice(d: RegistryDeps, operatorId: string | undefined, id: string, actor: Actor): Promise<UsageFqdnView> {
  const now = d.clock.now();
  const nowIso = now.toISOString();
  const today = localDateOf(now, d.config.timeZone);
  await d.sa.transaction(async (tx) => {
    const u = await loadUsageFqdn(tx, d, id, operatorId);
    if (u.termination_notice_at === null) throw new ShomeiError('conflict', 'No termination notice is filed');
    // Withdrawable until the expiry date it ends the usage at (a notice filed after the stored
    // expiry, before the day-boundary job ran, ends the usage at the next one).
    const noticeDay = localDateOf(new Date(u.termination_notice_at), d.config.timeZone);
    const endsAt = effectiveExpiry(u, noticeDay);
    if (u.status !== 'active' || (endsAt !== null && today > endsAt)) {
      throw new ShomeiError('conflict', `The termination notice can no longer be withdrawn (expiry date ${endsAt ?? '—'})`);
    }
    await tx.updateUsageFqdn(u.id, { status: 'active' }, { termination_notice_at: null, termination_notice_by: null }, nowIso);
    await tx.appendAudit({ at: nowIso, actor: actorString(actor), action: 'usage-fqdn.termination-withdrawn', objectType: 'usage-fqdn', objectId: u.id, details: { filedAt: u.termination_notice_at } });
    await recordNotification(tx, { kind: 'usage-fqdn.termination-withdrawn', operatorId: u.operator_id, subscriberId: u.subscriber_id, subjectType: 'usage-fqdn', subjectId: u.id, payload: { fqdn: u.fqdn, expiryDate: u.expiry_date }, atIso: nowIso });
  });
  return getUsageFqdn(d, operatorId, id);
}

/** SPEC §5.3: change the period the next continuations use. */
export async function changeContinuationPeriod(d: RegistryDeps, operatorId: string | undefined, id: string, input: { continuationPeriod?: unknown }, actor: Actor): Promise<UsageFqdnView> {
  const period = input.continuationPeriod;
  if (!isUsagePeriod(period)) throw new ShomeiError('malformed', 'continuationPeriod must be "1m" or "1y"');
  const nowIso = d.clock.now().toISOString();
  await d.sa.transaction(async (tx) => {
    const u = await loadUsageFqdn(tx, d, id, operatorId);
    if (u.status === 'ended') throw new ShomeiError('conflict', `The usage of ${u.fqdn} has already ended`);
    if (u.continuation_period === period) return;
    await tx.updateUsageFqdn(u.id, { status: u.status }, { continuation_period: period }, nowIso);
    await tx.appendAudit({ at: nowIso, actor: actorString(actor), action: 'usage-fqdn.continuation-changed', objectType: 'usage-fqdn', objectId: u.id, details: { before: u.continuation_period, after: period } });
    await recordNotification(tx, { kind: 'usage-fqdn.continuation-changed', operatorId: u.operator_id, subscriberId: u.subscriber_id, subjectType: 'usage-fqdn', subjectId: u.id, payload: { fqdn: u.fqdn, continuationPeriod: period }, atIso: nowIso });
  });
  return getUsageFqdn(d, operatorId, id);
}
