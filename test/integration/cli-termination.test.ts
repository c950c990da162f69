// `shomei operator terminate | termination | handover-demand | handover-demands |
// handover-fulfilled | handover-package` as CA staff run them: the real command
// in child processes on a throwaway database (SQLite, or PostgreSQL with
// SHOMEI_TEST_DB=postgres), the archive checked with the system tar and
// sha256sum.
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addLocalDays, localDateOf } from '../../src/core/calendar.js';
import { freshDatabaseUrl, type FreshDatabase } from '../support/database.js';
import { cliFailed, cliJson, cliOk, envWithoutShomei, runShomeiCli, type CliRun } from '../support/cli-runner.js';

describe('shomei operator terminate / handover-* (AR 19, AT 7)', () => {
  let db: FreshDatabase;
  let data: string;
  let env: NodeJS.ProcessEnv;
  let op: string;
  let desk: string;
  const shomei = (...args: string[]): Promise<CliRun> => runShomeiCli(env, args);
  const today = () => localDateOf(new Date(), 'Asia/Tokyo');

  before(async () => {
    db = await freshDatabaseUrl();
    data = mkdtempSync(join(tmpdir(), 'shomei-cli-termination-'));
    env = { ...envWithoutShomei(), SHOMEI_DATA_DIR: data, SHOMEI_DATABASE_URL: db.url, SHOMEI_TIME_ZONE: 'Asia/Tokyo', SHOMEI_LOG_LEVEL: 'warn', USER: 'test-staff' };
    op = cliJson<{ id: string }>(await shomei('operator', 'designate', '--name', 'Leaving K.K.', '--representative', 'Taro', '--contact-email', 'ops@leaving.example', '--acme-handling', '--json')).id;
  });
  after(async () => {
    rmSync(data, { recursive: true, force: true });
    await db?.cleanup();
  });

  test('terminate is refused until the CA desk is designated, then scheduled with the desk as the default target', async () => {
    const effective = addLocalDays(today(), 30);
    cliFailed(await shomei('operator', 'terminate', op, '--effective', effective, '--reason', 'Contract ended'), /shomei operator designate … --ca-desk/);
    desk = cliOk(await shomei('operator', 'designate', '--name', 'CA Desk', '--representative', 'CA', '--contact-email', 'desk@ca.example', '--ca-desk')).stdout.trim();

    const t = cliJson<{ id: string; status: string; effectiveDate: string; handoverTo: { id: string }; createdBy: string }>(
      await shomei('operator', 'terminate', op, '--effective', effective, '--reason', 'Contract ended', '--json'),
    );
    assert.deepEqual([t.status, t.effectiveDate, t.handoverTo.id, t.createdBy], ['scheduled', effective, desk, 'admin:test-staff']);
    const shown = cliOk(await shomei('operator', 'termination', op));
    assert.match(shown.stdout, new RegExp(`effective at: .*\\(${effective} local\\)`));
    assert.match(shown.stdout, /CA Desk .*the CA's own reseller desk/);
    cliFailed(await shomei('operator', 'terminate', op, '--effective', effective, '--reason', 'again'), /already has a termination/);
  });

  test('handover-demand: 9 days refused, 10 accepted with the standard list; list and fulfil', async () => {
    cliFailed(await shomei('operator', 'handover-demand', op, '--deadline', addLocalDays(today(), 9)), new RegExp(`at least 10 days.*${addLocalDays(today(), 10)} or later`));
    const d = cliJson<{ id: string; deadline: string; items: string[] }>(await shomei('operator', 'handover-demand', op, '--deadline', addLocalDays(today(), 10), '--json'));
    assert.equal(d.deadline, addLocalDays(today(), 10));
    assert.equal(d.items.length, 5);
    const custom = cliJson<{ items: string[] }>(await shomei('operator', 'handover-demand', op, '--deadline', addLocalDays(today(), 20), '--item', 'Subscriber list', '--item', 'Open complaints', '--json'));
    assert.deepEqual(custom.items, ['Subscriber list', 'Open complaints']);
    cliOk(await shomei('operator', 'handover-fulfilled', op, d.id));
    const list = cliJson<{ id: string; status: string }[]>(await shomei('operator', 'handover-demands', op, '--json'));
    assert.deepEqual(list.map((x) => [x.id === d.id, x.status]), [[true, 'fulfilled'], [false, 'open']]);
  });

  test('`shomei jobs run termination` runs the job: nothing is due 30 days ahead', async () => {
    const [o] = cliJson<{ job: string; ran: boolean; result: { transferred: unknown[]; failed: unknown[]; lapsedDemands: number } }[]>(await shomei('jobs', 'run', 'termination', '--json'));
    assert.deepEqual(o, { job: 'termination', ran: true, result: { transferred: [], failed: [], lapsedDemands: 0 } });
  });

  test('handover-package writes an owner-only archive that tar extracts and sha256sum -c verifies; never over an existing file', async () => {
    const out = join(data, 'handover.tar.gz');
    const r = cliOk(await shomei('operator', 'handover-package', op, '--out', out));
    assert.match(r.stdout, /^wrote .*handover\.tar\.gz/);
    assert.match(r.stdout, /open-notices\s+2/); // the scheduled termination + the open demand
    assert.equal(statSync(out).mode & 0o777, 0o600);
    const x = mkdtempSync(join(tmpdir(), 'shomei-cli-handover-x-'));
    try {
      execFileSync('tar', ['-xzf', out], { cwd: x });
      const [dir] = readdirSync(x);
      assert.equal(dir, `shomei-handover-${op}-${today()}`);
      const check = execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: join(x, dir as string), encoding: 'utf8' });
      assert.equal(check.trim().split('\n').length, 11); // 10 data files + manifest.json
      assert.ok(check.trim().split('\n').every((l) => l.endsWith(': OK')), check);
      const manifest = JSON.parse(readFileSync(join(x, dir as string, 'manifest.json'), 'utf8')) as { operator: { id: string } };
      assert.equal(manifest.operator.id, op);
    } finally {
      rmSync(x, { recursive: true, force: true });
    }

    const existing = join(data, 'existing.tar.gz');
    writeFileSync(existing, 'keep me');
    const refused = await shomei('operator', 'handover-package', op, '--out', existing);
    assert.equal(refused.status, 1, refused.stderr);
    assert.match(refused.stderr, /EEXIST|already exists/);
    assert.equal(readFileSync(existing, 'utf8'), 'keep me');
  });
});
