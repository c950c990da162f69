import type { Executor } from './executor.js';

/**
 * Record that nonces were used, in one statement. Returns the values that
 * were recorded now — i.e. not used before: the primary key makes redemption
 * single-use across every instance sharing the database.
 */
export async function recordNonceUses(db: Executor, uses: { value: string; expiresAt: string }[]): Promise<Set<string>> {
  if (uses.length === 0) return new Set();
  const rows = await db
    .insertInto('used_nonces')
    .values(uses.map((u) => ({ value: u.value, expires_at: u.expiresAt })))
    .onConflict((oc) => oc.column('value').doNothing())
    .returning('value')
    .execute();
  return new Set(rows.map((r) => r.value));
}

/** Forget used nonces past their lifetime: they fail the age check anyway. */
export async function purgeUsedNonces(db: Executor, nowIso: string): Promise<number> {
  const res = await db.deleteFrom('used_nonces').where('expires_at', '<=', nowIso).executeTakeFirst();
  return Number(res.numDeletedRows);
}
