import type { Executor } from './executor.js';
import type { ConsentRecordRow, FqdnApplicationRow, UsageFqdnRow, UsageFqdnStatus } from './schema.js';

export async function insertUsageFqdn(db: Executor, row: UsageFqdnRow): Promise<void> {
  await db.insertInto('usage_fqdns').values(row).execute();
}

export async function getUsageFqdn(db: Executor, id: string): Promise<UsageFqdnRow | undefined> {
  return db.selectFrom('usage_fqdns').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Read a usage FQDN with a row lock (PostgreSQL) before changing it; SQLite transactions already hold the write lock. */
export async function getUsageFqdnForUpdate(db: Executor, id: string, dialect: 'sqlite' | 'postgres'): Promise<UsageFqdnRow | undefined> {
  const q = db.selectFrom('usage_fqdns').selectAll().where('id', '=', id);
  return (dialect === 'postgres' ? q.forUpdate() : q).executeTakeFirst();
}

export interface UsageFqdnFilter {
  operatorId?: string | undefined;
  subscriberId?: string | undefined;
  status?: UsageFqdnStatus | undefined;
  fqdn?: string | undefined;
  after?: { appliedAt: string; id: string } | undefined;
  limit: number;
}

export async function listUsageFqdns(db: Executor, f: UsageFqdnFilter): Promise<UsageFqdnRow[]> {
  let q = db.selectFrom('usage_fqdns').selectAll();
  if (f.operatorId !== undefined) q = q.where('operator_id', '=', f.operatorId);
  if (f.subscriberId !== undefined) q = q.where('subscriber_id', '=', f.subscriberId);
  if (f.status !== undefined) q = q.where('status', '=', f.status);
  if (f.fqdn !== undefined) q = q.where('fqdn', '=', f.fqdn);
  if (f.after !== undefined) {
    const a = f.after;
    q = q.where((eb) => eb.or([eb('applied_at', '>', a.appliedAt), eb.and([eb('applied_at', '=', a.appliedAt), eb('id', '>', a.id)])]));
  }
  return q.orderBy('applied_at').orderBy('id').limit(f.limit).execute();
}

/** The subscriber's usage FQDNs that have not ended (applied or active). */
export async function listLiveUsageFqdnsOfSubscriber(db: Executor, subscriberId: string): Promise<UsageFqdnRow[]> {
  return db
    .selectFrom('usage_fqdns')
    .selectAll()
    .where('subscriber_id', '=', subscriberId)
    .where('status', 'in', ['applied', 'active'])
    .orderBy('applied_at')
    .execute();
}

/** Active usage FQDNs whose expiry date is before `day` (their day boundary has passed). */
export async function listUsageFqdnsExpiredBefore(db: Executor, day: string, limit: number): Promise<UsageFqdnRow[]> {
  return db
    .selectFrom('usage_fqdns')
    .selectAll()
    .where('status', '=', 'active')
    .where('expiry_date', '<', day)
    .orderBy('expiry_date')
    .orderBy('id')
    .limit(limit)
    .execute();
}

export type UsageFqdnPatch = Partial<
  Pick<
    UsageFqdnRow,
    | 'status'
    | 'continuation_period'
    | 'start_date'
    | 'expiry_date'
    | 'termination_notice_at'
    | 'termination_notice_by'
    | 'ended_on'
    | 'end_reason'
    | 'operator_id'
    | 'subscriber_id'
  >
>;

/**
 * Compare-and-set update: applies only when the row still has `expect`'s
 * values (status, expiry date…), so two instances never both continue or end
 * the same period. Returns whether it applied.
 */
export async function updateUsageFqdn(
  db: Executor,
  id: string,
  expect: Partial<Pick<UsageFqdnRow, 'status' | 'expiry_date'>>,
  patch: UsageFqdnPatch,
  nowIso: string,
): Promise<boolean> {
  let q = db.updateTable('usage_fqdns').set({ ...patch, updated_at: nowIso }).where('id', '=', id);
  if (expect.status !== undefined) q = q.where('status', '=', expect.status);
  if (expect.expiry_date !== undefined) {
    q = expect.expiry_date === null ? q.where('expiry_date', 'is', null) : q.where('expiry_date', '=', expect.expiry_date);
  }
  const res = await q.executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

export async function insertConsentRecord(db: Executor, row: ConsentRecordRow): Promise<void> {
  await db.insertInto('consent_records').values(row).execute();
}

export async function getConsentRecord(db: Executor, id: string): Promise<ConsentRecordRow | undefined> {
  return db.selectFrom('consent_records').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertFqdnApplication(db: Executor, row: FqdnApplicationRow): Promise<void> {
  await db.insertInto('fqdn_applications').values(row).execute();
}

export async function getApplicationOfUsageFqdn(db: Executor, usageFqdnId: string): Promise<FqdnApplicationRow | undefined> {
  return db.selectFrom('fqdn_applications').selectAll().where('usage_fqdn_id', '=', usageFqdnId).executeTakeFirst();
}

export async function listFqdnApplications(db: Executor, f: { operatorId?: string; fromIso?: string; toIso?: string }): Promise<FqdnApplicationRow[]> {
  let q = db.selectFrom('fqdn_applications').selectAll();
  if (f.operatorId !== undefined) q = q.where('operator_id', '=', f.operatorId);
  if (f.fromIso !== undefined) q = q.where('decided_at', '>=', f.fromIso);
  if (f.toIso !== undefined) q = q.where('decided_at', '<', f.toIso);
  return q.orderBy('decided_at').orderBy('id').execute();
}
