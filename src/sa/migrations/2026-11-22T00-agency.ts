import type { Kysely } from 'kysely';

/**
 * The agency channel (SPEC §3–§5, §9): operators and their API keys, admin
 * tokens, subscribers, EAB credentials bound to subscribers, usage FQDNs with
 * their applications and consent records, the certificates that cover them,
 * fee lines and payments, notification events, job leases and progress.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('operators')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('representative', 'text', (c) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('contacts', 'text', (c) => c.notNull())
    .addColumn('acme_handling', 'integer', (c) => c.notNull())
    .addColumn('domain_designated', 'integer', (c) => c.notNull())
    .addColumn('ca_desk', 'integer', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('designated_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('operator_api_keys')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('operator_id', 'varchar(32)', (c) => c.notNull().references('operators.id'))
    .addColumn('label', 'text')
    .addColumn('secret_sha256', 'varchar(64)', (c) => c.notNull())
    .addColumn('allowed_cidrs', 'text', (c) => c.notNull())
    .addColumn('client_cert_sha256', 'varchar(64)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'varchar(32)')
    .execute();
  await db.schema.createIndex('operator_api_keys_operator').on('operator_api_keys').column('operator_id').execute();

  await db.schema
    .createTable('admin_tokens')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(128)', (c) => c.notNull())
    .addColumn('secret_sha256', 'varchar(64)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'varchar(32)')
    .execute();

  await db.schema
    .createTable('subscribers')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('operator_id', 'varchar(32)', (c) => c.notNull().references('operators.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('emails', 'text', (c) => c.notNull())
    .addColumn('phone', 'text')
    .addColumn('external_ref', 'text')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('subscribers_operator').on('subscribers').columns(['operator_id', 'created_at', 'id']).execute();

  await db.schema.alterTable('certificates').addColumn('subscriber_id', 'varchar(32)').execute();
  await db.schema.createIndex('certificates_subscriber').on('certificates').columns(['subscriber_id', 'issued_at']).execute();

  await db.schema.alterTable('eab_keys').addColumn('subscriber_id', 'varchar(32)').execute();
  await db.schema.alterTable('eab_keys').addColumn('compromised_at', 'varchar(32)').execute();
  await db.schema.createIndex('eab_keys_subscriber').on('eab_keys').column('subscriber_id').execute();

  await db.schema
    .createTable('usage_fqdns')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('subscriber_id', 'varchar(32)', (c) => c.notNull().references('subscribers.id'))
    .addColumn('operator_id', 'varchar(32)', (c) => c.notNull().references('operators.id'))
    .addColumn('fqdn', 'varchar(255)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('period', 'varchar(4)', (c) => c.notNull())
    .addColumn('continuation_period', 'varchar(4)', (c) => c.notNull())
    .addColumn('applied_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('start_date', 'varchar(10)')
    .addColumn('expiry_date', 'varchar(10)')
    .addColumn('termination_notice_at', 'varchar(32)')
    .addColumn('termination_notice_by', 'text')
    .addColumn('ended_on', 'varchar(10)')
    .addColumn('end_reason', 'text')
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('usage_fqdns_subscriber').on('usage_fqdns').columns(['subscriber_id', 'fqdn']).execute();
  await db.schema.createIndex('usage_fqdns_operator').on('usage_fqdns').columns(['operator_id', 'applied_at', 'id']).execute();
  await db.schema.createIndex('usage_fqdns_expiry').on('usage_fqdns').columns(['status', 'expiry_date']).execute();

  await db.schema
    .createTable('consent_records')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('subscriber_id', 'varchar(32)', (c) => c.notNull().references('subscribers.id'))
    .addColumn('operator_id', 'varchar(32)', (c) => c.notNull().references('operators.id'))
    .addColumn('terms_version', 'text', (c) => c.notNull())
    .addColumn('cps_version', 'text', (c) => c.notNull())
    .addColumn('ct_disclosure_version', 'text', (c) => c.notNull())
    .addColumn('agreed_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('confirmation_method', 'varchar(32)', (c) => c.notNull())
    .addColumn('confirmation_reference', 'text')
    .addColumn('recorded_at', 'varchar(32)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('fqdn_applications')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('operator_id', 'varchar(32)', (c) => c.notNull().references('operators.id'))
    .addColumn('subscriber_id', 'varchar(32)', (c) => c.notNull().references('subscribers.id'))
    .addColumn('fqdn_input', 'text', (c) => c.notNull())
    .addColumn('fqdn', 'varchar(255)')
    .addColumn('period', 'varchar(4)', (c) => c.notNull())
    .addColumn('decision', 'varchar(16)', (c) => c.notNull())
    .addColumn('reasons', 'text', (c) => c.notNull())
    .addColumn('usage_fqdn_id', 'varchar(32)')
    .addColumn('consent_id', 'varchar(32)', (c) => c.notNull().references('consent_records.id'))
    .addColumn('decided_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('fqdn_applications_operator').on('fqdn_applications').columns(['operator_id', 'decided_at']).execute();

  await db.schema
    .createTable('certificate_usage_fqdns')
    .addColumn('serial', 'varchar(64)', (c) => c.notNull().references('certificates.serial'))
    .addColumn('usage_fqdn_id', 'varchar(32)', (c) => c.notNull().references('usage_fqdns.id'))
    .addPrimaryKeyConstraint('certificate_usage_fqdns_pk', ['serial', 'usage_fqdn_id'])
    .execute();
  await db.schema.createIndex('certificate_usage_fqdns_fqdn').on('certificate_usage_fqdns').column('usage_fqdn_id').execute();

  await db.schema
    .createTable('fee_lines')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('operator_id', 'varchar(32)', (c) => c.notNull().references('operators.id'))
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('usage_fqdn_id', 'varchar(32)')
    .addColumn('subscriber_id', 'varchar(32)')
    .addColumn('fqdn', 'varchar(255)')
    .addColumn('period', 'varchar(4)')
    .addColumn('period_start', 'varchar(10)')
    .addColumn('period_end', 'varchar(10)')
    .addColumn('accrual_date', 'varchar(10)', (c) => c.notNull())
    .addColumn('unit_price', 'integer', (c) => c.notNull())
    .addColumn('tax_rate_percent', 'integer', (c) => c.notNull())
    .addColumn('tax', 'integer', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('currency', 'varchar(3)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('fee_lines_operator').on('fee_lines').columns(['operator_id', 'accrual_date']).execute();
  // A period is charged once, however often the job or the issuance that starts it runs.
  await db.schema.createIndex('fee_lines_period').on('fee_lines').columns(['usage_fqdn_id', 'period_start']).unique().execute();

  await db.schema
    .createTable('payments')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('operator_id', 'varchar(32)', (c) => c.notNull().references('operators.id'))
    .addColumn('amount', 'integer', (c) => c.notNull())
    .addColumn('currency', 'varchar(3)', (c) => c.notNull())
    .addColumn('received_on', 'varchar(10)', (c) => c.notNull())
    .addColumn('reference', 'text')
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('payments_operator').on('payments').columns(['operator_id', 'received_on']).execute();

  await db.schema
    .createTable('notification_events')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('kind', 'varchar(64)', (c) => c.notNull())
    .addColumn('operator_id', 'varchar(32)')
    .addColumn('subscriber_id', 'varchar(32)')
    .addColumn('subject_type', 'varchar(32)', (c) => c.notNull())
    .addColumn('subject_id', 'varchar(128)', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('notification_events_operator').on('notification_events').columns(['operator_id', 'created_at']).execute();

  await db.schema
    .createTable('job_leases')
    .addColumn('name', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('holder', 'varchar(64)', (c) => c.notNull())
    .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('job_progress')
    .addColumn('name', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('last_completed', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
}
