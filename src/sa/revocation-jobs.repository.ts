import type { CertificateWithOperator } from './blocked-keys.repository.js';
import type { Executor } from './executor.js';
import type { RevocationJobRow, RevocationJobStatus } from './schema.js';

/**
 * Admin bulk revocation jobs (BR §5.7.1.2 mass revocation; SPEC §7). A job
 * selects certificates by a selector and walks them in serial order; `cursor`
 * is the last serial handled, advanced in the transaction that revokes the
 * batch, so a crash resumes after the last committed batch and nothing is
 * revoked twice.
 */

/** What a job revokes: its own list of serials, or every certificate of a usage FQDN / subscriber / operator / issuing CA. */
export type RevocationSelection =
  | { selector: 'serials'; serials: readonly string[] }
  | { selector: 'usage_fqdn' | 'subscriber' | 'operator' | 'issuer'; id: string };

export type ByOwnerSelection = Exclude<RevocationSelection, { selector: 'serials' }>;

const UNFINISHED: RevocationJobStatus[] = ['pending', 'running'];
/** Serials per `in (…)` list: far below SQLite's and PostgreSQL's bound-parameter limits. */
const IN_LIST = 500;

export async function insertRevocationJob(db: Executor, row: RevocationJobRow): Promise<void> {
  await db.insertInto('revocation_jobs').values(row).execute();
}

export async function getRevocationJob(db: Executor, id: string): Promise<RevocationJobRow | undefined> {
  return db.selectFrom('revocation_jobs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Jobs in creation order, keyset-paged. */
export async function listRevocationJobs(db: Executor, f: { after?: { createdAt: string; id: string } | undefined; limit: number }): Promise<RevocationJobRow[]> {
  let q = db.selectFrom('revocation_jobs').selectAll();
  if (f.after !== undefined) {
    const a = f.after;
    q = q.where((eb) => eb.or([eb('created_at', '>', a.createdAt), eb.and([eb('created_at', '=', a.createdAt), eb('id', '>', a.id)])]));
  }
  return q.orderBy('created_at').orderBy('id').limit(f.limit).execute();
}

/** Pending and running jobs, oldest first. */
export async function listUnfinishedRevocationJobs(db: Executor, limit: number): Promise<RevocationJobRow[]> {
  return db.selectFrom('revocation_jobs').selectAll().where('status', 'in', UNFINISHED).orderBy('created_at').orderBy('id').limit(limit).execute();
}

/**
 * Take the next batch of job `id`: compare-and-set on its status (still
 * pending or running) and on `cursor` (still where this worker read it). The
 * first statement of the batch transaction, so on PostgreSQL it also locks the
 * row until the batch commits; a second worker on the same batch then finds
 * the cursor moved and gets false.
 */
export async function claimRevocationJobBatch(db: Executor, id: string, cursor: string | null, nowIso: string): Promise<boolean> {
  let q = db.updateTable('revocation_jobs').set({ status: 'running', updated_at: nowIso }).where('id', '=', id).where('status', 'in', UNFINISHED);
  q = cursor === null ? q.where('cursor', 'is', null) : q.where('cursor', '=', cursor);
  const res = await q.executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

/** Record a handled batch (in the transaction that claimed it): new cursor, counters, done or not. */
export async function advanceRevocationJob(
  db: Executor,
  id: string,
  p: { cursor: string | null; revoked: number; skipped: number; done: boolean; nowIso: string },
): Promise<void> {
  await db
    .updateTable('revocation_jobs')
    .set((eb) => ({
      cursor: p.cursor,
      revoked: eb('revoked', '+', p.revoked),
      skipped: eb('skipped', '+', p.skipped),
      status: p.done ? 'done' : 'running',
      error: null,
      updated_at: p.nowIso,
      finished_at: p.done ? p.nowIso : null,
    }))
    .where('id', '=', id)
    .execute();
}

/** Note a failed batch on an unfinished job: `failed` ends it, otherwise it stays to be retried. */
export async function recordRevocationJobError(db: Executor, id: string, p: { error: string; failed: boolean; nowIso: string }): Promise<boolean> {
  const res = await db
    .updateTable('revocation_jobs')
    .set({ error: p.error, updated_at: p.nowIso, ...(p.failed ? { status: 'failed' as const, finished_at: p.nowIso } : {}) })
    .where('id', '=', id)
    .where('status', 'in', UNFINISHED)
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

/** Stop an unfinished job; false when it had already finished. Batches already committed stay. */
export async function cancelRevocationJob(db: Executor, id: string, nowIso: string): Promise<boolean> {
  const res = await db
    .updateTable('revocation_jobs')
    .set({ status: 'cancelled', updated_at: nowIso, finished_at: nowIso })
    .where('id', '=', id)
    .where('status', 'in', UNFINISHED)
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

function ownerQuery(db: Executor, sel: ByOwnerSelection, issuedUpToIso: string) {
  let q = db
    .selectFrom('certificates')
    .leftJoin('subscribers as s', 's.id', 'certificates.subscriber_id')
    // Certificates issued after the job was created are not part of it: the set, and so `total`, is fixed.
    .where('certificates.issued_at', '<=', issuedUpToIso);
  switch (sel.selector) {
    case 'usage_fqdn':
      q = q.where('certificates.serial', 'in', (eb) => eb.selectFrom('certificate_usage_fqdns').select('serial').where('usage_fqdn_id', '=', sel.id));
      break;
    case 'subscriber':
      q = q.where('certificates.subscriber_id', '=', sel.id);
      break;
    case 'operator':
      q = q.where('s.operator_id', '=', sel.id);
      break;
    case 'issuer':
      q = q.where('certificates.issuer_key_id', '=', sel.id);
      break;
  }
  return q;
}

/** The next `limit` certificates of the selection after serial `afterSerial`, in serial order. */
export async function listRevocationCandidates(db: Executor, sel: ByOwnerSelection, issuedUpToIso: string, afterSerial: string | null, limit: number): Promise<CertificateWithOperator[]> {
  let q = ownerQuery(db, sel, issuedUpToIso).selectAll('certificates').select('s.operator_id');
  if (afterSerial !== null) q = q.where('certificates.serial', '>', afterSerial);
  return q.orderBy('certificates.serial').limit(limit).execute();
}

export async function countRevocationCandidates(db: Executor, sel: ByOwnerSelection, issuedUpToIso: string): Promise<number> {
  const row = await ownerQuery(db, sel, issuedUpToIso).select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The certificates with these serials (any order of input), with their operator. */
export async function listCertificatesWithOperator(db: Executor, serials: readonly string[]): Promise<CertificateWithOperator[]> {
  const out: CertificateWithOperator[] = [];
  for (let i = 0; i < serials.length; i += IN_LIST) {
    const chunk = serials.slice(i, i + IN_LIST);
    out.push(
      ...(await db
        .selectFrom('certificates')
        .leftJoin('subscribers as s', 's.id', 'certificates.subscriber_id')
        .selectAll('certificates')
        .select('s.operator_id')
        .where('certificates.serial', 'in', chunk)
        .execute()),
    );
  }
  return out;
}

/** Which of `serials` name stored certificates. */
export async function findKnownSerials(db: Executor, serials: readonly string[]): Promise<Set<string>> {
  const known = new Set<string>();
  for (let i = 0; i < serials.length; i += IN_LIST) {
    const rows = await db.selectFrom('certificates').select('serial').where('serial', 'in', serials.slice(i, i + IN_LIST)).execute();
    for (const r of rows) known.add(r.serial);
  }
  return known;
}

/** True when some stored certificate was issued by the CA with this key id (hex subjectKeyIdentifier). */
export async function isKnownIssuerKeyId(db: Executor, issuerKeyId: string): Promise<boolean> {
  const row = await db.selectFrom('certificates').select('serial').where('issuer_key_id', '=', issuerKeyId).limit(1).executeTakeFirst();
  return row !== undefined;
}
