import { sql, type Selectable } from 'kysely';
import type { Executor } from './executor.js';
import { auditEventHash, channelOfActor } from './audit-chain.js';
import type { AuditChainRow, AuditEventRow } from './schema.js';

export interface AuditEvent {
  at: string;
  /** Who: `account:<id>`, `operator:<id>/key:<id>`, `admin:<name>`, `system[:job]`. */
  actor: string;
  /** Where from: acme, operator-api, admin, cli, system (default: from the actor). */
  channel?: string;
  action: string;
  objectType: string;
  objectId: string;
  /** Put `before` / `after` here for state changes. */
  details?: Record<string, unknown>;
}

/**
 * Audit events of transactions opened by StorageAuthority.transaction wait
 * here and are chained just before commit (`flushAuditEvents`): the chain
 * head's row lock is then held only for the last statements of the
 * transaction, after every other lock it takes — appends are serialised
 * without ever waiting in the middle of a transaction (no deadlocks).
 */
const pendingAudits = new WeakMap<Executor, AuditEvent[]>();

export function deferAuditEvents(trx: Executor): void {
  pendingAudits.set(trx, []);
}

export async function flushAuditEvents(trx: Executor): Promise<void> {
  const events = pendingAudits.get(trx) ?? [];
  pendingAudits.delete(trx);
  for (const e of events) await chainAuditEvent(trx, e);
}

/**
 * Append an audit event to the hash chain; call inside the transaction that
 * makes the change (it commits or rolls back with it). Outside a transaction
 * one is opened for the append.
 */
export async function appendAudit(db: Executor, e: AuditEvent): Promise<void> {
  const pending = pendingAudits.get(db);
  if (pending) {
    pending.push(e);
    return;
  }
  if (!db.isTransaction) {
    await db.transaction().execute((trx) => chainAuditEvent(trx, e));
    return;
  }
  await chainAuditEvent(db, e);
}

/**
 * Taking the next position updates the chain head row, which locks it until
 * commit (PostgreSQL) — appends are serialised, so the chain never forks.
 */
async function chainAuditEvent(db: Executor, e: AuditEvent): Promise<void> {
  const head = await sql<{ seq: number | string; head_hash: string }>`
    update audit_chain set seq = seq + 1 where id = 1 returning seq, head_hash`.execute(db);
  const h = head.rows[0];
  if (!h) throw new Error('audit chain head missing (run migrations)');
  const seq = Number(h.seq);
  const row = {
    seq,
    at: e.at,
    actor: e.actor,
    channel: e.channel ?? channelOfActor(e.actor),
    action: e.action,
    object_type: e.objectType,
    object_id: e.objectId,
    details: JSON.stringify(e.details ?? {}),
  };
  const hash = auditEventHash(h.head_hash, row);
  await db.insertInto('audit_events').values({ ...row, prev_hash: h.head_hash, hash }).execute();
  await db.updateTable('audit_chain').set({ head_hash: hash, updated_at: e.at }).where('id', '=', 1).execute();
}

export async function listAudit(db: Executor, objectType?: string, objectId?: string) {
  let q = db.selectFrom('audit_events').selectAll();
  if (objectType !== undefined) q = q.where('object_type', '=', objectType);
  if (objectId !== undefined) q = q.where('object_id', '=', objectId);
  return q.orderBy('seq').execute();
}

export async function getAuditChain(db: Executor): Promise<AuditChainRow | undefined> {
  return db.selectFrom('audit_chain').selectAll().where('id', '=', 1).executeTakeFirst();
}

/** Events with seq > afterSeq in chain order, a page at a time (verification, export). */
export async function listAuditAfter(db: Executor, afterSeq: number, limit: number): Promise<Selectable<AuditEventRow>[]> {
  return db.selectFrom('audit_events').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
}
