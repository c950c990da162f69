import { isShomeiError } from '../core/errors.js';
import type { CertificateWithOperator, RevocationJobRow } from '../sa/index.js';
import { KEY_COMPROMISE, revokeAndNotify, revokeForKeyCompromise, type RevocationContext } from './key-compromise.js';
import { selectionOf, type RevocationJobDeps } from './revocation-jobs.js';

/** Certificates per batch transaction. */
export const DEFAULT_REVOCATION_BATCH = 200;

export type BatchOutcome =
  /** A batch was committed; more may follow. */
  | { kind: 'advanced'; revoked: number; skipped: number }
  /** The last batch was committed: the job is done. */
  | { kind: 'done'; revoked: number; skipped: number }
  /** The job moved on under us (another worker, or it was cancelled): nothing written. */
  | { kind: 'lost' };

/** The serials after `cursor` in a sorted list (the job's own list). */
function after(serials: readonly string[], cursor: string | null): readonly string[] {
  if (cursor === null) return serials;
  let lo = 0;
  let hi = serials.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((serials[mid] as string) <= cursor) lo = mid + 1;
    else hi = mid;
  }
  return serials.slice(lo);
}

/**
 * Process the next batch of `job` as it was read: in one transaction, claim
 * the batch (compare-and-set on the cursor), revoke each selected certificate
 * still live (audited with the job id, notified like any revocation; reason 1
 * also blocks its key and revokes the key's other certificates, BR §4.9.1.1,
 * MRSP §6.1.1), count the already revoked or expired ones as skipped, and
 * store the new
 * cursor. A crash anywhere rolls the whole batch back; the next run redoes it.
 */
export async function runRevocationJobBatch(d: RevocationJobDeps, job: RevocationJobRow, batchSize = DEFAULT_REVOCATION_BATCH): Promise<BatchOutcome> {
  const sel = selectionOf(job);
  return d.sa.transaction(async (tx): Promise<BatchOutcome> => {
    const nowIso = d.clock.now().toISOString();
    if (!(await tx.claimRevocationJobBatch(job.id, job.cursor, nowIso))) return { kind: 'lost' };
    let batch: CertificateWithOperator[];
    let serials: string[];
    let done: boolean;
    if (sel.selector === 'serials') {
      const rest = after(sel.serials, job.cursor);
      serials = rest.slice(0, batchSize);
      done = rest.length <= batchSize;
      batch = await tx.listCertificatesWithOperator(serials);
    } else {
      batch = await tx.listRevocationCandidates(sel, job.created_at, job.cursor, batchSize);
      serials = batch.map((c) => c.serial);
      done = batch.length < batchSize;
    }
    const bySerial = new Map(batch.map((c) => [c.serial, c]));
    const c: RevocationContext = { atIso: nowIso, actor: job.created_by, via: 'revocation-job', details: { job: job.id } };
    let revoked = 0;
    let skipped = 0;
    for (const serial of serials) {
      const cert = bySerial.get(serial);
      // Expired, or already revoked: skipped — except that a keyCompromise job still changes the
      // reason of a live revoked certificate and blocks its key (BR §7.2.2; counted as skipped).
      if (!cert || cert.not_after <= nowIso || (cert.revoked_at !== null && job.reason !== KEY_COMPROMISE)) {
        skipped += 1;
        continue;
      }
      // A row read at the start of the batch may have been revoked since by a key-compromise
      // cascade of an earlier certificate: the compare-and-set then reports it, and it is skipped.
      const ok =
        job.reason === KEY_COMPROMISE
          ? (await revokeForKeyCompromise(tx, cert, c, 'admin')).certificate === 'revoked'
          : await revokeAndNotify(tx, cert, job.reason, c, cert.operator_id);
      if (ok) revoked += 1;
      else skipped += 1;
    }
    const cursor = serials.length > 0 ? (serials[serials.length - 1] as string) : job.cursor;
    await tx.advanceRevocationJob(job.id, { cursor, revoked, skipped, done, nowIso });
    if (done) {
      await tx.appendAudit({
        at: nowIso,
        actor: job.created_by,
        action: 'revocation-job.done',
        objectType: 'revocation-job',
        objectId: job.id,
        details: { revoked: job.revoked + revoked, skipped: job.skipped + skipped, total: job.total },
      });
    }
    return { kind: done ? 'done' : 'advanced', revoked, skipped };
  });
}

/**
 * Run job `id` batch after batch until it is done, cancelled, taken over, or
 * `keepGoing` says stop (the runner lost its lease). A batch that fails is
 * noted on the job: a ShomeiError (the job itself is wrong) fails it for
 * good, anything else (the database was away, a bug) leaves it to be retried
 * on the next run. Returns the job as it stands.
 */
export async function runRevocationJob(d: RevocationJobDeps, id: string, o: { batchSize?: number; keepGoing: () => Promise<boolean> }): Promise<RevocationJobRow | undefined> {
  for (;;) {
    const job = await d.sa.repos.getRevocationJob(id);
    if (!job || (job.status !== 'pending' && job.status !== 'running')) return job;
    if (!(await o.keepGoing())) return job;
    let outcome: BatchOutcome;
    try {
      outcome = await runRevocationJobBatch(d, job, o.batchSize);
    } catch (e) {
      const failed = isShomeiError(e);
      d.logger.error({ err: e, revocationJob: id }, 'revocation job batch failed');
      await d.sa.repos.recordRevocationJobError(id, { error: failed ? e.detail : 'internal error; see the log (retried on the next run)', failed, nowIso: d.clock.now().toISOString() });
      return d.sa.repos.getRevocationJob(id);
    }
    if (outcome.kind === 'lost') return d.sa.repos.getRevocationJob(id);
  }
}
