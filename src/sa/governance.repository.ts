import type { Executor } from './executor.js';
import type { CorrectionNoticeRow, CorrectionNoticeStatus, OperatorContactAttemptRow, OperatorSuspensionRow, UsageFqdnRow } from './schema.js';

/** Operator governance (AR 16–17): correction notices, suspensions, contact attempts. */

export async function listOperatorSuspensions(db: Executor, operatorId: string): Promise<OperatorSuspensionRow[]> {
  return db.selectFrom('operator_suspensions').selectAll().where('operator_id', '=', operatorId).orderBy('starts_at').orderBy('id').execute();
}

export async function insertOperatorSuspension(db: Executor, row: OperatorSuspensionRow): Promise<void> {
  await db.insertInto('operator_suspensions').values(row).execute();
}

export async function getOperatorSuspension(db: Executor, id: string): Promise<OperatorSuspensionRow | undefined> {
  return db.selectFrom('operator_suspensions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Read a suspension with a row lock (PostgreSQL) before changing it; SQLite transactions already hold the write lock. */
export async function getOperatorSuspensionForUpdate(db: Executor, id: string, dialect: 'sqlite' | 'postgres'): Promise<OperatorSuspensionRow | undefined> {
  const q = db.selectFrom('operator_suspensions').selectAll().where('id', '=', id);
  return (dialect === 'postgres' ? q.forUpdate() : q).executeTakeFirst();
}

/** Suspensions not lifted whose end (if any) is after `atIso`: in force now or later. */
export async function listOpenOperatorSuspensions(db: Executor, atIso: string): Promise<OperatorSuspensionRow[]> {
  return db
    .selectFrom('operator_suspensions')
    .selectAll()
    .where('lifted_at', 'is', null)
    .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', atIso)]))
    .orderBy('starts_at')
    .orderBy('id')
    .execute();
}

/** Suspensions that have begun by `atIso` (not lifted) whose start was not notified yet. */
export async function listSuspensionsStartDue(db: Executor, atIso: string): Promise<OperatorSuspensionRow[]> {
  return db
    .selectFrom('operator_suspensions')
    .selectAll()
    .where('start_notified_at', 'is', null)
    .where('lifted_at', 'is', null)
    .where('starts_at', '<=', atIso)
    .orderBy('starts_at')
    .orderBy('id')
    .execute();
}

/** Started suspensions (not lifted) whose fixed end has passed by `atIso` and whose end was not notified yet. */
export async function listSuspensionsEndDue(db: Executor, atIso: string): Promise<OperatorSuspensionRow[]> {
  return db
    .selectFrom('operator_suspensions')
    .selectAll()
    .where('end_notified_at', 'is', null)
    .where('start_notified_at', 'is not', null)
    .where('lifted_at', 'is', null)
    .where('ends_at', 'is not', null)
    .where('ends_at', '<=', atIso)
    .orderBy('ends_at')
    .orderBy('id')
    .execute();
}

export type SuspensionPatch = Partial<Pick<OperatorSuspensionRow, 'lifted_at' | 'lifted_by' | 'lift_note' | 'start_notified_at' | 'end_notified_at'>>;

/**
 * Compare-and-set update: applies only while the columns named in `expectNull`
 * are still null (not lifted, not yet notified), so a rerun or a second
 * instance never lifts or notifies twice. Returns whether it applied.
 */
export async function updateOperatorSuspension(
  db: Executor,
  id: string,
  expectNull: readonly ('lifted_at' | 'start_notified_at' | 'end_notified_at')[],
  patch: SuspensionPatch,
): Promise<boolean> {
  let q = db.updateTable('operator_suspensions').set(patch).where('id', '=', id);
  for (const c of expectNull) q = q.where(c, 'is', null);
  const res = await q.executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

export async function insertCorrectionNotice(db: Executor, row: CorrectionNoticeRow): Promise<void> {
  await db.insertInto('correction_notices').values(row).execute();
}

export async function getCorrectionNotice(db: Executor, id: string): Promise<CorrectionNoticeRow | undefined> {
  return db.selectFrom('correction_notices').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listCorrectionNotices(db: Executor, f: { operatorId?: string | undefined; status?: CorrectionNoticeStatus | undefined }): Promise<CorrectionNoticeRow[]> {
  let q = db.selectFrom('correction_notices').selectAll();
  if (f.operatorId !== undefined) q = q.where('operator_id', '=', f.operatorId);
  if (f.status !== undefined) q = q.where('status', '=', f.status);
  return q.orderBy('issued_at').orderBy('id').execute();
}

/** Open correction notices whose correction period has ended by `atIso` (deadline is the exclusive end instant). */
export async function listOverdueCorrectionNotices(db: Executor, atIso: string): Promise<CorrectionNoticeRow[]> {
  return db.selectFrom('correction_notices').selectAll().where('status', '=', 'open').where('deadline', '<=', atIso).orderBy('deadline').orderBy('id').execute();
}

export type CorrectionNoticePatch = Partial<Pick<CorrectionNoticeRow, 'status' | 'resolved_at' | 'resolved_by' | 'resolution_note'>>;

/** Compare-and-set on the status: applies only while the notice is in one of `expect`. */
export async function updateCorrectionNotice(db: Executor, id: string, expect: readonly CorrectionNoticeStatus[], patch: CorrectionNoticePatch): Promise<boolean> {
  const res = await db.updateTable('correction_notices').set(patch).where('id', '=', id).where('status', 'in', [...expect]).executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

export async function insertOperatorContactAttempt(db: Executor, row: OperatorContactAttemptRow): Promise<void> {
  await db.insertInto('operator_contact_attempts').values(row).execute();
}

/** An operator's contact attempts, oldest first. */
export async function listOperatorContactAttempts(db: Executor, operatorId: string): Promise<OperatorContactAttemptRow[]> {
  return db.selectFrom('operator_contact_attempts').selectAll().where('operator_id', '=', operatorId).orderBy('attempted_at').orderBy('recorded_at').orderBy('id').execute();
}

/** Every contact attempt, oldest first (for the standings of all operators). */
export async function listAllOperatorContactAttempts(db: Executor): Promise<OperatorContactAttemptRow[]> {
  return db.selectFrom('operator_contact_attempts').selectAll().orderBy('attempted_at').orderBy('recorded_at').orderBy('id').execute();
}

/**
 * Active usage FQDNs that may end soon: those with a termination notice, and
 * every active one of the operators named (operators with a suspension in force or ahead).
 */
export async function listActiveUsageFqdnsMaybeEnding(db: Executor, operatorIds: readonly string[], after: string, limit: number): Promise<UsageFqdnRow[]> {
  return db
    .selectFrom('usage_fqdns')
    .selectAll()
    .where('status', '=', 'active')
    .where('id', '>', after)
    .where((eb) => {
      const byNotice = eb('termination_notice_at', 'is not', null);
      return operatorIds.length === 0 ? byNotice : eb.or([byNotice, eb('operator_id', 'in', [...operatorIds])]);
    })
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Record that the "ending soon" notice for `expiryDate` went out; false when it already had (compare-and-set). */
export async function markUsageFqdnEndingSoonNotified(db: Executor, id: string, expiryDate: string, nowIso: string): Promise<boolean> {
  const res = await db
    .updateTable('usage_fqdns')
    .set({ ending_soon_notified_for: expiryDate, updated_at: nowIso })
    .where('id', '=', id)
    .where('status', '=', 'active')
    .where((eb) => eb.or([eb('ending_soon_notified_for', 'is', null), eb('ending_soon_notified_for', '!=', expiryDate)]))
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}
