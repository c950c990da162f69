import type { Logger } from 'pino';
import type { Clock } from '../core/clock.js';
import { DEFAULT_REVOCATION_BATCH, runRevocationJob } from '../registry/revocation-job-batches.js';
import type { RevocationJobStatus, StorageAuthority } from '../sa/index.js';
import type { Job } from './job-runner.js';

export const BULK_REVOCATION_JOB = 'bulk-revocation';

/** Unfinished revocation jobs looked at per run (the rest wait for the next tick). */
const JOBS_PER_RUN = 50;

export interface BulkRevocationReport {
  jobs: { id: string; status: RevocationJobStatus; total: number | null; revoked: number; skipped: number; error: string | null }[];
  /** True when the lease was lost and the run stopped early. */
  stopped: boolean;
}

/**
 * Admin bulk revocations (BR §5.7.1.2; SPEC §7): every pending or running job,
 * oldest first, batch after batch (`batchSize` certificates per transaction,
 * in serial order, the cursor committed with each batch). The lease is renewed
 * before each batch; a runner that lost it stops, and one that died simply
 * leaves the job where its last batch committed, for the next runner. The
 * batch's compare-and-set on the cursor keeps even two runners past the lease
 * from revoking anything twice. `only` restricts the run to one job (the CLI).
 */
export function bulkRevocationJob(deps: { sa: StorageAuthority; clock: Clock; logger: Logger }, o: { batchSize?: number; only?: string } = {}): Job {
  const batchSize = o.batchSize ?? DEFAULT_REVOCATION_BATCH;
  return {
    name: BULK_REVOCATION_JOB,
    async run(ctx): Promise<BulkRevocationReport> {
      const report: BulkRevocationReport = { jobs: [], stopped: false };
      const ids = o.only !== undefined ? [o.only] : (await deps.sa.repos.listUnfinishedRevocationJobs(JOBS_PER_RUN)).map((j) => j.id);
      for (const id of ids) {
        let lost = false;
        const keepGoing = async () => {
          lost = !(await ctx.renewLease());
          return !lost;
        };
        const job = await runRevocationJob(deps, id, { batchSize, keepGoing });
        if (job) report.jobs.push({ id, status: job.status, total: job.total, revoked: job.revoked, skipped: job.skipped, error: job.error });
        if (lost) {
          report.stopped = true;
          break;
        }
      }
      return report;
    },
  };
}
