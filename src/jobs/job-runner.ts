import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Clock } from '../core/clock.js';
import { randomId } from '../core/ids.js';
import type { StorageAuthority } from '../sa/index.js';

/** What a job gets: a way to keep its lease while it works. */
export interface JobContext {
  /** Extend the lease; false when it was lost (another runner took over) — stop then. */
  renewLease(): Promise<boolean>;
}

export interface Job {
  name: string;
  run(ctx: JobContext): Promise<unknown>;
}

export interface JobRunnerDeps {
  sa: StorageAuthority;
  clock: Clock;
  logger: Logger;
  intervalSeconds: number;
  leaseSeconds: number;
}

export type RunOutcome = { job: string; ran: true; result: unknown } | { job: string; ran: false; reason: 'lease-held' };

/**
 * Runs scheduled jobs (DESIGN: jobs/): each wakes every `intervalSeconds`,
 * takes its lease in the database first — so with several instances on one
 * database exactly one runs a job at a time — and releases it when done. A
 * runner that dies leaves a lease that simply expires. Jobs are idempotent and
 * catch up by themselves, so a missed or doubled tick does no harm.
 */
export class JobRunner {
  readonly holder = `${hostname()}:${process.pid}:${randomId(6)}`;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;
  /** Jobs this runner is running now: the lease cannot tell its own runs apart (same holder). */
  readonly #inFlight = new Set<string>();

  constructor(
    private readonly deps: JobRunnerDeps,
    private readonly jobs: readonly Job[],
  ) {}

  start(): void {
    if (this.#timer) return;
    const tick = () => {
      if (this.#running) return;
      this.#running = this.runAll()
        .catch((err: unknown) => this.deps.logger.error({ err }, 'scheduled jobs failed'))
        .finally(() => (this.#running = undefined));
    };
    this.#timer = setInterval(tick, this.deps.intervalSeconds * 1000);
    this.#timer.unref();
    setImmediate(tick);
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  /** Run every job once now (each only if its lease can be taken). */
  async runAll(): Promise<RunOutcome[]> {
    const out: RunOutcome[] = [];
    for (const j of this.jobs) out.push(await this.run(j.name));
    return out;
  }

  /** Run one job now, under its lease. */
  async run(name: string): Promise<RunOutcome> {
    const job = this.jobs.find((j) => j.name === name);
    if (!job) throw new Error(`unknown job ${name}`);
    const { sa, clock, leaseSeconds } = this.deps;
    const acquire = () => {
      const now = clock.now();
      return sa.repos.tryAcquireJobLease(name, this.holder, now.toISOString(), new Date(now.getTime() + leaseSeconds * 1000).toISOString());
    };
    // A second call while this runner runs the job (timer tick + admin API) would
    // "renew" its own lease and run alongside, then release the lease under the first.
    if (this.#inFlight.has(name)) return { job: name, ran: false, reason: 'lease-held' };
    this.#inFlight.add(name);
    try {
      if (!(await acquire())) return { job: name, ran: false, reason: 'lease-held' };
      try {
        const result = await job.run({ renewLease: acquire });
        this.deps.logger.info({ job: name, result }, 'job finished');
        return { job: name, ran: true, result };
      } finally {
        await sa.repos.releaseJobLease(name, this.holder);
      }
    } finally {
      this.#inFlight.delete(name);
    }
  }

  get jobNames(): string[] {
    return this.jobs.map((j) => j.name);
  }
}
