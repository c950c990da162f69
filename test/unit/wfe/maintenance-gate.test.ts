// The maintenance gate's view of the schedule (AT 18): which window covers a
// moment and until when (joined windows, emergency stops), and the cached
// reader over a real database (SQLite, or PostgreSQL with SHOMEI_TEST_DB).
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { FakeClock } from '../../../src/core/clock.js';
import { openDatabase, StorageAuthority, type MaintenanceWindowRow } from '../../../src/sa/index.js';
import { ServiceSchedule, stopAt } from '../../../src/wfe/maintenance-gate.js';
import { freshDatabaseUrl, type FreshDatabase } from '../../support/database.js';

function w(id: string, startsAt: string, endsAt: string | null, kind: MaintenanceWindowRow['kind'] = 'planned'): MaintenanceWindowRow {
  return { id, kind, reason: `reason ${id}`, starts_at: startsAt, ends_at: endsAt, cancelled_at: null, ended_at: null, created_by: 'admin:t', created_at: '2026-11-01T00:00:00.000Z' };
}
const T = (hhmm: string) => `2026-12-01T${hhmm}:00.000Z`;

describe('stopAt', () => {
  test('no window, before, at the start, inside, at the end (end is exclusive)', () => {
    const ws = [w('a', T('01:00'), T('02:00'))];
    assert.equal(stopAt([], T('01:30')), null);
    assert.equal(stopAt(ws, T('00:59')), null);
    assert.deepEqual(stopAt(ws, T('01:00')), { windowId: 'a', kind: 'planned', reason: 'reason a', startsAt: T('01:00'), until: T('02:00') });
    assert.equal(stopAt(ws, T('01:59'))?.until, T('02:00'));
    assert.equal(stopAt(ws, T('02:00')), null);
  });

  test('back-to-back and overlapping windows are joined; a gap is not', () => {
    const ws = [w('a', T('01:00'), T('02:00')), w('b', T('02:00'), T('03:00')), w('c', T('02:30'), T('04:00')), w('d', T('05:00'), T('06:00'))];
    assert.equal(stopAt(ws, T('01:30'))?.until, T('04:00'));
    assert.equal(stopAt(ws, T('04:30')), null);
    assert.equal(stopAt(ws, T('05:10'))?.until, T('06:00'));
  });

  test('an emergency stop without an end has no until, also when a planned window runs into it', () => {
    assert.deepEqual(stopAt([w('e', T('01:00'), null, 'emergency')], T('09:00')), { windowId: 'e', kind: 'emergency', reason: 'reason e', startsAt: T('01:00'), until: null });
    const ws = [w('a', T('01:00'), T('02:00')), w('e', T('02:00'), null, 'emergency')];
    assert.equal(stopAt(ws, T('01:30'))?.until, null);
    assert.equal(stopAt(ws, T('01:30'))?.windowId, 'a');
  });
});

describe('ServiceSchedule (cached view)', () => {
  let db: FreshDatabase;
  let sa: StorageAuthority;
  before(async () => {
    db = await freshDatabaseUrl();
    sa = new StorageAuthority(openDatabase(db.url));
    await sa.migrate();
  });
  after(async () => {
    await sa?.close();
    await db?.cleanup();
  });

  test('with cacheMs a new window is seen only after the cache period, but a cached window starts and ends on time', async () => {
    const clock = new FakeClock(T('00:00'));
    const s = new ServiceSchedule(sa, clock, 5000);
    await sa.repos.insertMaintenanceWindow(w('mw_a', T('00:10'), T('00:20')));
    assert.equal(await s.currentStop(), null); // loads at 00:00
    await sa.repos.insertMaintenanceWindow(w('mw_b', T('00:00'), T('00:05')));
    clock.advance(4999);
    assert.equal(await s.currentStop(), null, 'mw_b not yet seen: the cache is 4.999 s old');
    clock.advance(1);
    assert.equal((await s.currentStop())?.windowId, 'mw_b', 'reloaded after 5 s');
    // Cached mw_a starts at 00:10 exactly — even though the clock jumps inside one cache period from the last load.
    clock.set(T('00:10'));
    assert.equal((await s.currentStop())?.windowId, 'mw_a');
    clock.set(T('00:20'));
    assert.equal(await s.currentStop(), null);
  });

  test('cacheMs 0 reads every time; ended and cancelled windows do not stop the service; the current terms follow effective times', async () => {
    const clock = new FakeClock(T('03:00'));
    const s = new ServiceSchedule(sa, clock, 0);
    await sa.repos.insertMaintenanceWindow(w('mw_c', T('03:00'), T('04:00')));
    assert.equal((await s.currentStop())?.windowId, 'mw_c');
    assert.equal(await sa.repos.endMaintenanceWindow('mw_c', T('03:00')), true);
    assert.equal(await s.currentStop(), null);
    await sa.repos.insertMaintenanceWindow(w('mw_d', T('03:30'), T('04:00')));
    assert.equal(await sa.repos.cancelMaintenanceWindow('mw_d', T('03:00')), true);
    clock.set(T('03:45'));
    assert.equal(await s.currentStop(), null);

    assert.equal(await s.currentTerms(), undefined);
    const doc = (version: string, effective: string) => ({ id: `pd_${version}`, kind: 'terms' as const, version, url: `https://ca.test/${version}`, sha256: null, effective_at: effective, published_at: T('03:00'), published_by: 'admin:t' });
    await sa.repos.insertPolicyDocument(doc('t1', T('03:00')));
    await sa.repos.insertPolicyDocument(doc('t2', T('05:00')));
    await sa.repos.insertPolicyDocument({ ...doc('c1', T('03:00')), id: 'pd_c1', kind: 'cps' });
    assert.deepEqual(await s.currentTerms(), { version: 't1', url: 'https://ca.test/t1' });
    clock.set(T('05:00'));
    assert.deepEqual(await s.currentTerms(), { version: 't2', url: 'https://ca.test/t2' });
  });
});
