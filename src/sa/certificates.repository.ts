import type { Executor } from './executor.js';
import type { CertificateRow } from './schema.js';

export async function insertCertificate(db: Executor, row: CertificateRow): Promise<void> {
  await db.insertInto('certificates').values(row).execute();
}

export async function getCertificate(db: Executor, serial: string): Promise<CertificateRow | undefined> {
  return db.selectFrom('certificates').selectAll().where('serial', '=', serial).executeTakeFirst();
}

/** Mark revoked once: false when it already was (the caller answers alreadyRevoked). */
export async function revokeCertificate(
  db: Executor,
  serial: string,
  reason: number,
  atIso: string,
): Promise<boolean> {
  const res = await db
    .updateTable('certificates')
    .set({ revoked_at: atIso, revocation_reason: reason })
    .where('serial', '=', serial)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}
