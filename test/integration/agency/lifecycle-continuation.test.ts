// SPEC §5.3 automatic continuation at the day boundary, §9 one fee per
// chargeable period: the usage-lifecycle job continues expired usage FQDNs
// without a termination notice, is idempotent, catches up missed days in
// order, and applies a changed continuation period at the next continuation.
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { AgencyFixture, type OperatorHandle } from '../../support/agency-fixture.js';
import { addLocalDays } from '../../../src/core/calendar.js';
import type { DayReport } from '../../../src/registry/usage-lifecycle.js';
import { account, issue } from '../../support/agency-acme.js';

describe('Automatic continuation by the day-boundary job (SPEC §5.3, §9)', () => {
  let f: AgencyFixture;
  let op: OperatorHandle;
  let sub: string;
  const ids: Record<string, string> = {};
  before(async () => {
    f = await AgencyFixture.start({}); // 2026-11-21 12:00 in Tokyo
    op = await f.designateOperator();
    sub = await f.createSubscriber(op);
    ids['cont.test'] = await f.apply(op, sub, 'cont.test', '1m');
    ids['chg.test'] = await f.apply(op, sub, 'chg.test', '1m');
    ids['year.test'] = await f.apply(op, sub, 'year.test', '1y');
    const a = await account(f, await f.issueEab(op, sub));
    await issue(f, a, ['cont.test', 'chg.test', 'year.test']);
  });
  after(() => f.close());

  const repos = () => f.shomei.inst.sa.repos;
  const view = async (fqdn: string) => (await op.api.get(`/usage-fqdns/${ids[fqdn]}`)).json();
  const fees = (fqdn: string) => repos().listFeeLinesOfUsageFqdn(ids[fqdn] as string);
  const continued = async (fqdn: string) =>
    ((await f.admin.get(`/notification-events?kind=usage-fqdn.continued&operatorId=${op.id}`)).json().items as { subjectId: string; payload: Record<string, unknown> }[]).filter(
      (e) => e.subjectId === ids[fqdn],
    );
  const run = async (): Promise<DayReport[]> => {
    const out = await f.runLifecycle();
    assert.equal(out.ran, true);
    return (out as { result: DayReport[] }).result;
  };
  const days = (from: string, to: string) => {
    const out: string[] = [];
    for (let d = from; d <= to; d = addLocalDays(d, 1)) out.push(d);
    return out;
  };

  test('all three started on 2026-11-21; the first job run processes today only and continues nothing', async () => {
    assert.deepEqual([(await view('cont.test')).expiryDate, (await view('chg.test')).expiryDate, (await view('year.test')).expiryDate], ['2026-12-31', '2026-12-31', '2027-11-30']);
    assert.deepEqual(await run(), [{ day: '2026-11-21', continued: 0, ended: 0, revoked: 0 }]);
  });

  test('changing the continuation period via the operator leaves the current period alone', async () => {
    f.clock.set('2026-12-10T01:00:00Z');
    const r = await op.api.patch(`/usage-fqdns/${ids['chg.test']}`, { continuationPeriod: '1y' });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.json().period, r.json().continuationPeriod, r.json().expiryDate], ['1m', '1y', '2026-12-31']);
    assert.equal((await fees('chg.test')).length, 1);
  });

  test('up to the end of the expiry date (23:59:59 Tokyo on 2026-12-31) nothing continues', async () => {
    f.clock.set('2026-12-31T14:59:59Z');
    const reports = await run();
    assert.deepEqual(reports.map((r) => r.day), days('2026-11-22', '2026-12-31'));
    assert.equal(reports.reduce((s, r) => s + r.continued, 0), 0);
    assert.equal((await view('cont.test')).expiryDate, '2026-12-31');
    assert.equal((await fees('cont.test')).length, 1);
  });

  test('the day after expiry: continued for another period, continuation fee line and usage-fqdn.continued event', async () => {
    f.clock.set('2026-12-31T15:00:00Z'); // 2027-01-01 00:00 in Tokyo
    assert.deepEqual(await run(), [{ day: '2027-01-01', continued: 2, ended: 0, revoked: 0 }]);

    const v = await view('cont.test');
    assert.deepEqual([v.status, v.startDate, v.expiryDate, v.terminationNotice], ['active', '2026-11-21', '2027-01-31', null]);
    const lines = await fees('cont.test');
    assert.deepEqual(
      lines.map((l) => [l.kind, l.accrual_date, l.period, l.period_start, l.period_end, l.unit_price, l.tax, l.total]),
      [
        ['registration', '2026-11-21', '1m', '2026-11-21', '2026-12-31', 500, 50, 550],
        ['continuation', '2027-01-01', '1m', '2027-01-01', '2027-01-31', 500, 50, 550],
      ],
    );
    const ev = await continued('cont.test');
    assert.equal(ev.length, 1);
    assert.deepEqual(ev[0]?.payload, { fqdn: 'cont.test', periodStart: '2027-01-01', expiryDate: '2027-01-31', period: '1m' });

    // The 1-year FQDN is not due.
    assert.equal((await view('year.test')).expiryDate, '2027-11-30');
    assert.equal((await fees('year.test')).length, 1);

    // The statement of January lists the continuation lines.
    const jan = (await op.api.get('/statements/2027-01')).json();
    assert.deepEqual(
      jan.lines.map((l: Record<string, unknown>) => [l['kind'], l['fqdn'], l['periodStart'], l['periodEnd'], l['total']]).sort(),
      [
        ['continuation', 'chg.test', '2027-01-01', '2027-12-31', 5500],
        ['continuation', 'cont.test', '2027-01-01', '2027-01-31', 550],
      ],
    );
    assert.equal(jan.total, 6050);
  });

  test('the changed continuation period applies at this continuation: 1 year, charged as a 1-year period', async () => {
    const v = await view('chg.test');
    assert.deepEqual([v.period, v.continuationPeriod, v.expiryDate], ['1m', '1y', '2027-12-31']);
    assert.deepEqual(
      (await fees('chg.test')).map((l) => [l.kind, l.period, l.period_start, l.period_end, l.unit_price, l.total]),
      [
        ['registration', '1m', '2026-11-21', '2026-12-31', 500, 550],
        ['continuation', '1y', '2027-01-01', '2027-12-31', 5000, 5500],
      ],
    );
  });

  test('running again the same day changes nothing; the unique index refuses a second line for a period', async () => {
    const before = { cont: await fees('cont.test'), chg: await fees('chg.test'), events: await continued('cont.test') };
    assert.deepEqual(await run(), [{ day: '2027-01-01', continued: 0, ended: 0, revoked: 0 }]);
    assert.deepEqual(await f.shomei.inst.registry.processUsageDay('2027-01-01'), { day: '2027-01-01', continued: 0, ended: 0, revoked: 0 });
    assert.deepEqual(await fees('cont.test'), before.cont);
    assert.deepEqual(await fees('chg.test'), before.chg);
    assert.equal((await continued('cont.test')).length, before.events.length);
    assert.equal((await view('cont.test')).expiryDate, '2027-01-31');

    const dup = { ...(before.cont[1] as NonNullable<(typeof before.cont)[number]>), id: 'fee_duplicate01' };
    assert.equal(await repos().insertFeeLine(dup), false, 'same (usage FQDN, period start) is charged once');
    assert.equal((await fees('cont.test')).length, 2);
  });

  test('offline for over two months: every missed day is processed in order, each continuation booked once, periods consecutive', async () => {
    f.clock.set('2027-04-10T03:00:00Z');
    const reports = await run();
    assert.deepEqual(reports.map((r) => r.day), days('2027-01-02', '2027-04-10'), 'each missed day, in order, once');
    assert.deepEqual(
      reports.filter((r) => r.continued > 0).map((r) => [r.day, r.continued]),
      [
        ['2027-02-01', 1],
        ['2027-03-01', 1],
        ['2027-04-01', 1],
      ],
    );
    const lines = (await fees('cont.test')).filter((l) => l.kind === 'continuation');
    assert.deepEqual(
      lines.map((l) => [l.accrual_date, l.period_start, l.period_end]),
      [
        ['2027-01-01', '2027-01-01', '2027-01-31'],
        ['2027-02-01', '2027-02-01', '2027-02-28'],
        ['2027-03-01', '2027-03-01', '2027-03-31'],
        ['2027-04-01', '2027-04-01', '2027-04-30'],
      ],
    );
    for (let i = 1; i < lines.length; i++) assert.equal(lines[i]?.period_start, addLocalDays(lines[i - 1]?.period_end as string, 1));
    assert.equal((await view('cont.test')).expiryDate, '2027-04-30');
    assert.equal((await continued('cont.test')).length, 4);
    // Not due: the 1-year ones.
    assert.equal((await fees('chg.test')).length, 2);
    assert.equal((await fees('year.test')).length, 1);
    // A rerun after catching up does nothing.
    assert.equal((await run()).reduce((s, r) => s + r.continued, 0), 0);
    assert.equal((await fees('cont.test')).length, 5);
  });

  test('1-year continuation: the last day of the same month next year, charged at the yearly price', async () => {
    f.clock.set('2027-12-01T00:00:00Z'); // 09:00 in Tokyo
    await run();
    const v = await view('year.test');
    assert.equal(v.expiryDate, '2028-11-30');
    assert.deepEqual(
      (await fees('year.test')).map((l) => [l.kind, l.period, l.period_start, l.period_end, l.unit_price, l.tax]),
      [
        ['registration', '1y', '2026-11-21', '2027-11-30', 5000, 500],
        ['continuation', '1y', '2027-12-01', '2028-11-30', 5000, 500],
      ],
    );
    // The monthly one went on month by month meanwhile: one line per month, none twice.
    const starts = (await fees('cont.test')).map((l) => l.period_start);
    assert.equal(new Set(starts).size, starts.length);
    assert.equal((await view('cont.test')).expiryDate, '2027-12-31');
    assert.equal(starts.length, 13);
  });
});
