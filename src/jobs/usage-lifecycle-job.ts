import { addLocalDays, localDateOf } from '../core/calendar.js';
import type { Clock } from '../core/clock.js';
import type { DayReport } from '../registry/usage-lifecycle.js';
import type { Registry } from '../registry/registry.js';
import type { StorageAuthority } from '../sa/index.js';
import type { Job } from './job-runner.js';

export const USAGE_LIFECYCLE_JOB = 'usage-lifecycle';

/**
 * SPEC §5.3–§5.4 day boundaries: continue or end usage FQDNs whose expiry
 * date has passed. Progress is the last local date fully processed; after
 * downtime every missed day is processed in order, one at a time, before
 * today. The first run processes today only.
 */
export function usageLifecycleJob(deps: { registry: Registry; sa: StorageAuthority; clock: Clock; timeZone: string }): Job {
  return {
    name: USAGE_LIFECYCLE_JOB,
    async run(ctx): Promise<DayReport[]> {
      const today = localDateOf(deps.clock.now(), deps.timeZone);
      const last = await deps.sa.repos.getJobProgress(USAGE_LIFECYCLE_JOB);
      let day = last === undefined ? today : addLocalDays(last, 1);
      if (day > today) day = today;
      const reports: DayReport[] = [];
      for (; day <= today; day = addLocalDays(day, 1)) {
        if (!(await ctx.renewLease())) break;
        reports.push(await deps.registry.processUsageDay(day));
        await deps.sa.repos.setJobProgress(USAGE_LIFECYCLE_JOB, day, deps.clock.now().toISOString());
      }
      return reports;
    },
  };
}
