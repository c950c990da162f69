import { readFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { ShomeiError } from '../core/errors.js';
import { JobRunner, type RunOutcome } from '../jobs/job-runner.js';
import { BULK_REVOCATION_JOB, bulkRevocationJob } from '../jobs/bulk-revocation-job.js';
import { DEFAULT_REVOCATION_BATCH } from '../registry/revocation-job-batches.js';
import { cancelRevocationJob, createRevocationJob, getRevocationJob, listRevocationJobs, type RevocationJobView } from '../registry/revocation-jobs.js';
import { actorFrom, print, printJson, table, withActor, withRegistry, type ActorOptions, type CliKit, type RegistrySession } from './registry-session.js';

interface BulkOptions extends ActorOptions {
  serialsFile?: string;
  usageFqdn?: string;
  subscriber?: string;
  operator?: string;
  issuer?: string;
  reason: number;
  note?: string;
  batchSize?: number;
  wait: boolean;
  json?: boolean;
}

function integer(value: string): number {
  if (!/^-?\d+$/.test(value.trim())) throw new InvalidArgumentError('expected an integer');
  return Number(value);
}

function positive(value: string): number {
  const n = integer(value);
  if (n < 1 || n > 10_000) throw new InvalidArgumentError('expected 1…10000');
  return n;
}

/** One serial per line (hex, colons allowed); blank lines and `#` comments ignored. */
export function readSerialsFile(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ShomeiError('malformed', `cannot read ${path}: ${(e as Error).message}`);
  }
  return text
    .split(/\r?\n/)
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter((l) => l !== '');
}

/** The job request the flags describe: exactly one selector. */
function jobInput(o: BulkOptions): Record<string, unknown> {
  const chosen: [string, Record<string, unknown>][] = [];
  if (o.serialsFile !== undefined) chosen.push(['--serials-file', { selector: 'serials', serials: readSerialsFile(o.serialsFile) }]);
  if (o.usageFqdn !== undefined) chosen.push(['--usage-fqdn', { selector: 'usage_fqdn', id: o.usageFqdn }]);
  if (o.subscriber !== undefined) chosen.push(['--subscriber', { selector: 'subscriber', id: o.subscriber }]);
  if (o.operator !== undefined) chosen.push(['--operator', { selector: 'operator', id: o.operator }]);
  if (o.issuer !== undefined) chosen.push(['--issuer', { selector: 'issuer', id: o.issuer }]);
  if (chosen.length !== 1) {
    throw new ShomeiError('malformed', `give exactly one of --serials-file, --usage-fqdn, --subscriber, --operator, --issuer${chosen.length > 1 ? ` (got ${chosen.map((c) => c[0]).join(', ')})` : ''}`);
  }
  const [, sel] = chosen[0] as [string, Record<string, unknown>];
  return { ...sel, reason: o.reason, ...(o.note !== undefined ? { note: o.note } : {}) };
}

function jobText(j: RevocationJobView): string[] {
  const pct = j.progress === null ? '-' : `${Math.floor(j.progress * 100)}%`;
  return [
    `revocation job ${j.id}: ${j.status} — revoked ${j.revoked}, skipped ${j.skipped} of ${j.total ?? '?'} (${pct})`,
    `  selector: ${j.selector} ${j.targetId ?? `(${j.serialCount ?? 0} serials)`}, reason ${j.reason}${j.note === null ? '' : `, note: ${j.note}`}`,
    `  created by ${j.createdBy} at ${j.createdAt}${j.finishedAt === null ? '' : `, finished at ${j.finishedAt}`}`,
    ...(j.error === null ? [] : [`  last error: ${j.error}`]),
  ];
}

/** Process job `id` now, under the same lease as the scheduler's bulk-revocation job. */
async function runNow(s: RegistrySession, id: string, batchSize: number | undefined): Promise<RunOutcome> {
  const { config, sa, clock, logger } = s;
  const runner = new JobRunner(
    { sa, clock, logger, intervalSeconds: config.jobs.intervalSeconds, leaseSeconds: config.jobs.leaseSeconds },
    [bulkRevocationJob({ sa, clock, logger }, { only: id, ...(batchSize !== undefined ? { batchSize } : {}) })],
  );
  return runner.run(BULK_REVOCATION_JOB);
}

async function report(s: RegistrySession, id: string, outcome: RunOutcome | undefined, json: boolean | undefined): Promise<void> {
  const view = await getRevocationJob(s.registry.deps, id);
  if (json === true) return printJson(view);
  const lines = jobText(view);
  if (outcome !== undefined && !outcome.ran) lines.push(`  not processed now: another runner holds the ${BULK_REVOCATION_JOB} lease and works through pending jobs — follow it with \`shomei revoke job ${id} --no-run\``);
  print(lines);
}

/** `shomei revoke …`: CA-staff bulk revocation (BR §5.7.1.2), the command-line twin of /admin/v1/revocation-jobs. */
export function registerRevokeCommands<O extends object>(program: Command, kit: CliKit<O>): void {
  const { common } = kit;
  const cfg = (o: object) => kit.configFrom(o as O);
  const revoke = program.command('revoke').description('bulk revocation of certificates by CA staff (SPEC §7, BR §4.9.1.1, §5.7.1.2)');

  withActor(common(revoke.command('bulk')))
    .description(
      'revoke a set of certificates as the CA: creates a revocation job and processes it here in batches (resumable: if interrupted, `shomei revoke job <id>` or the scheduler continues where the last batch committed). Already revoked or expired certificates are skipped. Reason 1 (keyCompromise) also blocks each key and revokes every other certificate with it.',
    )
    .option('--serials-file <file>', 'file with one hex serial per line (# comments allowed), at most 10000')
    .option('--usage-fqdn <id>', 'every certificate covering this usage FQDN (fq_…)')
    .option('--subscriber <id>', 'every certificate of this subscriber (sub_…)')
    .option('--operator <id>', "every certificate of this operator's subscribers (op_…)")
    .option('--issuer <hex>', 'every certificate issued by the CA with this key identifier (hex subjectKeyIdentifier)')
    .requiredOption('--reason <code>', 'RFC 5280 reason code: 0 unspecified, 1 keyCompromise, 3 affiliationChanged, 4 superseded, 5 cessationOfOperation, 9 privilegeWithdrawn', integer)
    .option('--note <text>', 'why (kept with the job and in the audit trail)')
    .option('--batch-size <n>', `certificates per transaction (default ${DEFAULT_REVOCATION_BATCH})`, positive)
    .option('--no-wait', 'only create the job; the scheduler of `shomei start` processes it')
    .option('--json', 'print the job as JSON')
    .action(async (o: BulkOptions) => {
      await withRegistry(cfg(o), async (s) => {
        const job = await createRevocationJob(s.registry.deps, jobInput(o), actorFrom(o));
        const outcome = o.wait ? await runNow(s, job.id, o.batchSize) : undefined;
        await report(s, job.id, outcome, o.json);
      });
    });

  common(revoke.command('job'))
    .description('show a revocation job and, if it is unfinished, process its remaining batches now (under the scheduler lease)')
    .argument('<id>', 'job id (rj_…)')
    .option('--no-run', 'only show it')
    .option('--batch-size <n>', `certificates per transaction (default ${DEFAULT_REVOCATION_BATCH})`, positive)
    .option('--json', 'print the job as JSON')
    .action(async (id: string, o: { run: boolean; batchSize?: number; json?: boolean }) => {
      await withRegistry(cfg(o), async (s) => {
        const before = await getRevocationJob(s.registry.deps, id);
        const unfinished = before.status === 'pending' || before.status === 'running';
        const outcome = o.run && unfinished ? await runNow(s, id, o.batchSize) : undefined;
        await report(s, id, outcome, o.json);
      });
    });

  withActor(common(revoke.command('cancel')))
    .description('stop a pending or running revocation job; what it already revoked stays revoked')
    .argument('<id>', 'job id (rj_…)')
    .option('--json', 'print the job as JSON')
    .action(async (id: string, o: ActorOptions & { json?: boolean }) => {
      await withRegistry(cfg(o), async (s) => {
        const view = await cancelRevocationJob(s.registry.deps, id, actorFrom(o));
        if (o.json === true) return printJson(view);
        print(jobText(view));
      });
    });

  common(revoke.command('jobs'))
    .description('list revocation jobs, oldest first')
    .option('--json', 'print the list as JSON')
    .action(async (o: { json?: boolean }) => {
      await withRegistry(cfg(o), async (s) => {
        const all: RevocationJobView[] = [];
        let cursor: string | undefined;
        do {
          const page = await listRevocationJobs(s.registry.deps, { cursor, limit: 500 });
          all.push(...page.items);
          cursor = page.next ?? undefined;
        } while (cursor !== undefined);
        if (o.json === true) return printJson(all);
        print(table(['JOB', 'STATUS', 'SELECTOR', 'REASON', 'REVOKED', 'SKIPPED', 'TOTAL', 'CREATED'], all.map((j) => [j.id, j.status, `${j.selector} ${j.targetId ?? `(${j.serialCount ?? 0})`}`, String(j.reason), String(j.revoked), String(j.skipped), String(j.total ?? '-'), j.createdAt])));
      });
    });
}
