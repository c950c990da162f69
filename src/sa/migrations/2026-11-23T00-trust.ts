import type { Kysely } from 'kysely';

/**
 * The trust pipeline (issue 4): the serial ledger of the issuance cycle
 * (precertificate → SCTs → certificate), issuer and CRL shard of every
 * certificate, blocked keys, bulk-revocation jobs, CRL shards, and the
 * certificate an order replaces (ARI, RFC 9773 §5).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Certificates issued before this migration have no CRL DP; they keep null
  // and are listed on shard 0 of their issuer when revoked.
  await db.schema.alterTable('certificates').addColumn('issuer_key_id', 'varchar(64)').execute();
  await db.schema.alterTable('certificates').addColumn('crl_shard', 'integer').execute();
  await db.schema.createIndex('certificates_crl').on('certificates').columns(['issuer_key_id', 'crl_shard', 'revoked_at']).execute();
  // (certificates by subscriber: the agency migration's `certificates_subscriber` (subscriber_id, issued_at) serves it.)

  await db.schema.alterTable('orders').addColumn('replaces', 'varchar(160)').execute();
  await db.schema.createIndex('orders_replaces').on('orders').column('replaces').execute();

  // Every serial is written here before anything is signed with it, so a
  // serial is never reused, and an interrupted issuance can be found.
  await db.schema
    .createTable('serials')
    .addColumn('serial', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('order_id', 'varchar(32)', (c) => c.notNull().references('orders.id'))
    .addColumn('account_id', 'varchar(32)', (c) => c.notNull().references('accounts.id'))
    .addColumn('issuer_key_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('crl_shard', 'integer', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('precert_der', 'text')
    .addColumn('scts', 'text')
    .addColumn('error', 'text')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('serials_order').on('serials').column('order_id').execute();

  await db.schema
    .createTable('blocked_keys')
    .addColumn('spki_sha256', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('reason', 'varchar(32)', (c) => c.notNull())
    .addColumn('source_serial', 'varchar(64)')
    .addColumn('blocked_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('revocation_jobs')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('selector', 'varchar(16)', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('reason', 'integer', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('total', 'integer')
    .addColumn('revoked', 'integer', (c) => c.notNull())
    .addColumn('skipped', 'integer', (c) => c.notNull())
    .addColumn('cursor', 'text')
    .addColumn('error', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('finished_at', 'varchar(32)')
    .execute();

  await db.schema
    .createTable('crl_shards')
    .addColumn('issuer_key_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('shard', 'integer', (c) => c.notNull())
    // Decimal string: CRL numbers may exceed 2^53 (BR §7.2.2: up to 20 octets).
    .addColumn('crl_number', 'varchar(48)', (c) => c.notNull())
    .addColumn('this_update', 'varchar(32)', (c) => c.notNull())
    .addColumn('next_update', 'varchar(32)', (c) => c.notNull())
    .addColumn('der', 'text', (c) => c.notNull())
    .addColumn('entries', 'integer', (c) => c.notNull())
    .addColumn('generated_at', 'varchar(32)', (c) => c.notNull())
    .addPrimaryKeyConstraint('crl_shards_pk', ['issuer_key_id', 'shard'])
    .execute();
}
