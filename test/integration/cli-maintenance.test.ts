// `shomei maintenance …`, `shomei emergency-stop`, `shomei resume` and
// `shomei policy …` as CA staff run them: the real command in child processes
// against the database of a running Shomei (SQLite, or PostgreSQL with
// SHOMEI_TEST_DB=postgres), whose ACME listener (maintenance.cacheMs 0) sees
// the change on its next request. The fixture's clock starts at the real
// time, since the command runs on the system clock.
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { FakeClock } from '../../src/core/clock.js';
import type { MaintenanceWindowView } from '../../src/registry/maintenance.js';
import type { PolicyDocumentView } from '../../src/registry/policy-documents.js';
import { AgencyFixture } from '../support/agency-fixture.js';
import { httpsRequest } from '../support/raw-acme.js';
import { cliJson, cliOk, runShomeiCli, type CliRun } from '../support/cli-runner.js';


type Run = CliRun;

describe('shomei maintenance / emergency-stop / resume / policy (AT 18, AT 21)', () => {
  let f: AgencyFixture;
  let env: NodeJS.ProcessEnv;

  const shomei = (...args: string[]): Promise<Run> => runShomeiCli(env, args);
  const ok = cliOk;
  const json = cliJson;
  /** The server's clock catches up with the system clock the command used, then the directory is fetched. */
  const directory = () => {
    f.clock.set(new Date());
    return httpsRequest(f.shomei.directoryUrl, { ca: f.shomei.rootPem });
  };

  before(async () => {
    f = await AgencyFixture.start({ clock: new FakeClock(new Date()), config: { maintenance: { cacheMs: 0 } } });
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SHOMEI_') || k.startsWith('SHOMEI_TEST_')));
    env = { ...inherited, SHOMEI_DATA_DIR: f.shomei.dataDir, SHOMEI_DATABASE_URL: f.shomei.inst.config.database.url, SHOMEI_LOG_LEVEL: 'warn', USER: 'test-staff' };
  });
  after(async () => f?.close());

  test('help names the verbs and options; --version after a verb is the verb option, not the program version', async () => {
    const m = ok(await shomei('maintenance', '--help')).stdout;
    for (const v of ['schedule', 'list', 'cancel', 'end']) assert.match(m, new RegExp(`\\n\\s+${v}\\b`));
    const p = ok(await shomei('policy', 'publish', '--help')).stdout;
    for (const flag of ['--kind', '--version', '--url', '--sha256', '--effective', '--actor']) assert.ok(p.includes(flag), flag);
  });

  test('schedule announces a window, list shows it, cancel calls it off', async () => {
    const start = new Date(Date.now() + 3600_000).toISOString();
    const end = new Date(Date.now() + 7200_000).toISOString();
    const w = json<MaintenanceWindowView>(await shomei('maintenance', 'schedule', '--start', start, '--end', end, '--reason', 'Kernel upgrade', '--json'));
    assert.deepEqual([w.kind, w.state, w.startsAt, w.endsAt, w.reason, w.createdBy], ['planned', 'scheduled', start, end, 'Kernel upgrade', 'admin:test-staff']);
    const announced = await f.shomei.inst.sa.repos.listNotificationEvents({ kind: 'maintenance.announced' });
    assert.deepEqual(announced.map((e) => e.subject_id), [w.id]);
    const listed = json<MaintenanceWindowView[]>(await shomei('maintenance', 'list', '--state', 'scheduled', '--json'));
    assert.deepEqual(listed.map((x) => x.id), [w.id]);
    const c = json<MaintenanceWindowView>(await shomei('maintenance', 'cancel', w.id, '--json'));
    assert.equal(c.state, 'cancelled');
    const again = await shomei('maintenance', 'cancel', w.id);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /is cancelled; only a scheduled window can be cancelled/);
  });

  test('emergency-stop stops the running ACME listener; resume brings it back', async () => {
    const s = json<MaintenanceWindowView>(await shomei('emergency-stop', '--reason', 'Disk failure', '--json'));
    assert.equal(s.kind, 'emergency');
    const r = await directory();
    assert.equal(r.status, 503);
    assert.match(String(r.json()['detail']), /Disk failure/);
    const resumed = json<MaintenanceWindowView[]>(await shomei('resume', '--json'));
    assert.deepEqual(resumed.map((x) => [x.id, x.state]), [[s.id, 'finished']]);
    assert.equal((await directory()).status, 200);
    const none = await shomei('resume');
    assert.equal(none.status, 1);
    assert.match(none.stderr, /No emergency stop is in force/);
  });

  test('policy publish sets the directory termsOfService; policy list shows the versions', async () => {
    const d = json<PolicyDocumentView>(await shomei('policy', 'publish', '--kind', 'terms', '--version', 'acme-terms-2027-02', '--url', 'https://ca.test/terms/2027-02', '--json'));
    assert.deepEqual([d.kind, d.version, d.state, d.publishedBy], ['terms', 'acme-terms-2027-02', 'current', 'admin:test-staff']);
    assert.equal(((await directory()).json()['meta'] as Record<string, unknown>)['termsOfService'], 'https://ca.test/terms/2027-02');
    const later = new Date(Date.now() + 30 * 86400_000).toISOString();
    ok(await shomei('policy', 'publish', '--kind', 'cps', '--version', 'cps-5', '--url', 'https://ca.test/cps/5', '--effective', later));
    const list = json<PolicyDocumentView[]>(await shomei('policy', 'list', '--json'));
    assert.deepEqual(list.map((x) => [x.kind, x.version, x.state]), [['cps', 'cps-5', 'announced'], ['terms', 'acme-terms-2027-02', 'current']]);
    const text = ok(await shomei('policy', 'list', '--kind', 'terms')).stdout;
    assert.match(text, /terms\s+acme-terms-2027-02\s+current/);
    assert.doesNotMatch(text, /cps-5/);
  });
});
