import type { Executor } from './executor.js';
import type { NotificationMessageRow } from './schema.js';

/** The notification outbox (SPEC §10): one row per e-mail, written with its event. */

export async function insertNotificationMessages(db: Executor, rows: NotificationMessageRow[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('notification_messages').values(rows).execute();
}
