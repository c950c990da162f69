import type { Executor } from './executor.js';
import type { NotificationEventRow } from './schema.js';

/** Store a notification event; call inside the transaction of the change it reports. */
export async function insertNotificationEvent(db: Executor, row: NotificationEventRow): Promise<void> {
  await db.insertInto('notification_events').values(row).execute();
}

export async function listNotificationEvents(
  db: Executor,
  f: { operatorId?: string; subscriberId?: string; kind?: string; limit?: number } = {},
): Promise<NotificationEventRow[]> {
  let q = db.selectFrom('notification_events').selectAll();
  if (f.operatorId !== undefined) q = q.where('operator_id', '=', f.operatorId);
  if (f.subscriberId !== undefined) q = q.where('subscriber_id', '=', f.subscriberId);
  if (f.kind !== undefined) q = q.where('kind', '=', f.kind);
  return q.orderBy('created_at').orderBy('id').limit(f.limit ?? 1000).execute();
}
