import type { Executor } from './executor.js';
import type { ConsentRecordRow, MaintenanceWindowRow, PolicyDocumentKind, PolicyDocumentRow } from './schema.js';

/** Maintenance windows (AT 18) and versioned policy documents (AT 21). */

export async function listMaintenanceWindows(db: Executor): Promise<MaintenanceWindowRow[]> {
  return db.selectFrom('maintenance_windows').selectAll().orderBy('starts_at').orderBy('id').execute();
}

export async function insertMaintenanceWindow(db: Executor, row: MaintenanceWindowRow): Promise<void> {
  await db.insertInto('maintenance_windows').values(row).execute();
}

export async function getMaintenanceWindow(db: Executor, id: string): Promise<MaintenanceWindowRow | undefined> {
  return db.selectFrom('maintenance_windows').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Windows neither cancelled nor ended early whose end (if any) lies after
 * `atIso`: the running ones and those still to come. The maintenance gate
 * caches this short list and decides per request which one covers "now".
 */
export async function listOpenMaintenanceWindows(db: Executor, atIso: string): Promise<MaintenanceWindowRow[]> {
  return db
    .selectFrom('maintenance_windows')
    .selectAll()
    .where('cancelled_at', 'is', null)
    .where('ended_at', 'is', null)
    .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', atIso)]))
    .orderBy('starts_at')
    .orderBy('id')
    .execute();
}

/** Cancel a window that has not started yet; false when it has started, ended or was already cancelled. */
export async function cancelMaintenanceWindow(db: Executor, id: string, atIso: string): Promise<boolean> {
  const res = await db
    .updateTable('maintenance_windows')
    .set({ cancelled_at: atIso })
    .where('id', '=', id)
    .where('cancelled_at', 'is', null)
    .where('ended_at', 'is', null)
    .where('starts_at', '>', atIso)
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

/** End a running window now; false when it is not running at `atIso`. */
export async function endMaintenanceWindow(db: Executor, id: string, atIso: string): Promise<boolean> {
  const res = await db
    .updateTable('maintenance_windows')
    .set({ ended_at: atIso })
    .where('id', '=', id)
    .where('cancelled_at', 'is', null)
    .where('ended_at', 'is', null)
    .where('starts_at', '<=', atIso)
    .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', atIso)]))
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

export async function listPolicyDocuments(db: Executor): Promise<PolicyDocumentRow[]> {
  return db.selectFrom('policy_documents').selectAll().orderBy('kind').orderBy('effective_at').orderBy('id').execute();
}

export async function insertPolicyDocument(db: Executor, row: PolicyDocumentRow): Promise<void> {
  await db.insertInto('policy_documents').values(row).execute();
}

export async function getPolicyDocument(db: Executor, kind: PolicyDocumentKind, version: string): Promise<PolicyDocumentRow | undefined> {
  return db.selectFrom('policy_documents').selectAll().where('kind', '=', kind).where('version', '=', version).executeTakeFirst();
}

/** AT 21: the document of `kind` in force at `atIso` — the latest effective one (ties: the later published). */
export async function currentPolicyDocument(db: Executor, kind: PolicyDocumentKind, atIso: string): Promise<PolicyDocumentRow | undefined> {
  return db
    .selectFrom('policy_documents')
    .selectAll()
    .where('kind', '=', kind)
    .where('effective_at', '<=', atIso)
    .orderBy('effective_at', 'desc')
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function countPolicyDocuments(db: Executor, kind: PolicyDocumentKind): Promise<number> {
  const r = await db.selectFrom('policy_documents').select((eb) => eb.fn.countAll<number | string>().as('n')).where('kind', '=', kind).executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** AT 21 / AR 10: every consent a subscriber gave, oldest first (the versions agreed to and when). */
export async function listConsentRecordsOfSubscriber(db: Executor, subscriberId: string): Promise<ConsentRecordRow[]> {
  return db.selectFrom('consent_records').selectAll().where('subscriber_id', '=', subscriberId).orderBy('recorded_at').orderBy('id').execute();
}
