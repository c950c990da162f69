import type { Executor } from './executor.js';
import type { EabKeyRow } from './schema.js';

export async function insertEabKey(db: Executor, row: EabKeyRow): Promise<void> {
  await db.insertInto('eab_keys').values(row).execute();
}

export async function getEabKey(db: Executor, kid: string): Promise<EabKeyRow | undefined> {
  return db.selectFrom('eab_keys').selectAll().where('kid', '=', kid).executeTakeFirst();
}

export async function listEabKeys(db: Executor): Promise<EabKeyRow[]> {
  return db.selectFrom('eab_keys').selectAll().orderBy('created_at').execute();
}

export async function revokeEabKey(db: Executor, kid: string, atIso: string): Promise<boolean> {
  const res = await db
    .updateTable('eab_keys')
    .set({ revoked_at: atIso })
    .where('kid', '=', kid)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

export async function listEabKeysOfSubscriber(db: Executor, subscriberId: string): Promise<EabKeyRow[]> {
  return db.selectFrom('eab_keys').selectAll().where('subscriber_id', '=', subscriberId).orderBy('created_at').execute();
}

/** Mark credentials compromised (and revoked, if they were not yet). False when already compromised. */
export async function markEabKeyCompromised(db: Executor, kid: string, atIso: string): Promise<boolean> {
  const res = await db
    .updateTable('eab_keys')
    .set((eb) => ({ compromised_at: atIso, revoked_at: eb.fn.coalesce('revoked_at', eb.val(atIso)) }))
    .where('kid', '=', kid)
    .where('compromised_at', 'is', null)
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}
