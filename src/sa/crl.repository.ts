import { appendAudit } from './audit.repository.js';
import type { Executor } from './executor.js';
import type { CrlShardRow } from './schema.js';

/** What a CRL entry is made of (BR §7.2.2: serial, revocationDate, reasonCode). */
export interface RevokedCertificateForCrl {
  serial: string;
  revoked_at: string;
  revocation_reason: number;
  not_after: string;
}

/**
 * Revoked certificates of one issuer and shard whose notAfter is later than
 * `notAfterAfterIso`. Shard 0 also holds the issuer's certificates without a
 * recorded shard (issued before CRL DPs existed).
 */
export async function listRevokedForCrlShard(
  db: Executor,
  q: { issuerKeyId: string; shard: number; notAfterAfterIso: string },
): Promise<RevokedCertificateForCrl[]> {
  const rows = await db
    .selectFrom('certificates')
    .select(['serial', 'revoked_at', 'revocation_reason', 'not_after'])
    .where('issuer_key_id', '=', q.issuerKeyId)
    .where((eb) => (q.shard === 0 ? eb.or([eb('crl_shard', '=', 0), eb('crl_shard', 'is', null)]) : eb('crl_shard', '=', q.shard)))
    .where('revoked_at', 'is not', null)
    .where('not_after', '>', q.notAfterAfterIso)
    .execute();
  return rows.map((r) => ({ serial: r.serial, revoked_at: r.revoked_at ?? '', revocation_reason: r.revocation_reason ?? 0, not_after: r.not_after }));
}

/**
 * Revoked certificates with no recorded issuer (stored before
 * `issuer_key_id` existed), notAfter later than `notAfterAfterIso`, with
 * their DER: the caller attributes them to an issuer by their AKI.
 */
export async function listRevokedWithoutIssuer(db: Executor, notAfterAfterIso: string): Promise<(RevokedCertificateForCrl & { der: string })[]> {
  const rows = await db
    .selectFrom('certificates')
    .select(['serial', 'revoked_at', 'revocation_reason', 'not_after', 'der'])
    .where('issuer_key_id', 'is', null)
    .where('revoked_at', 'is not', null)
    .where('not_after', '>', notAfterAfterIso)
    .execute();
  return rows.map((r) => ({ serial: r.serial, revoked_at: r.revoked_at ?? '', revocation_reason: r.revocation_reason ?? 0, not_after: r.not_after, der: r.der }));
}

export async function getCrlShard(db: Executor, issuerKeyId: string, shard: number): Promise<CrlShardRow | undefined> {
  return db.selectFrom('crl_shards').selectAll().where('issuer_key_id', '=', issuerKeyId).where('shard', '=', shard).executeTakeFirst();
}

/** The shard numbers that have a CRL for `issuerKeyId`. */
export async function listCrlShardNumbers(db: Executor, issuerKeyId: string): Promise<number[]> {
  const rows = await db.selectFrom('crl_shards').select('shard').where('issuer_key_id', '=', issuerKeyId).orderBy('shard').execute();
  return rows.map((r) => r.shard);
}

/** The listener's lookup: the CRL of `shard` of the issuer whose key id starts with `issuerIdPrefix` (16 lower-case hex). */
export async function findCrlShardByIssuerPrefix(db: Executor, issuerIdPrefix: string, shard: number): Promise<CrlShardRow | undefined> {
  // Checked here too: the prefix goes into a LIKE pattern.
  if (!/^[0-9a-f]{16}$/.test(issuerIdPrefix)) return undefined;
  return db
    .selectFrom('crl_shards')
    .selectAll()
    .where('issuer_key_id', 'like', `${issuerIdPrefix}%`)
    .where('shard', '=', shard)
    .orderBy('issuer_key_id')
    .executeTakeFirst();
}

/**
 * Publish a shard's new CRL with its audit event (call inside a transaction).
 * Compare-and-set on the CRL number the caller built on (`previousCrlNumber`,
 * null = no row yet): when another instance published in between, nothing
 * is written and the answer is false — so a CRL built on stale state, whose
 * number may be lower than the one now published, is never stored.
 */
export async function recordCrlPublication(db: Executor, row: CrlShardRow, previousCrlNumber: string | null, actor: string): Promise<boolean> {
  let stored: boolean;
  if (previousCrlNumber === null) {
    const res = await db
      .insertInto('crl_shards')
      .values(row)
      .onConflict((oc) => oc.columns(['issuer_key_id', 'shard']).doNothing())
      .executeTakeFirst();
    stored = (res.numInsertedOrUpdatedRows ?? 0n) > 0n;
  } else {
    const res = await db
      .updateTable('crl_shards')
      .set({
        crl_number: row.crl_number,
        this_update: row.this_update,
        next_update: row.next_update,
        der: row.der,
        entries: row.entries,
        generated_at: row.generated_at,
        content_sha256: row.content_sha256,
      })
      .where('issuer_key_id', '=', row.issuer_key_id)
      .where('shard', '=', row.shard)
      .where('crl_number', '=', previousCrlNumber)
      .executeTakeFirst();
    stored = res.numUpdatedRows > 0n;
  }
  if (!stored) return false;
  // BR §5.4.1: every CRL is logged.
  await appendAudit(db, {
    at: row.generated_at,
    actor,
    action: 'crl.published',
    objectType: 'crl_shard',
    objectId: `${row.issuer_key_id}/${row.shard}`,
    details: { issuer: row.issuer_key_id, shard: row.shard, crlNumber: row.crl_number, entries: row.entries, thisUpdate: row.this_update, nextUpdate: row.next_update },
  });
  return true;
}
