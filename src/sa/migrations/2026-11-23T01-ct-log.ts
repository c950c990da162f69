import type { Kysely } from 'kysely';

/**
 * The built-in RFC 6962 logs (src/ct/log/): one head row per log (tree size,
 * right-edge frontier, latest signed tree head), the entries in sequence
 * order, and the hashes of complete subtrees (level ≥ 1) for O(log n) proofs.
 * Hashes are lower-case hex; binary structures base64; millisecond
 * timestamps decimal strings (they exceed 32-bit integers).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ct_logs')
    .addColumn('name', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('tree_size', 'integer', (c) => c.notNull())
    .addColumn('frontier', 'text', (c) => c.notNull())
    .addColumn('root_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('sth_tree_size', 'integer')
    .addColumn('sth_timestamp', 'varchar(20)')
    .addColumn('sth_root_hash', 'varchar(64)')
    .addColumn('sth_signature', 'text')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('ct_log_entries')
    .addColumn('log_name', 'varchar(64)', (c) => c.notNull().references('ct_logs.name'))
    .addColumn('idx', 'integer', (c) => c.notNull())
    .addColumn('leaf_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('cert_sha256', 'varchar(64)', (c) => c.notNull())
    .addColumn('entry_type', 'integer', (c) => c.notNull())
    .addColumn('timestamp', 'varchar(20)', (c) => c.notNull())
    .addColumn('leaf_input', 'text', (c) => c.notNull())
    .addColumn('extra_data', 'text', (c) => c.notNull())
    .addColumn('sct_signature', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addPrimaryKeyConstraint('ct_log_entries_pk', ['log_name', 'idx'])
    .execute();
  await db.schema.createIndex('ct_log_entries_leaf').unique().on('ct_log_entries').columns(['log_name', 'leaf_hash']).execute();
  await db.schema.createIndex('ct_log_entries_cert').unique().on('ct_log_entries').columns(['log_name', 'cert_sha256']).execute();

  await db.schema
    .createTable('ct_log_nodes')
    .addColumn('log_name', 'varchar(64)', (c) => c.notNull().references('ct_logs.name'))
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('idx', 'integer', (c) => c.notNull())
    .addColumn('hash', 'varchar(64)', (c) => c.notNull())
    .addPrimaryKeyConstraint('ct_log_nodes_pk', ['log_name', 'level', 'idx'])
    .execute();
}
