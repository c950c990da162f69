import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.js';

/** Foundation schema: used nonces, EAB keys, accounts, orders, authorizations, challenges, certificates, audit. */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('used_nonces')
    .addColumn('value', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('used_nonces_expires').on('used_nonces').column('expires_at').execute();

  await db.schema
    .createTable('eab_keys')
    .addColumn('kid', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('hmac_key_sealed', 'text', (c) => c.notNull())
    .addColumn('label', 'text')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('revoked_at', 'varchar(32)')
    .execute();

  await db.schema
    .createTable('accounts')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('jwk_thumbprint', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('jwk', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('contact', 'text', (c) => c.notNull())
    .addColumn('tos_agreed', 'integer', (c) => c.notNull())
    .addColumn('eab_kid', 'varchar(64)', (c) => c.references('eab_keys.kid'))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('accounts_eab_kid').on('accounts').column('eab_kid').execute();

  await db.schema
    .createTable('orders')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('account_id', 'varchar(32)', (c) => c.notNull().references('accounts.id'))
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('identifiers', 'text', (c) => c.notNull())
    .addColumn('not_before', 'varchar(32)')
    .addColumn('not_after', 'varchar(32)')
    .addColumn('error', 'text')
    .addColumn('certificate_serial', 'varchar(64)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('orders_account_created').on('orders').columns(['account_id', 'created_at', 'id']).execute();

  await db.schema
    .createTable('authorizations')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('account_id', 'varchar(32)', (c) => c.notNull().references('accounts.id'))
    .addColumn('identifier', 'varchar(255)', (c) => c.notNull())
    .addColumn('wildcard', 'integer', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('validated_at', 'varchar(32)')
    .addColumn('validated_method', 'varchar(16)')
    .execute();
  await db.schema
    .createIndex('authorizations_reuse')
    .on('authorizations')
    .columns(['account_id', 'identifier', 'wildcard', 'status', 'expires_at'])
    .execute();

  await db.schema
    .createTable('order_authorizations')
    .addColumn('order_id', 'varchar(32)', (c) => c.notNull().references('orders.id'))
    .addColumn('authz_id', 'varchar(32)', (c) => c.notNull().references('authorizations.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('order_authorizations_pk', ['order_id', 'authz_id'])
    .execute();
  await db.schema.createIndex('order_authorizations_authz').on('order_authorizations').column('authz_id').execute();

  await db.schema
    .createTable('challenges')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('authz_id', 'varchar(32)', (c) => c.notNull().references('authorizations.id'))
    .addColumn('type', 'varchar(16)', (c) => c.notNull())
    .addColumn('token', 'varchar(64)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('processing_since', 'varchar(32)')
    .addColumn('validated_at', 'varchar(32)')
    .addColumn('error', 'text')
    .addColumn('records', 'text')
    .execute();
  await db.schema.createIndex('challenges_authz').on('challenges').column('authz_id').execute();

  await db.schema
    .createTable('certificates')
    .addColumn('serial', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('account_id', 'varchar(32)', (c) => c.notNull().references('accounts.id'))
    .addColumn('order_id', 'varchar(32)', (c) => c.notNull().references('orders.id'))
    .addColumn('der', 'text', (c) => c.notNull())
    .addColumn('names', 'text', (c) => c.notNull())
    .addColumn('spki_sha256', 'varchar(64)', (c) => c.notNull())
    .addColumn('issued_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('not_before', 'varchar(32)', (c) => c.notNull())
    .addColumn('not_after', 'varchar(32)', (c) => c.notNull())
    .addColumn('revoked_at', 'varchar(32)')
    .addColumn('revocation_reason', 'integer')
    .execute();
  await db.schema.createIndex('certificates_spki').on('certificates').column('spki_sha256').execute();

  const idType = dialect === 'postgres' ? sql`bigserial` : sql`integer`;
  await db.schema
    .createTable('audit_events')
    .addColumn('id', idType, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('at', 'varchar(32)', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'varchar(64)', (c) => c.notNull())
    .addColumn('object_type', 'varchar(32)', (c) => c.notNull())
    .addColumn('object_id', 'varchar(128)', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .execute();
}
