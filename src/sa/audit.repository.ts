import type { Executor } from './executor.js';

export interface AuditEvent {
  at: string;
  /** Who: `account:<id>`, `admin:<name>`, `system`. */
  actor: string;
  action: string;
  objectType: string;
  objectId: string;
  details?: Record<string, unknown>;
}

/** Append an audit event; call inside the transaction that makes the change. */
export async function appendAudit(db: Executor, e: AuditEvent): Promise<void> {
  await db
    .insertInto('audit_events')
    .values({
      at: e.at,
      actor: e.actor,
      action: e.action,
      object_type: e.objectType,
      object_id: e.objectId,
      details: JSON.stringify(e.details ?? {}),
    })
    .execute();
}

export async function listAudit(db: Executor, objectType?: string, objectId?: string) {
  let q = db.selectFrom('audit_events').selectAll();
  if (objectType !== undefined) q = q.where('object_type', '=', objectType);
  if (objectId !== undefined) q = q.where('object_id', '=', objectId);
  return q.orderBy('id').execute();
}
