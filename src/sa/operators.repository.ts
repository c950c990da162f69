import type { Executor } from './executor.js';
import type { AdminTokenRow, OperatorApiKeyRow, OperatorRow } from './schema.js';

export async function insertOperator(db: Executor, row: OperatorRow): Promise<void> {
  await db.insertInto('operators').values(row).execute();
}

export async function getOperator(db: Executor, id: string): Promise<OperatorRow | undefined> {
  return db.selectFrom('operators').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function getCaDeskOperator(db: Executor): Promise<OperatorRow | undefined> {
  return db.selectFrom('operators').selectAll().where('ca_desk', '=', 1).orderBy('created_at').executeTakeFirst();
}

export async function listOperators(db: Executor): Promise<OperatorRow[]> {
  return db.selectFrom('operators').selectAll().orderBy('created_at').orderBy('id').execute();
}

export type OperatorPatch = Partial<
  Pick<OperatorRow, 'name' | 'representative' | 'address' | 'contacts' | 'acme_handling' | 'domain_designated' | 'status'>
>;

export async function updateOperator(db: Executor, id: string, patch: OperatorPatch, nowIso: string): Promise<void> {
  await db
    .updateTable('operators')
    .set({ ...patch, updated_at: nowIso })
    .where('id', '=', id)
    .execute();
}

export async function insertOperatorApiKey(db: Executor, row: OperatorApiKeyRow): Promise<void> {
  await db.insertInto('operator_api_keys').values(row).execute();
}

export async function getOperatorApiKey(db: Executor, id: string): Promise<OperatorApiKeyRow | undefined> {
  return db.selectFrom('operator_api_keys').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listOperatorApiKeys(db: Executor, operatorId: string): Promise<OperatorApiKeyRow[]> {
  return db.selectFrom('operator_api_keys').selectAll().where('operator_id', '=', operatorId).orderBy('created_at').orderBy('id').execute();
}

/** Revoke one key (or, with `keyId` undefined, every active key of the operator); returns how many. */
export async function revokeOperatorApiKeys(db: Executor, operatorId: string, keyId: string | undefined, atIso: string): Promise<number> {
  let q = db.updateTable('operator_api_keys').set({ revoked_at: atIso }).where('operator_id', '=', operatorId).where('revoked_at', 'is', null);
  if (keyId !== undefined) q = q.where('id', '=', keyId);
  const res = await q.executeTakeFirst();
  return Number(res.numUpdatedRows);
}

export async function insertAdminToken(db: Executor, row: AdminTokenRow): Promise<void> {
  await db.insertInto('admin_tokens').values(row).execute();
}

export async function getAdminToken(db: Executor, id: string): Promise<AdminTokenRow | undefined> {
  return db.selectFrom('admin_tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listAdminTokens(db: Executor): Promise<AdminTokenRow[]> {
  return db.selectFrom('admin_tokens').selectAll().orderBy('created_at').orderBy('id').execute();
}

export async function revokeAdminToken(db: Executor, id: string, atIso: string): Promise<boolean> {
  const res = await db.updateTable('admin_tokens').set({ revoked_at: atIso }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return res.numUpdatedRows > 0n;
}
