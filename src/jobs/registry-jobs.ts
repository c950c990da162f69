import type { Logger } from 'pino';
import type { Clock } from '../core/clock.js';
import type { Config } from '../config/schema.js';
import type { Registry } from '../registry/registry.js';
import type { StorageAuthority } from '../sa/index.js';
import { bulkRevocationJob } from './bulk-revocation-job.js';
import { governanceJob } from './governance-job.js';
import type { Job } from './job-runner.js';
import { notificationDeliveryJob } from './notification-delivery-job.js';
import { retentionJob } from './retention-job.js';
import { terminationJob } from './termination-job.js';
import { usageLifecycleJob } from './usage-lifecycle-job.js';

/**
 * The scheduled jobs that need only the database and the registry, in the
 * order one scheduler tick runs them: terminations first (a continuation on
 * the effective day bills the operator that took over), then the day
 * boundaries, operator governance, bulk revocations, retention, and last the
 * delivery of every notice the others wrote. `shomei start` adds the CRL job.
 */
export function registryJobs(d: { registry: Registry; sa: StorageAuthority; clock: Clock; logger: Logger; config: Config }): Job[] {
  const { registry, sa, clock, logger, config } = d;
  return [
    terminationJob({ registry, clock, timeZone: config.timeZone }),
    usageLifecycleJob({ registry, sa, clock, timeZone: config.timeZone }),
    governanceJob(registry.deps),
    bulkRevocationJob({ sa, clock, logger }),
    retentionJob({ sa, clock, config }),
    notificationDeliveryJob({ sa, clock, logger, config }),
  ];
}
