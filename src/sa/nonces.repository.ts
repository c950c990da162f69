import type { Executor } from './executor.js';

export async function insertNonce(db: Executor, value: string, expiresAt: string): Promise<void> {
  await db.insertInto('nonces').values({ value, expires_at: expiresAt }).execute();
}

/** Single-use redemption: the row is deleted; true only for the one caller that deleted it. */
export async function redeemNonce(db: Executor, value: string, nowIso: string): Promise<boolean> {
  const res = await db
    .deleteFrom('nonces')
    .where('value', '=', value)
    .where('expires_at', '>', nowIso)
    .executeTakeFirst();
  return res.numDeletedRows > 0n;
}

export async function purgeExpiredNonces(db: Executor, nowIso: string): Promise<number> {
  const res = await db.deleteFrom('nonces').where('expires_at', '<=', nowIso).executeTakeFirst();
  return Number(res.numDeletedRows);
}
