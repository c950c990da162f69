import { localDateOf } from '../core/calendar.js';
import type { Clock } from '../core/clock.js';
import type { Registry } from '../registry/registry.js';
import type { TerminationRunReport } from '../registry/transfers.js';
import type { Job } from './job-runner.js';

export const TERMINATION_JOB = 'termination';

/**
 * AR 19 / AT 7: apply every contract termination whose effective instant has
 * come — hand the departed operator's live usage FQDNs, subscribers and
 * certificates to the successor or the CA's own reseller desk — and mark
 * hand-over demands whose deadline passed unfulfilled as lapsed. Idempotent
 * (compare-and-set on the termination's status); runs before the
 * usage-lifecycle job in the runner so a continuation on the effective day is
 * billed to the new managing operator.
 */
export function terminationJob(deps: { registry: Registry; clock: Clock; timeZone: string }): Job {
  return {
    name: TERMINATION_JOB,
    async run(): Promise<TerminationRunReport & { lapsedDemands: number }> {
      const report = await deps.registry.applyDueTerminations();
      const lapsedDemands = await deps.registry.lapseHandoverDemands(localDateOf(deps.clock.now(), deps.timeZone));
      return { ...report, lapsedDemands };
    },
  };
}
