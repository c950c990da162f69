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

/** Deactivate every still-valid account bound with EAB key `kid`; returns their ids. */
export async function deactivateAccountsOfEabKey(db: Executor, kid: string, nowIso: string): Promise<string[]> {
  const rows = await db.selectFrom('accounts').select('id').where('eab_kid', '=', kid).where('status', '=', 'valid').execute();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  await db.updateTable('accounts').set({ status: 'deactivated', updated_at: nowIso }).where('id', 'in', ids).execute();
  return ids;
}

/** The subscriber an account belongs to, through the EAB credentials it was bound with. */
export async function getSubscriberIdOfAccount(db: Executor, accountId: string): Promise<string | null> {
  const row = await db
    .selectFrom('accounts')
    .innerJoin('eab_keys', 'eab_keys.kid', 'accounts.eab_kid')
    .select('eab_keys.subscriber_id')
    .where('accounts.id', '=', accountId)
    .executeTakeFirst();
  return row?.subscriber_id ?? null;
}
