import type { Executor } from './executor.js';
import type { SubscriberRow } from './schema.js';

export async function insertSubscriber(db: Executor, row: SubscriberRow): Promise<void> {
  await db.insertInto('subscribers').values(row).execute();
}

export async function getSubscriber(db: Executor, id: string): Promise<SubscriberRow | undefined> {
  return db.selectFrom('subscribers').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Subscribers in creation order, optionally of one operator, keyset-paged after `afterId`. */
export async function listSubscribers(
  db: Executor,
  f: { operatorId?: string | undefined; after?: { createdAt: string; id: string } | undefined; limit: number },
): Promise<SubscriberRow[]> {
  let q = db.selectFrom('subscribers').selectAll();
  if (f.operatorId !== undefined) q = q.where('operator_id', '=', f.operatorId);
  if (f.after !== undefined) {
    const a = f.after;
    q = q.where((eb) => eb.or([eb('created_at', '>', a.createdAt), eb.and([eb('created_at', '=', a.createdAt), eb('id', '>', a.id)])]));
  }
  return q.orderBy('created_at').orderBy('id').limit(f.limit).execute();
}

export type SubscriberPatch = Partial<Pick<SubscriberRow, 'name' | 'emails' | 'phone' | 'external_ref' | 'operator_id'>>;

export async function updateSubscriber(db: Executor, id: string, patch: SubscriberPatch, nowIso: string): Promise<void> {
  await db
    .updateTable('subscribers')
    .set({ ...patch, updated_at: nowIso })
    .where('id', '=', id)
    .execute();
}
