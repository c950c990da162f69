import type { Executor } from './executor.js';
import type { SerialRow, SerialStatus } from './schema.js';

/** Record a freshly allocated serial before anything is signed with it (never reused: primary key). */
export async function insertSerial(db: Executor, row: SerialRow): Promise<void> {
  await db.insertInto('serials').values(row).execute();
}

export async function getSerial(db: Executor, serial: string): Promise<SerialRow | undefined> {
  return db.selectFrom('serials').selectAll().where('serial', '=', serial).executeTakeFirst();
}

/** Advance a serial through the issuance cycle; `from` guards against moving a finished one. */
export async function updateSerial(
  db: Executor,
  serial: string,
  from: readonly SerialStatus[],
  set: Partial<Pick<SerialRow, 'status' | 'precert_der' | 'scts' | 'error'>>,
  atIso: string,
): Promise<boolean> {
  const res = await db
    .updateTable('serials')
    .set({ ...set, updated_at: atIso })
    .where('serial', '=', serial)
    .where('status', 'in', [...from])
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

/** Every serial allocated for an order, oldest first. */
export async function listSerialsOfOrder(db: Executor, orderId: string): Promise<SerialRow[]> {
  return db.selectFrom('serials').selectAll().where('order_id', '=', orderId).orderBy('created_at').orderBy('serial').execute();
}
