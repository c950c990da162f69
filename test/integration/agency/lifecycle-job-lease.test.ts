// Scheduled day-boundary work with several runners (SPEC §5.3, DESIGN jobs/):
// the database lease lets exactly one runner work at a time, a dead runner's
// lease is taken over once it runs out, a runner that loses its lease stops,
// and even runners racing past the lease never continue a period twice.
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { AgencyFixture, type OperatorHandle } from '../../support/agency-fixture.js';
import { createLogger } from '../../../src/core/logger.js';
import { JobRunner, type Job, type RunOutcome } from '../../../src/jobs/job-runner.js';
import { USAGE_LIFECYCLE_JOB, usageLifecycleJob } from '../../../src/jobs/usage-lifecycle-job.js';
import { Registry } from '../../../src/registry/registry.js';
import type { DayReport } from '../../../src/registry/usage-lifecycle.js';
import { openDatabase, StorageAuthority } from '../../../src/sa/index.js';
import { account, issue } from '../../support/agency-acme.js';

const JOB = USAGE_LIFECYCLE_JOB;
const logger = createLogger('silent');

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const continuedIn = (o: RunOutcome) => (o.ran ? (o.result as DayReport[]).reduce((s, r) => s + r.continued, 0) : 0);

describe('Usage-lifecycle job under several runners', () => {
  let f: AgencyFixture;
  let op: OperatorHandle;
  const ids: string[] = [];
  /** A second "instance" on the same database: its own pool on PostgreSQL; on SQLite the same handle (one process, one writer). */
  let sa2: StorageAuthority;
  let ownSa2 = false;
  before(async () => {
    f = await AgencyFixture.start(); // 2026-11-21 in Tokyo
    op = await f.designateOperator();
    const sub = await f.createSubscriber(op);
    const names: string[] = [];
    for (let i = 1; i <= 5; i++) {
      ids.push(await f.apply(op, sub, `lease${i}.test`, '1m'));
      names.push(`lease${i}.test`);
    }
    await issue(f, await account(f, await f.issueEab(op, sub)), names); // all start 2026-11-21, expiry 2026-12-31
    assert.equal((await f.runLifecycle()).ran, true); // progress: 2026-11-21
    if (f.shomei.inst.sa.dialect === 'postgres') {
      sa2 = new StorageAuthority(openDatabase(f.shomei.inst.config.database.url, { poolSize: 4 }));
      ownSa2 = true;
    } else {
      sa2 = f.shomei.inst.sa;
    }
  });
  after(async () => {
    if (ownSa2) await sa2.close();
    await f.close();
  });

  const repos = () => f.shomei.inst.sa.repos;
  const deps = (sa: StorageAuthority) => ({ sa, clock: f.clock, logger, intervalSeconds: 60, leaseSeconds: f.shomei.inst.config.jobs.leaseSeconds });
  const registryOn = (sa: StorageAuthority) => new Registry({ config: f.shomei.inst.config, clock: f.clock, sa, box: f.shomei.inst.box, logger });
  const lifecycleJob = (sa: StorageAuthority): Job => usageLifecycleJob({ registry: registryOn(sa), sa, clock: f.clock, timeZone: f.shomei.inst.config.timeZone });
  /** Fee lines per usage FQDN starting on `periodStart`. */
  const linesStarting = async (periodStart: string) =>
    Promise.all(ids.map(async (id) => (await repos().listFeeLinesOfUsageFqdn(id)).filter((l) => l.period_start === periodStart).length));
  const continuedEvents = async () =>
    ((await f.admin.get(`/notification-events?kind=usage-fqdn.continued&operatorId=${op.id}`)).json().items as { subjectId: string; payload: { periodStart: string } }[]);

  test('while one runner holds the lease every other runner gets lease-held (another instance, the built-in runner, the admin API)', async () => {
    f.clock.set('2026-12-31T15:00:00Z'); // 2027-01-01 in Tokyo: all five are due
    const entered = deferred();
    const gate = deferred();
    const real = lifecycleJob(f.shomei.inst.sa);
    const slow: Job = { name: JOB, run: async (ctx) => (entered.resolve(), await gate.promise, real.run(ctx)) };
    const a = new JobRunner(deps(f.shomei.inst.sa), [slow]);
    const b = new JobRunner(deps(sa2), [lifecycleJob(sa2)]);
    const pa = a.run(JOB);
    await entered.promise;
    assert.deepEqual(await b.run(JOB), { job: JOB, ran: false, reason: 'lease-held' });
    assert.deepEqual(await f.runLifecycle(), { job: JOB, ran: false, reason: 'lease-held' });
    const viaApi = await f.admin.post(`/jobs/${JOB}/run`, {});
    assert.equal(viaApi.status, 200, viaApi.text);
    assert.deepEqual(viaApi.json(), { job: JOB, ran: false, reason: 'lease-held' });
    gate.resolve();
    const outA = await pa;
    assert.equal(outA.ran, true);
    assert.deepEqual((outA as { result: DayReport[] }).result.at(-1), { day: '2027-01-01', continued: 5, ended: 0, revoked: 0 });
    // Released: the next runner runs, and finds nothing left to do.
    const outB = await b.run(JOB);
    assert.equal(outB.ran, true);
    assert.equal(continuedIn(outB), 0);
    assert.deepEqual(await linesStarting('2027-01-01'), [1, 1, 1, 1, 1]);
    assert.equal((await continuedEvents()).length, 5);
  });

  test('one runner asked twice at once (its timer tick and the admin API) runs the job once at a time', async () => {
    const entered = deferred();
    const gate = deferred();
    let running = 0;
    let maxRunning = 0;
    const job: Job = {
      name: JOB,
      run: async () => {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        entered.resolve();
        await gate.promise;
        running -= 1;
        return 'done';
      },
    };
    const r = new JobRunner(deps(f.shomei.inst.sa), [job]);
    const first = r.run(JOB);
    await entered.promise;
    const second = r.run(JOB);
    // Let the second call take its decision before the first finishes.
    for (let i = 0; i < 50; i++) await new Promise((res) => setImmediate(res));
    gate.resolve();
    assert.deepEqual(await first, { job: JOB, ran: true, result: 'done' });
    assert.deepEqual(await second, { job: JOB, ran: false, reason: 'lease-held' });
    assert.equal(maxRunning, 1);
    // The lease was released once the only run finished.
    assert.deepEqual(await new JobRunner(deps(sa2), [job]).run(JOB), { job: JOB, ran: true, result: 'done' });
  });

  test("a dead runner's lease blocks until it expires, then it is taken over (and the dead runner cannot renew it)", async () => {
    f.clock.set('2027-01-10T03:00:00Z');
    const t0 = f.clock.now();
    const leaseMs = f.shomei.inst.config.jobs.leaseSeconds * 1000;
    assert.equal(await repos().tryAcquireJobLease(JOB, 'dead-runner', t0.toISOString(), new Date(t0.getTime() + leaseMs).toISOString()), true);
    const entered = deferred();
    const gate = deferred();
    const real = lifecycleJob(f.shomei.inst.sa);
    const r = new JobRunner(deps(f.shomei.inst.sa), [{ name: JOB, run: async (ctx) => (entered.resolve(), await gate.promise, real.run(ctx)) }]);
    assert.deepEqual(await r.run(JOB), { job: JOB, ran: false, reason: 'lease-held' });
    f.clock.advance(leaseMs - 1000);
    assert.deepEqual(await r.run(JOB), { job: JOB, ran: false, reason: 'lease-held' }, 'still within the lease');
    f.clock.advance(2000);
    const p = r.run(JOB);
    await entered.promise;
    const now = f.clock.now();
    assert.equal(await repos().tryAcquireJobLease(JOB, 'dead-runner', now.toISOString(), new Date(now.getTime() + leaseMs).toISOString()), false, 'taken over');
    gate.resolve();
    const out = await p;
    assert.equal(out.ran, true);
    assert.deepEqual((out as { result: DayReport[] }).result.map((x) => x.day)[0], '2027-01-02');
    assert.deepEqual((out as { result: DayReport[] }).result.at(-1)?.day, '2027-01-10');
    assert.equal(await repos().getJobProgress(JOB), '2027-01-10');
  });

  test('a runner that loses its lease mid-catch-up stops; the next one resumes at the first unprocessed day', async () => {
    f.clock.set('2027-01-20T03:00:00Z');
    const leaseMs = f.shomei.inst.config.jobs.leaseSeconds * 1000;
    const real = lifecycleJob(f.shomei.inst.sa);
    let renewals = 0;
    const losing: Job = {
      name: JOB,
      run: (ctx) =>
        real.run({
          renewLease: async () => {
            renewals += 1;
            if (renewals === 3) {
              // The runner stalled past its lease; another one took the job over.
              f.clock.advance(leaseMs + 1000);
              const now = f.clock.now();
              assert.equal(await repos().tryAcquireJobLease(JOB, 'usurper', now.toISOString(), new Date(now.getTime() + leaseMs).toISOString()), true);
            }
            return ctx.renewLease();
          },
        }),
    };
    const out = await new JobRunner(deps(f.shomei.inst.sa), [losing]).run(JOB);
    assert.equal(out.ran, true);
    assert.deepEqual((out as { result: DayReport[] }).result.map((x) => x.day), ['2027-01-11', '2027-01-12']);
    assert.equal(await repos().getJobProgress(JOB), '2027-01-12');
    // The usurper still holds the lease (its release by the stalled runner must not have removed it).
    assert.deepEqual(await f.runLifecycle(), { job: JOB, ran: false, reason: 'lease-held' });
    await repos().releaseJobLease(JOB, 'usurper');
    const next = await f.runLifecycle();
    assert.equal(next.ran, true);
    assert.deepEqual((next as { result: DayReport[] }).result.map((x) => x.day)[0], '2027-01-13');
  });

  test('two instances start the job at the same moment: one period is continued and charged exactly once', async () => {
    f.clock.set('2027-01-31T15:00:00Z'); // 2027-02-01 in Tokyo
    const a = new JobRunner(deps(f.shomei.inst.sa), [lifecycleJob(f.shomei.inst.sa)]);
    const b = new JobRunner(deps(sa2), [lifecycleJob(sa2)]);
    const outs = await Promise.all([a.run(JOB), b.run(JOB), f.runLifecycle()]);
    assert.ok(outs.some((o) => o.ran), JSON.stringify(outs));
    for (const o of outs) if (!o.ran) assert.equal(o.reason, 'lease-held');
    assert.equal(outs.reduce((s, o) => s + continuedIn(o), 0), 5, 'five continuations in all');
    assert.deepEqual(await linesStarting('2027-02-01'), [1, 1, 1, 1, 1]);
    assert.equal((await continuedEvents()).filter((e) => e.payload.periodStart === '2027-02-01').length, 5);
  });

  test('even without the lease, two instances processing the same day never continue a period twice', async () => {
    f.clock.set('2027-02-28T15:00:00Z'); // 2027-03-01 in Tokyo
    const [r1, r2] = await Promise.all([registryOn(f.shomei.inst.sa).processUsageDay('2027-03-01'), registryOn(sa2).processUsageDay('2027-03-01')]);
    assert.equal(r1.continued + r2.continued, 5, JSON.stringify([r1, r2]));
    assert.deepEqual(await linesStarting('2027-03-01'), [1, 1, 1, 1, 1]);
    for (const id of ids) assert.equal((await repos().getUsageFqdn(id))?.expiry_date, '2027-03-31');
    assert.equal((await continuedEvents()).filter((e) => e.payload.periodStart === '2027-03-01').length, 5);
  });
});
