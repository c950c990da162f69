import { Argument, type Command } from 'commander';
import { JobRunner, type RunOutcome } from '../jobs/job-runner.js';
import { USAGE_LIFECYCLE_JOB } from '../jobs/usage-lifecycle-job.js';
import { BULK_REVOCATION_JOB } from '../jobs/bulk-revocation-job.js';
import { TERMINATION_JOB } from '../jobs/termination-job.js';
import { RETENTION_JOB } from '../jobs/retention-job.js';
import { GOVERNANCE_JOB } from '../jobs/governance-job.js';
import { NOTIFICATION_DELIVERY_JOB } from '../jobs/notification-delivery-job.js';
import { registryJobs } from '../jobs/registry-jobs.js';
import type { DayReport } from '../registry/usage-lifecycle.js';
import { print, printJson, withRegistry, type CliKit } from './registry-session.js';

const JOB_NAMES = [TERMINATION_JOB, USAGE_LIFECYCLE_JOB, GOVERNANCE_JOB, BULK_REVOCATION_JOB, RETENTION_JOB, NOTIFICATION_DELIVERY_JOB] as const;

function outcomeText(o: RunOutcome): string[] {
  if (!o.ran) return [`${o.job}: not run — another runner holds its lease (it is running elsewhere right now)`];
  if (o.job === USAGE_LIFECYCLE_JOB && Array.isArray(o.result)) {
    const days = o.result as DayReport[];
    if (days.length === 0) return [`${o.job}: ran; no day left to process`];
    return [`${o.job}: ran; ${days.length} day(s) processed`, ...days.map((d) => `  ${d.day}: continued ${d.continued}, ended ${d.ended}, certificates revoked ${d.revoked}`)];
  }
  return [`${o.job}: ran; ${JSON.stringify(o.result)}`];
}

/** `shomei jobs run`: run scheduled work once now, under the same database lease as the scheduler. */
export function registerJobsCommands<O extends object>(program: Command, kit: CliKit<O>): void {
  const { common } = kit;
  const cfg = (o: object) => kit.configFrom(o as O);
  const jobs = program.command('jobs').description('scheduled work (normally run by `shomei start`)');

  common(jobs.command('run'))
    .description(
      'run a job once now (all jobs when none is named) and print the outcome; it takes the job lease first, so it never runs alongside a running scheduler — if the lease is held it reports "not run" and exits 0',
    )
    .addArgument(new Argument('[job]', 'job to run').choices(JOB_NAMES))
    .option('--json', 'print the outcomes as a JSON array')
    .action(async (name: string | undefined, o: { json?: boolean }) => {
      await withRegistry(cfg(o), async ({ config, registry, sa, clock, logger }) => {
        const runner = new JobRunner(
          { sa, clock, logger, intervalSeconds: config.jobs.intervalSeconds, leaseSeconds: config.jobs.leaseSeconds },
          registryJobs({ registry, sa, clock, logger, config }),
        );
        const outcomes = name === undefined ? await runner.runAll() : [await runner.run(name)];
        if (o.json === true) return printJson(outcomes);
        print(outcomes.flatMap(outcomeText));
      });
    });
}
