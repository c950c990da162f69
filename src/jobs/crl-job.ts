import type { Clock } from '../core/clock.js';
import type { CrlRunReport, RegenerateOptions } from '../crl/generator.js';
import type { StorageAuthority } from '../sa/index.js';
import type { Job } from './job-runner.js';

export const CRL_JOB = 'crl';

export type CrlJobResult = { ran: false; nextRunAt: string } | ({ ran: true } & CrlRunReport);

/**
 * BR §4.9.7: re-sign CRL shards that changed (within 24 h of a revocation;
 * here within `crl.regenerateSeconds`) or grew old. The runner wakes more
 * often (`jobs.intervalSeconds`); the time of the last run is kept in
 * `job_progress`, so across instances and restarts the shards are looked at
 * at most every `regenerateSeconds`. The runner's lease keeps two instances
 * from running it at once (publication is compare-and-set anyway).
 */
export function crlJob(deps: {
  regenerate: (opts: RegenerateOptions) => Promise<CrlRunReport>;
  sa: StorageAuthority;
  clock: Clock;
  /** Read at every run (`crl.regenerateSeconds`). */
  config: { crl: { regenerateSeconds: number } };
}): Job {
  return {
    name: CRL_JOB,
    async run(ctx): Promise<CrlJobResult> {
      const started = deps.clock.now();
      const last = await deps.sa.repos.getJobProgress(CRL_JOB);
      const due = last === undefined ? started : new Date(new Date(last).getTime() + deps.config.crl.regenerateSeconds * 1000);
      if (due.getTime() > started.getTime()) return { ran: false, nextRunAt: due.toISOString() };
      const report = await deps.regenerate({ renewLease: () => ctx.renewLease() });
      await deps.sa.repos.setJobProgress(CRL_JOB, started.toISOString(), deps.clock.now().toISOString());
      return { ran: true, ...report };
    },
  };
}
