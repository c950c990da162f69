import type { Executor } from './executor.js';
import type { AuthorizationRow, ChallengeRow, OrderAuthorizationRow } from './schema.js';

export async function insertAuthorization(db: Executor, row: AuthorizationRow): Promise<void> {
  await db.insertInto('authorizations').values(row).execute();
}

export async function insertChallenges(db: Executor, rows: ChallengeRow[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('challenges').values(rows).execute();
}

export async function linkOrderAuthorizations(db: Executor, rows: OrderAuthorizationRow[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('order_authorizations').values(rows).execute();
}

export async function getAuthorization(db: Executor, id: string): Promise<AuthorizationRow | undefined> {
  return db.selectFrom('authorizations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function getAuthorizationsForOrder(db: Executor, orderId: string): Promise<AuthorizationRow[]> {
  return db
    .selectFrom('order_authorizations as oa')
    .innerJoin('authorizations as a', 'a.id', 'oa.authz_id')
    .selectAll('a')
    .where('oa.order_id', '=', orderId)
    .orderBy('oa.position')
    .execute();
}

/**
 * An authorization of this account for this identifier that a new order may
 * reuse: a valid one not expiring before `minExpires`, else a pending one.
 */
export async function findReusableAuthorization(
  db: Executor,
  q: { accountId: string; identifier: string; wildcard: boolean; nowIso: string; validMinExpiresIso: string },
): Promise<AuthorizationRow | undefined> {
  const ofIdentifier = () =>
    db
      .selectFrom('authorizations')
      .selectAll()
      .where('account_id', '=', q.accountId)
      .where('identifier', '=', q.identifier)
      .where('wildcard', '=', q.wildcard ? 1 : 0);
  const valid = await ofIdentifier()
    .where('status', '=', 'valid')
    .where('expires_at', '>', q.validMinExpiresIso)
    .orderBy('expires_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (valid) return valid;
  return ofIdentifier()
    .where('status', '=', 'pending')
    .where('expires_at', '>', q.nowIso)
    .orderBy('expires_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function getChallengesForAuthorizations(db: Executor, authzIds: string[]): Promise<ChallengeRow[]> {
  if (authzIds.length === 0) return [];
  return db.selectFrom('challenges').selectAll().where('authz_id', 'in', authzIds).orderBy('type').execute();
}

export async function getChallenge(db: Executor, id: string): Promise<ChallengeRow | undefined> {
  return db.selectFrom('challenges').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Compare-and-set of a challenge's status; true when this caller made the move. */
export async function transitionChallenge(
  db: Executor,
  id: string,
  from: ChallengeRow['status'],
  patch: Partial<Pick<ChallengeRow, 'status' | 'processing_since' | 'validated_at' | 'error' | 'records'>>,
): Promise<boolean> {
  const res = await db.updateTable('challenges').set(patch).where('id', '=', id).where('status', '=', from).executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

export async function transitionAuthorization(
  db: Executor,
  id: string,
  from: AuthorizationRow['status'][],
  patch: Partial<Pick<AuthorizationRow, 'status' | 'expires_at' | 'validated_at' | 'validated_method'>>,
): Promise<boolean> {
  const res = await db
    .updateTable('authorizations')
    .set(patch)
    .where('id', '=', id)
    .where('status', 'in', from)
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

/** Deactivate every pending/valid authorization of an account (account deactivation, RFC 8555 §7.3.6). */
export async function deactivateAuthorizationsOfAccount(db: Executor, accountId: string): Promise<void> {
  await db
    .updateTable('authorizations')
    .set({ status: 'deactivated' })
    .where('account_id', '=', accountId)
    .where('status', 'in', ['pending', 'valid'])
    .execute();
}
