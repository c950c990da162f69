import type { Kysely } from 'kysely';

/**
 * CRL publication (src/crl/): each shard row remembers a digest of what its
 * current CRL was built from (shard URL + the revoked, unexpired
 * certificates with revocation date and reason). The generator compares it
 * with the database to find shards that changed — also through revocations
 * backdated to a key compromise (BR §7.2 note) or committed while the shard
 * was being signed, which a "revoked since the last generation" timestamp
 * test would miss. Null = unknown: the shard is regenerated.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('crl_shards').addColumn('content_sha256', 'varchar(64)').execute();
}
