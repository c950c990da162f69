import type { Executor } from './executor.js';
import type { AccountRow } from './schema.js';

export async function insertAccount(db: Executor, row: AccountRow): Promise<void> {
  await db.insertInto('accounts').values(row).execute();
}

export async function getAccountById(db: Executor, id: string): Promise<AccountRow | undefined> {
  return db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function getAccountByThumbprint(db: Executor, thumbprint: string): Promise<AccountRow | undefined> {
  return db.selectFrom('accounts').selectAll().where('jwk_thumbprint', '=', thumbprint).executeTakeFirst();
}

export type AccountPatch = Partial<Pick<AccountRow, 'status' | 'contact' | 'tos_agreed' | 'jwk' | 'jwk_thumbprint'>>;

export async function updateAccount(db: Executor, id: string, patch: AccountPatch, nowIso: string): Promise<void> {
  await db
    .updateTable('accounts')
    .set({ ...patch, updated_at: nowIso })
    .where('id', '=', id)
    .execute();
}
