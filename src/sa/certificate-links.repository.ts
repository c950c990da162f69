import type { Executor } from './executor.js';
import type { CertificateRow } from './schema.js';

/** Record which usage FQDNs a certificate covers (SPEC §5.2–§5.4). */
export async function linkCertificateUsageFqdns(db: Executor, serial: string, usageFqdnIds: string[]): Promise<void> {
  if (usageFqdnIds.length === 0) return;
  await db
    .insertInto('certificate_usage_fqdns')
    .values(usageFqdnIds.map((id) => ({ serial, usage_fqdn_id: id })))
    .execute();
}

export async function listCertificatesOfUsageFqdn(db: Executor, usageFqdnId: string): Promise<CertificateRow[]> {
  return db
    .selectFrom('certificates')
    .innerJoin('certificate_usage_fqdns as l', 'l.serial', 'certificates.serial')
    .selectAll('certificates')
    .where('l.usage_fqdn_id', '=', usageFqdnId)
    .orderBy('certificates.issued_at')
    .execute();
}

/** Certificates covering the usage FQDN that are neither revoked nor expired at `nowIso`. */
export async function listLiveCertificatesOfUsageFqdn(db: Executor, usageFqdnId: string, nowIso: string): Promise<CertificateRow[]> {
  return db
    .selectFrom('certificates')
    .innerJoin('certificate_usage_fqdns as l', 'l.serial', 'certificates.serial')
    .selectAll('certificates')
    .where('l.usage_fqdn_id', '=', usageFqdnId)
    .where('certificates.revoked_at', 'is', null)
    .where('certificates.not_after', '>', nowIso)
    .orderBy('certificates.issued_at')
    .execute();
}

export interface ManagedCertificateFilter {
  operatorId?: string | undefined;
  subscriberId?: string | undefined;
  usageFqdnId?: string | undefined;
  after?: { issuedAt: string; serial: string } | undefined;
  limit: number;
}

export type ManagedCertificateRow = CertificateRow & { operator_id: string };

/** Certificates of subscribers (optionally of one operator / subscriber / usage FQDN), in issuance order, keyset-paged. */
export async function listManagedCertificates(db: Executor, f: ManagedCertificateFilter): Promise<ManagedCertificateRow[]> {
  let q = db
    .selectFrom('certificates')
    .innerJoin('subscribers as s', 's.id', 'certificates.subscriber_id')
    .selectAll('certificates')
    .select('s.operator_id');
  if (f.operatorId !== undefined) q = q.where('s.operator_id', '=', f.operatorId);
  if (f.subscriberId !== undefined) q = q.where('certificates.subscriber_id', '=', f.subscriberId);
  if (f.usageFqdnId !== undefined) {
    const id = f.usageFqdnId;
    q = q.where('certificates.serial', 'in', (eb) => eb.selectFrom('certificate_usage_fqdns').select('serial').where('usage_fqdn_id', '=', id));
  }
  if (f.after !== undefined) {
    const a = f.after;
    q = q.where((eb) =>
      eb.or([eb('certificates.issued_at', '>', a.issuedAt), eb.and([eb('certificates.issued_at', '=', a.issuedAt), eb('certificates.serial', '>', a.serial)])]),
    );
  }
  return q.orderBy('certificates.issued_at').orderBy('certificates.serial').limit(f.limit).execute();
}

/** One subscriber certificate with its operator, or undefined. */
export async function getManagedCertificate(db: Executor, serial: string): Promise<ManagedCertificateRow | undefined> {
  return db
    .selectFrom('certificates')
    .innerJoin('subscribers as s', 's.id', 'certificates.subscriber_id')
    .selectAll('certificates')
    .select('s.operator_id')
    .where('certificates.serial', '=', serial)
    .executeTakeFirst();
}

export async function listUsageFqdnIdsOfCertificate(db: Executor, serial: string): Promise<string[]> {
  const rows = await db.selectFrom('certificate_usage_fqdns').select('usage_fqdn_id').where('serial', '=', serial).execute();
  return rows.map((r) => r.usage_fqdn_id);
}
