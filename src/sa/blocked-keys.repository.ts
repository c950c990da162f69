import { appendAudit } from './audit.repository.js';
import type { Executor } from './executor.js';
import type { BlockedKeyRow, CertificateRow } from './schema.js';

/** Key compromise (BR §4.9.1.1, §7.2.2): blocked keys and the certificates that share a key. */

export async function getBlockedKey(db: Executor, spkiSha256: string): Promise<BlockedKeyRow | undefined> {
  return db.selectFrom('blocked_keys').selectAll().where('spki_sha256', '=', spkiSha256).executeTakeFirst();
}

/**
 * Block a key with its audit event (call inside the transaction that revokes
 * for it). False when it was already blocked (nothing written): the first
 * block, its date and its source stay.
 */
export async function recordBlockedKey(db: Executor, row: BlockedKeyRow, details: Record<string, unknown> = {}): Promise<boolean> {
  const res = await db.insertInto('blocked_keys').values(row).onConflict((oc) => oc.column('spki_sha256').doNothing()).executeTakeFirst();
  if ((res.numInsertedOrUpdatedRows ?? 0n) === 0n) return false;
  await appendAudit(db, {
    at: row.blocked_at,
    actor: row.actor,
    action: 'key.blocked',
    objectType: 'key',
    objectId: row.spki_sha256,
    details: { reason: row.reason, sourceSerial: row.source_serial, ...details },
  });
  return true;
}

export type CertificateWithOperator = CertificateRow & { operator_id: string | null };

/**
 * Certificates with the key (SPKI SHA-256 hex) that are still unexpired at
 * `nowIso`, revoked or not, with the operator of their subscriber (null for
 * unbound accounts), in serial order.
 */
export async function listUnexpiredCertificatesWithKey(db: Executor, spkiSha256: string, nowIso: string): Promise<CertificateWithOperator[]> {
  return db
    .selectFrom('certificates')
    .leftJoin('subscribers as s', 's.id', 'certificates.subscriber_id')
    .selectAll('certificates')
    .select('s.operator_id')
    .where('certificates.spki_sha256', '=', spkiSha256)
    .where('certificates.not_after', '>', nowIso)
    .orderBy('certificates.serial')
    .execute();
}

/**
 * BR §7.2.2: on evidence of key compromise, change the reason of an existing
 * revocation to keyCompromise (1). The revocation date stays: it is when the
 * certificate stopped being trusted, and a later date would shorten the window
 * relying parties must distrust (BR §7.2 note: backdating to the compromise is
 * what is allowed, never a later date). Compare-and-set with its audit event
 * (call inside a transaction); false when the certificate is not revoked or
 * already has the reason.
 */
export async function recordRevocationReasonChange(
  db: Executor,
  r: { serial: string; reason: number; previousReason: number | null; atIso: string; actor: string; details?: Record<string, unknown> },
): Promise<boolean> {
  let q = db.updateTable('certificates').set({ revocation_reason: r.reason }).where('serial', '=', r.serial).where('revoked_at', 'is not', null);
  q = r.previousReason === null ? q.where('revocation_reason', 'is', null) : q.where('revocation_reason', '=', r.previousReason);
  const res = await q.executeTakeFirst();
  if (res.numUpdatedRows === 0n) return false;
  await appendAudit(db, {
    at: r.atIso,
    actor: r.actor,
    action: 'certificate.revocation-reason-changed',
    objectType: 'certificate',
    objectId: r.serial,
    details: { reason: r.reason, previousReason: r.previousReason, ...(r.details ?? {}) },
  });
  return true;
}
