import type { Executor } from './executor.js';
import type { OrderRow } from './schema.js';

export async function insertOrder(db: Executor, row: OrderRow): Promise<void> {
  await db.insertInto('orders').values(row).execute();
}

export async function getOrder(db: Executor, id: string): Promise<OrderRow | undefined> {
  return db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Compare-and-set on the stored status: only one caller moves an order out of
 * `from`, which makes finalize safe against concurrent requests and instances.
 */
export async function transitionOrder(
  db: Executor,
  id: string,
  from: OrderRow['status'][],
  patch: Partial<Pick<OrderRow, 'status' | 'error' | 'certificate_serial'>>,
  nowIso: string,
): Promise<boolean> {
  const res = await db
    .updateTable('orders')
    .set({ ...patch, updated_at: nowIso })
    .where('id', '=', id)
    .where('status', 'in', from)
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

/** Orders of an account, newest first, keyset-paged by (created_at, id). */
export async function listOrdersForAccount(
  db: Executor,
  accountId: string,
  opts: { before?: { createdAt: string; id: string }; limit: number; notExpiredAfter: string },
): Promise<Pick<OrderRow, 'id' | 'created_at'>[]> {
  let q = db
    .selectFrom('orders')
    .select(['id', 'created_at'])
    .where('account_id', '=', accountId)
    .where('expires_at', '>', opts.notExpiredAfter)
    .where('status', '!=', 'invalid');
  const before = opts.before;
  if (before) {
    q = q.where((eb) =>
      eb.or([
        eb('created_at', '<', before.createdAt),
        eb.and([eb('created_at', '=', before.createdAt), eb('id', '<', before.id)]),
      ]),
    );
  }
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(opts.limit).execute();
}
