// The operator-governance verbs (SPEC §8, AR 16–17) as CA staff run them: the
// real `shomei` command in child processes against one throwaway database
// (SQLite, or PostgreSQL with SHOMEI_TEST_DB=postgres). Wall-clock time: the
// CLI uses the system clock, so dates are relative to now.
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabaseUrl, type FreshDatabase } from '../support/database.js';
import { cliFailed, cliJson, cliOk, envWithoutShomei, runShomeiCli, type CliRun } from '../support/cli-runner.js';

const DAY = 86_400_000;

describe('shomei operator governance verbs', () => {
  let db: FreshDatabase;
  let data: string;
  let env: NodeJS.ProcessEnv;
  let op: string;
  const shomei = (...args: string[]): Promise<CliRun> => runShomeiCli(env, args);

  before(async () => {
    db = await freshDatabaseUrl();
    data = mkdtempSync(join(tmpdir(), 'shomei-cli-governance-'));
    env = { ...envWithoutShomei(), SHOMEI_DATA_DIR: data, SHOMEI_DATABASE_URL: db.url, SHOMEI_TIME_ZONE: 'Asia/Tokyo', SHOMEI_LOG_LEVEL: 'warn', USER: 'test-staff' };
    op = cliJson<{ id: string }>(await shomei('operator', 'designate', '--name', 'Gamma Reseller', '--representative', 'Saburo', '--contact-email', 'ops@gamma.example', '--json')).id;
    cliOk(await shomei('operator', 'key', 'issue', op, '--label', 'primary'));
  });
  after(async () => {
    rmSync(data, { recursive: true, force: true });
    await db?.cleanup();
  });

  test('contact attempts → unreachable flag → correction notice; a short period is refused', async () => {
    const at = new Date(Date.now() - 22 * DAY).toISOString();
    const r = cliJson<{ reachability: { flagged: boolean; unreachableDays: number } }>(await shomei('operator', 'contact-attempt', op, '--method', 'email', '--outcome', 'unreachable', '--at', at, '--json'));
    assert.deepEqual([r.reachability.flagged, r.reachability.unreachableDays], [true, 22]);
    const flagged = cliJson<{ operatorId: string }[]>(await shomei('operator', 'standing', '--unreachable', '--json'));
    assert.deepEqual(flagged.map((s) => s.operatorId), [op]);
    cliFailed(await shomei('operator', 'correction-notice', 'issue', op, '--ground', 'contact-unreachable', '--detail', 'silent', '--days', '29'), /at least 30/);
    const n = cliJson<{ id: string; status: string; correctionDays: number; createdBy: string }>(await shomei('operator', 'correction-notice', 'issue', op, '--ground', 'contact-unreachable', '--detail', 'silent', '--json'));
    assert.deepEqual([n.status, n.correctionDays, n.createdBy], ['open', 30, 'admin:test-staff']);
    const list = cliOk(await shomei('operator', 'correction-notice', 'list', op)).stdout;
    assert.match(list, new RegExp(`${n.id}\\s+open\\s+contact-unreachable`));
    cliFailed(await shomei('operator', 'suspend', op, '--reason', 'too early', '--notice', n.id), /correction period of notice .* runs until/);
  });

  test('suspend, suspend-now, standing, lift', async () => {
    const s = cliJson<{ id: string; state: string; endsAt: string | null }>(await shomei('operator', 'suspend', op, '--reason', 'adverse change', '--json'));
    assert.deepEqual([s.state, s.endsAt], ['in-force', null]);
    const now = cliJson<{ id: string; kind: string; keysRevoked: number }>(await shomei('operator', 'suspend-now', op, '--reason', 'key leaked', '--json'));
    assert.deepEqual([now.kind, now.keysRevoked], ['immediate', 1]);
    const standing = cliOk(await shomei('operator', 'standing', op)).stdout;
    assert.match(standing, new RegExp(`suspended: yes — ${now.id} \\(immediate\\)`));
    assert.match(standing, /operator API access refused: .*AR 17/);
    cliOk(await shomei('operator', 'lift', op, now.id, '--note', 'fix confirmed'));
    cliOk(await shomei('operator', 'lift', op, s.id));
    cliFailed(await shomei('operator', 'lift', op, s.id), /already lifted/);
    const all = cliJson<{ id: string; state: string }[]>(await shomei('operator', 'suspensions', op, '--json'));
    assert.deepEqual(all.map((x) => x.state), ['lifted', 'lifted']);
    assert.equal(cliJson<{ suspended: boolean }>(await shomei('operator', 'standing', op, '--json')).suspended, false);
  });
});
