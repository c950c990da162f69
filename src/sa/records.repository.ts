import { sql, type Selectable } from 'kysely';
import type { Executor } from './executor.js';
import type { AuditEventRow } from './schema.js';

/**
 * Records (SPEC §11, AR 10, AR 15, BR 5.4–5.5): browsing the audit trail,
 * the retention purges and the read queries of the operator report.
 */

export interface AuditEventFilter {
  objectType?: string;
  objectId?: string;
  actor?: string;
  action?: string;
  /** ISO instant, inclusive. */
  fromIso?: string;
  /** ISO instant, exclusive. */
  toIso?: string;
  /** Keyset paging: events with seq greater than this. */
  afterSeq?: number;
  limit: number;
}

/** Audit events matching the filter, in chain order. */
export async function listAuditEvents(db: Executor, f: AuditEventFilter): Promise<Selectable<AuditEventRow>[]> {
  let q = db.selectFrom('audit_events').selectAll();
  if (f.objectType !== undefined) q = q.where('object_type', '=', f.objectType);
  if (f.objectId !== undefined) q = q.where('object_id', '=', f.objectId);
  if (f.actor !== undefined) q = q.where('actor', '=', f.actor);
  if (f.action !== undefined) q = q.where('action', '=', f.action);
  if (f.fromIso !== undefined) q = q.where('at', '>=', f.fromIso);
  if (f.toIso !== undefined) q = q.where('at', '<', f.toIso);
  if (f.afterSeq !== undefined) q = q.where('seq', '>', f.afterSeq);
  return q.orderBy('seq').limit(f.limit).execute();
}

/**
 * Retention (AR 10, BR 5.5.2): purge at most `maxEvents` audit events from the
 * start of the chain, only while every one is older than `cutoffIso`, and move
 * the chain anchor to the last one purged — in the caller's transaction, so
 * the remaining chain still verifies from the anchor. Returns how many went.
 * The row lock taken by the anchor update serialises this with appends.
 */
export async function purgeAuditPrefix(db: Executor, cutoffIso: string, maxEvents: number): Promise<{ purged: number; anchorSeq: number }> {
  const chain = await db.selectFrom('audit_chain').select(['anchor_seq', 'seq']).where('id', '=', 1).executeTakeFirst();
  if (!chain) throw new Error('audit chain head missing (run migrations)');
  const anchorSeq = Number(chain.anchor_seq);
  // The first event that must stay: everything before it in chain order may go.
  const keep = await db.selectFrom('audit_events').select((eb) => eb.fn.min('seq').as('seq')).where('seq', '>', anchorSeq).where('at', '>=', cutoffIso).executeTakeFirst();
  const firstKept = keep?.seq === null || keep?.seq === undefined ? Number(chain.seq) + 1 : Number(keep.seq);
  const upTo = Math.min(firstKept - 1, anchorSeq + maxEvents);
  if (upTo <= anchorSeq) return { purged: 0, anchorSeq };
  const last = await db
    .selectFrom('audit_events')
    .select(['seq', 'hash'])
    .where('seq', '>', anchorSeq)
    .where('seq', '<=', upTo)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!last) return { purged: 0, anchorSeq };
  const newAnchor = Number(last.seq);
  // Anchor first: the database triggers (2026-11-24T05-records) let only events at or below the anchor be deleted.
  await db.updateTable('audit_chain').set({ anchor_seq: newAnchor, anchor_hash: last.hash }).where('id', '=', 1).execute();
  const res = await db.deleteFrom('audit_events').where('seq', '>', anchorSeq).where('seq', '<=', newAnchor).executeTakeFirst();
  return { purged: Number(res.numDeletedRows), anchorSeq: newAnchor };
}

/** Delivered outbox messages sent before the cutoff (the event they came from stays). */
export async function purgeSentNotificationMessages(db: Executor, cutoffIso: string): Promise<number> {
  const res = await db.deleteFrom('notification_messages').where('status', '=', 'sent').where('sent_at', '<', cutoffIso).executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** Notification events created before the cutoff, with whatever outbox messages they still have. */
export async function purgeNotificationEvents(db: Executor, cutoffIso: string): Promise<number> {
  await db
    .deleteFrom('notification_messages')
    .where('event_id', 'in', (eb) => eb.selectFrom('notification_events').select('id').where('created_at', '<', cutoffIso))
    .execute();
  const res = await db.deleteFrom('notification_events').where('created_at', '<', cutoffIso).executeTakeFirst();
  return Number(res.numDeletedRows);
}

// ---- operator report (AR 15) -------------------------------------------------

/** Usage FQDNs of the operator that started (start_date) within [fromDate, toDate] (local dates). */
export async function listUsageFqdnsStartedBetween(db: Executor, operatorId: string, fromDate: string, toDate: string) {
  return db
    .selectFrom('usage_fqdns')
    .selectAll()
    .where('operator_id', '=', operatorId)
    .where('start_date', '>=', fromDate)
    .where('start_date', '<=', toDate)
    .orderBy('start_date')
    .orderBy('id')
    .execute();
}

/** Usage FQDNs of the operator that ended (ended_on) within [fromDate, toDate]. */
export async function listUsageFqdnsEndedBetween(db: Executor, operatorId: string, fromDate: string, toDate: string) {
  return db
    .selectFrom('usage_fqdns')
    .selectAll()
    .where('operator_id', '=', operatorId)
    .where('ended_on', '>=', fromDate)
    .where('ended_on', '<=', toDate)
    .orderBy('ended_on')
    .orderBy('id')
    .execute();
}

/** Usage FQDNs of the operator with a termination notice on file that has not taken effect yet. */
export async function reportPendingTerminationNotices(db: Executor, operatorId: string) {
  return db
    .selectFrom('usage_fqdns')
    .selectAll()
    .where('operator_id', '=', operatorId)
    .where('status', '=', 'active')
    .where('termination_notice_at', 'is not', null)
    .orderBy('termination_notice_at')
    .orderBy('id')
    .execute();
}

/** Audit events about the operator's usage FQDNs with one of `actions`, in [fromIso, toIso). */
export async function listUsageFqdnAuditOfOperator(db: Executor, operatorId: string, actions: string[], fromIso: string, toIso: string) {
  if (actions.length === 0) return [];
  return db
    .selectFrom('audit_events as a')
    .innerJoin('usage_fqdns as u', 'u.id', 'a.object_id')
    .select(['a.seq', 'a.at', 'a.actor', 'a.action', 'a.object_id', 'a.details', 'u.fqdn', 'u.subscriber_id'])
    .where('a.object_type', '=', 'usage-fqdn')
    .where('u.operator_id', '=', operatorId)
    .where('a.action', 'in', actions)
    .where('a.at', '>=', fromIso)
    .where('a.at', '<', toIso)
    .orderBy('a.seq')
    .execute();
}

/** Certificates of the operator's subscribers issued in [fromIso, toIso). */
export async function listCertificatesIssuedBetween(db: Executor, operatorId: string, fromIso: string, toIso: string) {
  return db
    .selectFrom('certificates as c')
    .innerJoin('subscribers as s', 's.id', 'c.subscriber_id')
    .select(['c.serial', 'c.subscriber_id', 'c.names', 'c.issued_at', 'c.not_after', 'c.revoked_at', 'c.revocation_reason'])
    .where('s.operator_id', '=', operatorId)
    .where('c.issued_at', '>=', fromIso)
    .where('c.issued_at', '<', toIso)
    .orderBy('c.issued_at')
    .orderBy('c.serial')
    .execute();
}

/** Certificates of the operator's subscribers revoked in [fromIso, toIso). */
export async function listCertificatesRevokedBetween(db: Executor, operatorId: string, fromIso: string, toIso: string) {
  return db
    .selectFrom('certificates as c')
    .innerJoin('subscribers as s', 's.id', 'c.subscriber_id')
    .select(['c.serial', 'c.subscriber_id', 'c.names', 'c.issued_at', 'c.not_after', 'c.revoked_at', 'c.revocation_reason'])
    .where('s.operator_id', '=', operatorId)
    .where('c.revoked_at', '>=', fromIso)
    .where('c.revoked_at', '<', toIso)
    .orderBy('c.revoked_at')
    .orderBy('c.serial')
    .execute();
}

/** Correction notices of the operator still open (AR 16). */
export async function reportOpenCorrectionNotices(db: Executor, operatorId: string) {
  return db.selectFrom('correction_notices').selectAll().where('operator_id', '=', operatorId).where('status', '=', 'open').orderBy('issued_at').orderBy('id').execute();
}

/** Suspensions of the operator in force at `atIso` (started, not lifted, not past their end). */
export async function reportSuspensionsInForce(db: Executor, operatorId: string, atIso: string) {
  return db
    .selectFrom('operator_suspensions')
    .selectAll()
    .where('operator_id', '=', operatorId)
    .where('starts_at', '<=', atIso)
    .where('lifted_at', 'is', null)
    .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', atIso)]))
    .orderBy('starts_at')
    .orderBy('id')
    .execute();
}

/** Hand-over demands to the operator still open (AR 19). */
export async function reportOpenHandoverDemands(db: Executor, operatorId: string) {
  return db.selectFrom('handover_demands').selectAll().where('operator_id', '=', operatorId).where('status', '=', 'open').orderBy('demanded_at').orderBy('id').execute();
}

/** Number of audit events (all of them, purged ones excluded). */
export async function countAuditEvents(db: Executor): Promise<number> {
  const r = await sql<{ n: number | string }>`select count(*) as n from audit_events`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}
