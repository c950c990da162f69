import { autoSuspendOverdue, notifyEndingSoon, notifySuspensionEnds, notifySuspensionStarts } from '../registry/governance-duties.js';
import type { RegistryDeps } from '../registry/types.js';
import type { Job } from './job-runner.js';

export const GOVERNANCE_JOB = 'governance';

export interface GovernanceReport {
  /** Suspensions imposed for overdue correction notices (`governance.autoSuspend`). */
  suspended: string[];
  /** `operator.suspension-started` sent for suspensions whose start came. */
  startsNotified: number;
  /** `operator.suspension-ended` sent for suspensions whose end passed. */
  endsNotified: number;
  /** `usage-fqdn.ending-soon` sent. */
  endingSoon: number;
}

/**
 * Operator governance on the scheduler (SPEC §8, §10; AR 16): suspend
 * operators whose correction period ran out (when configured), announce
 * suspensions beginning and ending, and warn of usage FQDNs ending soon.
 * Every step is idempotent.
 */
export function governanceJob(deps: RegistryDeps): Job {
  return {
    name: GOVERNANCE_JOB,
    async run(ctx): Promise<GovernanceReport> {
      const suspended = await autoSuspendOverdue(deps);
      if (!(await ctx.renewLease())) return { suspended, startsNotified: 0, endsNotified: 0, endingSoon: 0 };
      const startsNotified = await notifySuspensionStarts(deps);
      const endsNotified = await notifySuspensionEnds(deps);
      if (!(await ctx.renewLease())) return { suspended, startsNotified, endsNotified, endingSoon: 0 };
      const endingSoon = await notifyEndingSoon(deps);
      return { suspended, startsNotified, endsNotified, endingSoon };
    },
  };
}
