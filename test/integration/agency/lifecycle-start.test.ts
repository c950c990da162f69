// SPEC §5.3 start date and §9 registration fee: the first certificate
// covering a usage FQDN starts it on the issue date in the CA's time zone
// (Asia/Tokyo), books the first chargeable period in the certificate's own
// transaction, and later certificates neither restart nor recharge it.
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { AgencyFixture, type OperatorHandle } from '../../support/agency-fixture.js';
import { type RawResponse } from '../../support/raw-acme.js';
import type { Repositories } from '../../../src/sa/index.js';
import { account, readyOrder, finalize, issue, type Acct } from '../../support/agency-acme.js';

describe('Usage FQDN start date and registration fee (SPEC §5.3, §9)', () => {
  let f: AgencyFixture;
  let op: OperatorHandle;
  let sub: string;
  let acct: Acct;
  const ids: Record<string, string> = {};
  before(async () => {
    f = await AgencyFixture.start();
    op = await f.designateOperator();
    sub = await f.createSubscriber(op);
    for (const [fqdn, period] of [
      ['late.test', '1m'],
      ['edge.test', '1m'],
      ['atomic.test', '1m'],
      ['pair-m.test', '1m'],
      ['*.pair-y.test', '1y'],
    ] as const) {
      ids[fqdn] = await f.apply(op, sub, fqdn, period);
    }
    acct = await account(f, await f.issueEab(op, sub));
  });
  after(() => f.close());

  const repos = () => f.shomei.inst.sa.repos;
  const view = async (fqdn: string) => {
    const r = await op.api.get(`/usage-fqdns/${ids[fqdn]}`);
    assert.equal(r.status, 200, r.text);
    return r.json();
  };
  const events = async (kind: string, subjectId: string) =>
    ((await f.admin.get(`/notification-events?kind=${kind}`)).json().items as { subjectId: string; payload: Record<string, unknown> }[]).filter((e) => e.subjectId === subjectId);

  test('not started before its first certificate: status applied, no dates, nothing charged', async () => {
    const v = await view('late.test');
    assert.equal(v.status, 'applied');
    assert.equal(v.startDate, null);
    assert.equal(v.expiryDate, null);
    assert.equal((await repos().listFeeLinesOfUsageFqdn(ids['late.test'] as string)).length, 0);
  });

  test('issued at 2026-11-30T14:59:59Z (23:59:59 in Tokyo) → start 2026-11-30, 1-month expiry 2026-12-31', async () => {
    f.clock.set('2026-11-30T14:59:59Z');
    const serial = await issue(f, acct, ['edge.test']);
    const v = await view('edge.test');
    assert.equal(v.status, 'active');
    assert.equal(v.startDate, '2026-11-30');
    assert.equal(v.expiryDate, '2026-12-31');
    assert.deepEqual(v.certificates.map((c: { serial: string }) => c.serial), [serial]);
    const fees = await repos().listFeeLinesOfUsageFqdn(ids['edge.test'] as string);
    assert.equal(fees.length, 1);
    assert.equal(fees[0]?.accrual_date, '2026-11-30');
    assert.equal(fees[0]?.period_start, '2026-11-30');
    assert.equal(fees[0]?.period_end, '2026-12-31');
  });

  test('issued at 2026-11-30T15:30:00Z (00:30 on 1 December in Tokyo) → start 2026-12-01, expiry 2027-01-31, registration fee in the same transaction', async () => {
    f.clock.set('2026-11-30T15:30:00Z');
    const serial = await issue(f, acct, ['late.test', 'www.late.test']);
    const v = await view('late.test');
    assert.equal(v.status, 'active');
    assert.equal(v.startDate, '2026-12-01');
    assert.equal(v.expiryDate, '2027-01-31');
    assert.equal(v.period, '1m');

    const fees = await repos().listFeeLinesOfUsageFqdn(ids['late.test'] as string);
    assert.equal(fees.length, 1);
    const fee = fees[0];
    assert.equal(fee?.kind, 'registration');
    assert.equal(fee?.operator_id, op.id);
    assert.equal(fee?.subscriber_id, sub);
    assert.equal(fee?.fqdn, 'late.test');
    assert.equal(fee?.period, '1m');
    assert.equal(fee?.accrual_date, '2026-12-01');
    assert.equal(fee?.period_start, '2026-12-01');
    assert.equal(fee?.period_end, '2027-01-31');
    assert.deepEqual([fee?.unit_price, fee?.tax_rate_percent, fee?.tax, fee?.total, fee?.currency], [500, 10, 50, 550, 'JPY']);
    // Written with the certificate: one instant for both.
    const cert = await repos().getCertificate(serial);
    assert.equal(fee?.created_at, cert?.issued_at);

    const started = await events('usage-fqdn.started', ids['late.test'] as string);
    assert.equal(started.length, 1);
    assert.deepEqual(started[0]?.payload, { fqdn: 'late.test', startDate: '2026-12-01', expiryDate: '2027-01-31' });
  });

  test("the operator's statements show each registration line in the month of its start date (JSON and CSV)", async () => {
    const dec = (await op.api.get('/statements/2026-12')).json();
    const decLines = dec.lines.filter((l: { kind: string }) => l.kind === 'registration');
    assert.deepEqual(
      decLines.map((l: Record<string, unknown>) => [l['date'], l['fqdn'], l['usageFqdnId'], l['period'], l['periodStart'], l['periodEnd'], l['unitPrice'], l['tax'], l['total']]),
      [['2026-12-01', 'late.test', ids['late.test'], '1m', '2026-12-01', '2027-01-31', 500, 50, 550]],
    );
    const nov = (await op.api.get('/statements/2026-11')).json();
    assert.deepEqual(
      nov.lines.filter((l: { kind: string }) => l.kind === 'registration').map((l: Record<string, unknown>) => [l['date'], l['fqdn']]),
      [['2026-11-30', 'edge.test']],
    );
    const csv = await op.api.get('/statements/2026-12?format=csv');
    assert.equal(csv.status, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    assert.ok(csv.text.split('\r\n').includes(`2026-12-01,registration,late.test,${sub},${ids['late.test']},1m,2026-12-01,2027-01-31,500,10,50,550,JPY`), csv.text);
  });

  test('a second certificate neither restarts the usage FQDN nor charges it again', async () => {
    f.clock.set('2026-12-20T02:00:00Z');
    const first = (await view('late.test')).certificates.map((c: { serial: string }) => c.serial);
    const serial = await issue(f, acct, ['www.late.test']);
    const v = await view('late.test');
    assert.equal(v.startDate, '2026-12-01');
    assert.equal(v.expiryDate, '2027-01-31');
    assert.deepEqual(v.certificates.map((c: { serial: string }) => c.serial), [...first, serial]);
    assert.equal((await repos().listFeeLinesOfUsageFqdn(ids['late.test'] as string)).length, 1);
    assert.equal((await events('usage-fqdn.started', ids['late.test'] as string)).length, 1);
    assert.equal((await events('certificate.issued', serial)).length, 1);
  });

  test('one multi-domain first certificate starts each usage FQDN it covers, each charged at its own period price', async () => {
    f.clock.set('2027-01-15T00:00:00Z');
    await issue(f, acct, ['pair-m.test', 'www.pair-m.test', '*.pair-y.test']);
    const m = await view('pair-m.test');
    const y = await view('*.pair-y.test');
    assert.deepEqual([m.status, m.startDate, m.expiryDate], ['active', '2027-01-15', '2027-02-28']);
    assert.deepEqual([y.status, y.startDate, y.expiryDate], ['active', '2027-01-15', '2028-01-31']);
    const mf = await repos().listFeeLinesOfUsageFqdn(ids['pair-m.test'] as string);
    const yf = await repos().listFeeLinesOfUsageFqdn(ids['*.pair-y.test'] as string);
    assert.deepEqual(mf.map((l) => [l.kind, l.period, l.unit_price, l.tax, l.total]), [['registration', '1m', 500, 50, 550]]);
    assert.deepEqual(yf.map((l) => [l.kind, l.period, l.unit_price, l.tax, l.total, l.period_end]), [['registration', '1y', 5000, 500, 5500, '2028-01-31']]);
  });

  test('if booking the fee fails, the certificate is not stored and the FQDN does not start (one transaction)', async () => {
    const sa = f.shomei.inst.sa;
    const id = ids['atomic.test'] as string;
    const transaction = sa.transaction.bind(sa);
    sa.transaction = <T>(fn: (tx: Repositories) => Promise<T>) =>
      transaction((tx) =>
        fn({
          ...tx,
          insertFeeLine: async () => {
            throw new Error('injected: fee ledger unavailable');
          },
        }),
      );
    let order: Awaited<ReturnType<typeof readyOrder>>;
    let fin: RawResponse;
    try {
      order = await readyOrder(f, acct, ['atomic.test']);
      fin = await finalize(f, acct, order, ['atomic.test']);
    } finally {
      sa.transaction = transaction;
    }
    assert.equal(fin.status, 500, fin.body);
    assert.equal(fin.json()['type'], 'urn:ietf:params:acme:error:serverInternal');
    const row = await repos().getOrder(order.id);
    assert.equal(row?.status, 'invalid');
    assert.equal(row?.certificate_serial, null);
    const certs = await repos().listManagedCertificates({ subscriberId: sub, limit: 1000 });
    assert.equal(certs.filter((c) => (JSON.parse(c.names) as string[]).includes('atomic.test')).length, 0);
    assert.equal((await repos().listCertificatesOfUsageFqdn(id)).length, 0);
    const u = await repos().getUsageFqdn(id);
    assert.equal(u?.status, 'applied');
    assert.equal(u?.start_date, null);
    assert.equal((await repos().listFeeLinesOfUsageFqdn(id)).length, 0);
    assert.equal((await events('usage-fqdn.started', id)).length, 0);

    // Without the fault the same names issue and start normally.
    await issue(f, acct, ['atomic.test']);
    assert.equal((await repos().getUsageFqdn(id))?.start_date, '2027-01-15');
    assert.equal((await repos().listFeeLinesOfUsageFqdn(id)).length, 1);
  });
});
