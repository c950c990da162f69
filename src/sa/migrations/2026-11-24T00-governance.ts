import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import { AUDIT_GENESIS_HASH, auditEventHash, channelOfActor } from '../audit-chain.js';

/**
 * Governance (SPEC §8, §10, §11): the hash-chained audit trail, the
 * notification outbox, operator correction notices, suspensions, contact
 * attempts, terminations and hand-over demands, maintenance windows and
 * versioned policy documents.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await chainAuditEvents(db);

  await db.schema
    .createTable('notification_messages')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('event_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('kind', 'varchar(64)', (c) => c.notNull())
    .addColumn('recipient', 'varchar(320)', (c) => c.notNull())
    .addColumn('recipient_role', 'varchar(16)', (c) => c.notNull())
    .addColumn('locale', 'varchar(8)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('subject', 'text')
    .addColumn('smtp_message_id', 'text')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('sent_at', 'varchar(32)')
    .execute();
  await db.schema.createIndex('notification_messages_due').on('notification_messages').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('notification_messages_event').on('notification_messages').column('event_id').execute();

  await db.schema
    .createTable('operator_contact_attempts')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('operator_id', 'varchar(32)', (c) => c.notNull().references('operators.id'))
    .addColumn('attempted_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('method', 'varchar(16)', (c) => c.notNull())
    .addColumn('outcome', 'varchar(16)', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('operator_contact_attempts_op').on('operator_contact_attempts').columns(['operator_id', 'attempted_at']).execute();

  await db.schema
    .createTable('correction_notices')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('operator_id', 'varchar(32)', (c) => c.notNull().references('operators.id'))
    .addColumn('ground', 'varchar(32)', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('correction_days', 'integer', (c) => c.notNull())
    .addColumn('deadline', 'varchar(32)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('resolved_at', 'varchar(32)')
    .addColumn('resolved_by', 'text')
    .addColumn('resolution_note', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('correction_notices_op').on('correction_notices').columns(['operator_id', 'status']).execute();

  await db.schema
    .createTable('operator_suspensions')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('operator_id', 'varchar(32)', (c) => c.notNull().references('operators.id'))
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('notice_id', 'varchar(32)')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('ends_at', 'varchar(32)')
    .addColumn('lifted_at', 'varchar(32)')
    .addColumn('lifted_by', 'text')
    .addColumn('lift_note', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('start_notified_at', 'varchar(32)')
    .addColumn('end_notified_at', 'varchar(32)')
    .execute();
  await db.schema.createIndex('operator_suspensions_op').on('operator_suspensions').columns(['operator_id', 'starts_at']).execute();

  await db.schema
    .createTable('operator_terminations')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('operator_id', 'varchar(32)', (c) => c.notNull().references('operators.id'))
    .addColumn('effective_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('successor_operator_id', 'varchar(32)')
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('transferred_at', 'varchar(32)')
    .addColumn('transferred_to', 'varchar(32)')
    .addColumn('transfer_summary', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('operator_terminations_op').on('operator_terminations').column('operator_id').unique().execute();

  await db.schema
    .createTable('handover_demands')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('operator_id', 'varchar(32)', (c) => c.notNull().references('operators.id'))
    .addColumn('termination_id', 'varchar(32)')
    .addColumn('demanded_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('deadline', 'varchar(10)', (c) => c.notNull())
    .addColumn('items', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('fulfilled_at', 'varchar(32)')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('handover_demands_op').on('handover_demands').column('operator_id').execute();

  await db.schema
    .createTable('maintenance_windows')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('ends_at', 'varchar(32)')
    .addColumn('cancelled_at', 'varchar(32)')
    .addColumn('ended_at', 'varchar(32)')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('maintenance_windows_start').on('maintenance_windows').column('starts_at').execute();

  await db.schema
    .createTable('policy_documents')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('version', 'varchar(64)', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('sha256', 'varchar(64)')
    .addColumn('effective_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('published_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('published_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('policy_documents_kind_version').on('policy_documents').columns(['kind', 'version']).unique().execute();

  await db.schema.alterTable('usage_fqdns').addColumn('ending_soon_notified_for', 'varchar(10)').execute();
  await db.schema.alterTable('accounts').addColumn('terms_version', 'varchar(64)').execute();
  void dialect;
}

/** Add the chain columns to audit_events, chain the events already there (id order) and store the head. */
async function chainAuditEvents(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('audit_events').addColumn('seq', 'integer').execute();
  await db.schema.alterTable('audit_events').addColumn('channel', 'varchar(16)').execute();
  await db.schema.alterTable('audit_events').addColumn('prev_hash', 'varchar(64)').execute();
  await db.schema.alterTable('audit_events').addColumn('hash', 'varchar(64)').execute();
  const rows = (
    await sql<{ id: number | string; at: string; actor: string; action: string; object_type: string; object_id: string; details: string }>`
      select id, at, actor, action, object_type, object_id, details from audit_events order by id`.execute(db)
  ).rows;
  let prev = AUDIT_GENESIS_HASH;
  let seq = 0;
  for (const r of rows) {
    seq += 1;
    const channel = channelOfActor(r.actor);
    const hash = auditEventHash(prev, { seq, at: r.at, actor: r.actor, channel, action: r.action, object_type: r.object_type, object_id: r.object_id, details: r.details });
    await sql`update audit_events set seq = ${seq}, channel = ${channel}, prev_hash = ${prev}, hash = ${hash} where id = ${r.id}`.execute(db);
    prev = hash;
  }
  await db.schema.createIndex('audit_events_seq').on('audit_events').column('seq').unique().execute();
  await db.schema.createIndex('audit_events_at').on('audit_events').column('at').execute();
  await db.schema
    .createTable('audit_chain')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('head_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('anchor_seq', 'integer', (c) => c.notNull())
    .addColumn('anchor_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await sql`insert into audit_chain (id, seq, head_hash, anchor_seq, anchor_hash, updated_at)
            values (1, ${seq}, ${prev}, 0, ${AUDIT_GENESIS_HASH}, ${new Date().toISOString()})`.execute(db);
}
