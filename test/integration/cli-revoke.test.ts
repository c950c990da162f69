// `shomei revoke …` as CA staff run it: the real command in child processes
// against the database of a running Shomei (SQLite, or PostgreSQL with
// SHOMEI_TEST_DB=postgres) whose certificates were issued over ACME. The
// fixture's clock starts at the real time, since the command runs on the
// system clock.
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../../src/core/clock.js';
import { BULK_REVOCATION_JOB } from '../../src/jobs/bulk-revocation-job.js';
import type { RevocationJobView } from '../../src/registry/revocation-jobs.js';
import { AgencyFixture, type OperatorHandle } from '../support/agency-fixture.js';
import { account, issue, type Acct } from '../support/agency-acme.js';
import { cliFailed, cliJson, cliOk, envWithoutShomei, runShomeiCli, type CliRun } from '../support/cli-runner.js';


type Run = CliRun;

describe('shomei revoke (bulk revocation from the command line)', () => {
  let f: AgencyFixture;
  let env: NodeJS.ProcessEnv;
  let op: OperatorHandle;
  let sub: string;
  let acct: Acct;
  let tmp: string;

  const shomei = (...args: string[]): Promise<Run> => runShomeiCli(env, args);
  const ok = cliOk;
  const failed = cliFailed;
  const json = cliJson;
  const reasonOf = async (serial: string) => (await f.shomei.inst.sa.repos.getCertificate(serial))?.revocation_reason ?? null;
  /** A fresh subscriber-owned certificate set: `n` certificates on `<tag>.test`. */
  async function certificates(tag: string, n: number): Promise<{ sub: string; serials: string[] }> {
    const s = await f.createSubscriber(op, tag);
    await f.apply(op, s, `${tag}.test`, '1y');
    const a = await account(f, await f.issueEab(op, s));
    const serials: string[] = [];
    for (let i = 0; i < n; i++) serials.push(await issue(f, a, [`${tag}.test`]));
    return { sub: s, serials };
  }

  before(async () => {
    f = await AgencyFixture.start({ clock: new FakeClock(new Date()) });
    tmp = mkdtempSync(join(tmpdir(), 'shomei-cli-revoke-'));
    const inherited = envWithoutShomei();
    env = {
      ...inherited,
      SHOMEI_DATA_DIR: f.shomei.dataDir,
      SHOMEI_DATABASE_URL: f.shomei.inst.config.database.url,
      SHOMEI_LOG_LEVEL: 'warn',
      USER: 'test-staff',
    };
    op = await f.designateOperator({ name: 'CLI Reseller' });
    sub = await f.createSubscriber(op, 'CLI subscriber');
    await f.apply(op, sub, 'cli-revoke.test', '1y');
    acct = await account(f, await f.issueEab(op, sub));
  });
  after(async () => {
    rmSync(tmp, { recursive: true, force: true });
    await f?.close();
  });

  test('help names every selector and reason; the revoke verbs are bulk, job, cancel and jobs', async () => {
    const help = ok(await shomei('revoke', 'bulk', '--help')).stdout;
    for (const flag of ['--serials-file', '--usage-fqdn', '--subscriber', '--operator', '--issuer', '--reason', '--note', '--batch-size', '--no-wait', '--actor']) assert.ok(help.includes(flag), flag);
    assert.match(help, /1 keyCompromise/);
    assert.match(help, /9 privilegeWithdrawn/);
    const verbs = ok(await shomei('revoke', '--help')).stdout;
    for (const v of ['bulk', 'job', 'cancel', 'jobs']) assert.match(verbs, new RegExp(`\\n\\s+${v}\\b`));
  });

  test('bulk --subscriber revokes its certificates now and prints the finished job; the audit names the staff member', async () => {
    const { sub: s, serials } = await certificates('cli-sub', 3);
    const other = await issue(f, acct, ['cli-revoke.test']);
    const job = json<RevocationJobView>(await shomei('revoke', 'bulk', '--subscriber', s, '--reason', '4', '--note', 'superseded by reissue', '--batch-size', '2', '--json'));
    assert.deepEqual([job.status, job.total, job.revoked, job.skipped, job.selector, job.targetId, job.note, job.createdBy], ['done', 3, 3, 0, 'subscriber', s, 'superseded by reissue', 'admin:test-staff']);
    for (const serial of serials) assert.equal(await reasonOf(serial), 4);
    assert.equal(await reasonOf(other), null);
    const audit = (await f.shomei.inst.sa.repos.listAudit('certificate', serials[0])).filter((e) => e.action === 'certificate.revoked');
    assert.deepEqual(audit.map((e) => [e.actor, JSON.parse(e.details).job]), [['admin:test-staff', job.id]]);
  });

  test('bulk --serials-file: one serial per line, comments and blank lines ignored, colons allowed; human output', async () => {
    const { serials } = await certificates('cli-file', 2);
    const [first, second] = serials as [string, string];
    const file = join(tmp, 'serials.txt');
    writeFileSync(file, `# incident 42\n\n${(first.toUpperCase().match(/../g) ?? []).join(':')}   # the bad one\n`);
    const r = ok(await shomei('revoke', 'bulk', '--serials-file', file, '--reason', '1', '--actor', 'alice'));
    assert.match(r.stdout, /^revocation job rj_[A-Za-z0-9_-]+: done — revoked 1, skipped 0 of 1 \(100%\)$/m);
    assert.match(r.stdout, /selector: serials \(1 serials\), reason 1/);
    assert.match(r.stdout, /created by admin:alice/);
    assert.equal(await reasonOf(first), 1);
    assert.equal(await reasonOf(second), null);
    const blocked = await f.shomei.inst.sa.repos.getBlockedKey((await f.shomei.inst.sa.repos.getCertificate(first))?.spki_sha256 ?? '');
    assert.deepEqual(blocked && [blocked.reason, blocked.actor], ['admin', 'admin:alice']);
  });

  test('wrong invocations exit 1 with a message and create nothing', async () => {
    const before = (await f.shomei.inst.sa.repos.listRevocationJobs({ limit: 1000 })).length;
    const [two, none, badReason, notInt, unknown, noFile] = await Promise.all([
      shomei('revoke', 'bulk', '--subscriber', sub, '--operator', op.id, '--reason', '4'),
      shomei('revoke', 'bulk', '--reason', '4'),
      shomei('revoke', 'bulk', '--subscriber', sub, '--reason', '2'),
      shomei('revoke', 'bulk', '--subscriber', sub, '--reason', 'four'),
      shomei('revoke', 'bulk', '--subscriber', 'sub_doesnotexist', '--reason', '4'),
      shomei('revoke', 'bulk', '--serials-file', join(tmp, 'missing.txt'), '--reason', '4'),
    ]);
    failed(two, /exactly one of .* \(got --subscriber, --operator\)/);
    failed(none, /exactly one of/);
    failed(badReason, /Revocation reason 2 is not allowed/);
    failed(notInt, /expected an integer/);
    failed(unknown, /No subscriber sub_doesnotexist/);
    failed(noFile, /cannot read/);
    assert.equal((await f.shomei.inst.sa.repos.listRevocationJobs({ limit: 1000 })).length, before);
  });

  test('--no-wait leaves the job to the scheduler; `revoke job` shows it, processes it, and waits if another runner holds the lease; cancel of a finished job fails', async () => {
    const { sub: s, serials } = await certificates('cli-later', 2);
    const pending = json<RevocationJobView>(await shomei('revoke', 'bulk', '--subscriber', s, '--reason', '5', '--no-wait', '--json'));
    assert.equal(pending.status, 'pending');
    assert.equal(json<RevocationJobView>(await shomei('revoke', 'job', pending.id, '--no-run', '--json')).status, 'pending');
    assert.equal(await reasonOf(serials[0] as string), null);

    // The scheduler of a running instance holds the lease: the verb does not run alongside it.
    const now = new Date();
    assert.equal(await f.shomei.inst.sa.repos.tryAcquireJobLease(BULK_REVOCATION_JOB, 'busy-instance', now.toISOString(), new Date(now.getTime() + 3600_000).toISOString()), true);
    const held = ok(await shomei('revoke', 'job', pending.id));
    assert.match(held.stdout, /: pending — revoked 0/);
    assert.match(held.stdout, /another runner holds the bulk-revocation lease/);
    await f.shomei.inst.sa.repos.releaseJobLease(BULK_REVOCATION_JOB, 'busy-instance');

    const done = json<RevocationJobView>(await shomei('revoke', 'job', pending.id, '--json'));
    assert.deepEqual([done.status, done.revoked], ['done', 2]);
    for (const serial of serials) assert.equal(await reasonOf(serial), 5);
    failed(await shomei('revoke', 'cancel', pending.id), /already finished \(done\)/);

    const listed = json<RevocationJobView[]>(await shomei('revoke', 'jobs', '--json'));
    assert.ok(listed.some((j) => j.id === pending.id && j.status === 'done'));
    assert.match(ok(await shomei('revoke', 'jobs')).stdout, new RegExp(`${pending.id}\\s+done\\s+subscriber ${s}\\s+5\\s+2\\s+0\\s+2`));
  });

  test('cancel stops a pending job', async () => {
    const { sub: s, serials } = await certificates('cli-cancel', 1);
    const pending = json<RevocationJobView>(await shomei('revoke', 'bulk', '--subscriber', s, '--reason', '4', '--no-wait', '--json'));
    const cancelled = json<RevocationJobView>(await shomei('revoke', 'cancel', pending.id, '--json', '--actor', 'bob'));
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(json<RevocationJobView>(await shomei('revoke', 'job', pending.id, '--json')).status, 'cancelled');
    assert.equal(await reasonOf(serials[0] as string), null);
    const trail = (await f.shomei.inst.sa.repos.listAudit('revocation-job', pending.id)).map((e) => [e.action, e.actor]);
    assert.deepEqual(trail, [['revocation-job.created', 'admin:test-staff'], ['revocation-job.cancelled', 'admin:bob']]);
  });
});
