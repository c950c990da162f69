import type { Executor } from './executor.js';

/**
 * Record that a nonce was used. True only for the first caller: the primary
 * key makes redemption single-use across every instance sharing the database.
 */
export async function recordNonceUse(db: Executor, value: string, expiresAt: string): Promise<boolean> {
  const res = await db
    .insertInto('used_nonces')
    .values({ value, expires_at: expiresAt })
    .onConflict((oc) => oc.column('value').doNothing())
    .executeTakeFirst();
  return (res.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

/** Forget used nonces past their lifetime: they fail the age check anyway. */
export async function purgeUsedNonces(db: Executor, nowIso: string): Promise<number> {
  const res = await db.deleteFrom('used_nonces').where('expires_at', '<=', nowIso).executeTakeFirst();
  return Number(res.numDeletedRows);
}
