// AR 15 operator report against a scripted history: applications accepted
// and refused, usage starts, a continuation, a termination notice filed and
// one withdrawn, an ended usage FQDN, issuances, revocations and fees — JSON
// from the admin API, the operator API and the CLI, and CSV that parses back
// to the same totals. Also SPEC §11: no API operation deletes a record.
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { AgencyFixture, CONSENT, type OperatorHandle } from '../../support/agency-fixture.js';
import { account, issue } from '../../support/agency-acme.js';
import { testDbKind } from '../../support/database.js';
import type { OperatorReport } from '../../../src/registry/operator-report.js';
import { REPORT_CSV_COLUMNS } from '../../../src/registry/operator-report.js';
import { parseCsv } from '../../support/csv-parse.js';
import { runShomeiCli } from '../../support/cli-runner.js';


const shomei = (args: string[], env: NodeJS.ProcessEnv) => runShomeiCli(env, args);

describe(`operator report (AR 15) on ${testDbKind()}`, () => {
  let f: AgencyFixture;
  let op: OperatorHandle;
  let other: OperatorHandle;
  const ids: Record<string, string> = {};
  const serials: Record<string, string> = {};
  before(async () => {
    f = await AgencyFixture.start();
    op = await f.designateOperator();
    other = await f.designateOperator({ name: 'Other Reseller' });
    const sub = await f.createSubscriber(op);
    ids['www'] = await f.apply(op, sub, 'www.shop.test', '1y');
    ids['api'] = await f.apply(op, sub, 'api.shop.test', '1m');
    ids['old'] = await f.apply(op, sub, 'old.shop.test', '1m');
    // A duplicate application is refused (with its reason) and recorded.
    const dup = await op.api.post('/usage-fqdns', { subscriberId: sub, fqdn: '=www.shop.test', period: '1y', consent: CONSENT });
    assert.equal(dup.status, 422, dup.text);
    const a = await account(f, await f.issueEab(op, sub));
    for (const k of ['www', 'api', 'old']) serials[k] = await issue(f, a, [`${k}.shop.test`]);
    // A notice filed and withdrawn (DELETE withdraws; the usage FQDN stays), one filed for good.
    assert.equal((await op.api.post(`/usage-fqdns/${ids['www']}/termination-notice`, {})).status, 200);
    assert.equal((await op.api.delete(`/usage-fqdns/${ids['www']}/termination-notice`)).status, 200);
    assert.equal((await op.api.post(`/usage-fqdns/${ids['old']}/termination-notice`, {})).status, 200);
    const rv = await op.api.post(`/certificates/${serials['www']}/revoke`, { reason: 4 });
    assert.equal(rv.status, 200, rv.text);
  });
  after(async () => {
    await f?.close();
  });

  const report = async (from: string, to: string, client = f.admin, path = `/operators/${op.id}/report`) => {
    const r = await client.get(`${path}?from=${from}&to=${to}`);
    assert.equal(r.status, 200, r.text);
    return r.json() as OperatorReport;
  };

  test('on the day: applications, starts, issuances, the revocation, fees and the pending notice', async () => {
    const r = await report('2026-11-21', '2026-11-21');
    assert.deepEqual(r.counts, {
      applicationsAccepted: 3,
      applicationsRefused: 1,
      usageStarts: 3,
      continuations: 0,
      terminationNoticesFiled: 2,
      terminationNoticesWithdrawn: 1,
      usageEnded: 0,
      issuances: 3,
      revocations: 1,
      feeLines: 4,
      openNotices: 1,
    });
    const refused = r.applications.find((x) => x.decision === 'refused');
    assert.ok((refused?.reasons.length ?? 0) >= 1);
    assert.ok(refused?.reasons.every((x) => x.code !== '' && x.detail !== ''));
    assert.deepEqual(r.revocations.map((c) => [c.serial, c.reason, c.reasonName]), [[serials['www'], 4, 'superseded']]);
    assert.deepEqual(r.openNotices.terminationNotices.map((n) => n.usageFqdnId), [ids['old']]);
    assert.deepEqual(r.terminations.noticesWithdrawn.map((n) => n.usageFqdnId), [ids['www']]);
    assert.deepEqual(r.fees.lines.map((l) => l.kind).sort(), ['contract', 'registration', 'registration', 'registration']);
    // Another operator's report shows none of it.
    const o = await report('2026-11-21', '2026-11-21', f.admin, `/operators/${other.id}/report`);
    assert.deepEqual([o.counts.applicationsAccepted, o.counts.issuances, o.counts.revocations, o.counts.feeLines], [0, 0, 0, 1]);
  });

  test('after the month end: a continuation, an ended usage FQDN and its revocation; fees agree with the statements', async () => {
    f.clock.set('2027-01-01T03:00:00Z');
    await f.runLifecycle();
    const r = await report('2026-11-01', '2027-01-31');
    assert.equal(r.counts.continuations, 1);
    assert.equal(r.continuations[0]?.usageFqdnId, ids['api']);
    assert.deepEqual(r.terminations.ended.map((e) => [e.usageFqdnId, e.endedOn, e.reason]), [[ids['old'], '2026-12-31', 'termination-notice']]);
    assert.deepEqual(r.revocations.map((c) => [c.serial, c.reason]).sort(), [[serials['www'], 4], [serials['old'], 5]].sort());
    assert.equal(r.counts.openNotices, 0);
    assert.equal(r.counts.feeLines, 5);
    let total = 0;
    let tax = 0;
    for (const m of ['2026-11', '2026-12', '2027-01']) {
      const s = (await f.admin.get(`/operators/${op.id}/statements/${m}`)).json() as { total: number; tax: number };
      total += s.total;
      tax += s.tax;
    }
    assert.deepEqual([r.fees.total, r.fees.tax], [total, tax]);
    assert.ok(total > 0);

    // January alone: the continuation and the revocation at the day boundary, nothing from November.
    const jan = await report('2027-01-01', '2027-01-31');
    assert.deepEqual([jan.counts.continuations, jan.counts.revocations, jan.counts.issuances, jan.counts.applicationsAccepted, jan.counts.usageEnded], [1, 1, 0, 0, 0]);
  });

  test('CSV parses back (RFC 4180, one section column) to the JSON counts and totals', async () => {
    const json = await report('2026-11-01', '2027-01-31');
    const res = await f.admin.get(`/operators/${op.id}/report?from=2026-11-01&to=2027-01-31&format=csv`);
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /^text\/csv/);
    const rows = parseCsv(res.text);
    assert.deepEqual(rows[0], [...REPORT_CSV_COLUMNS]);
    const col = (name: string) => REPORT_CSV_COLUMNS.indexOf(name as (typeof REPORT_CSV_COLUMNS)[number]);
    const body = rows.slice(1);
    const counts = Object.fromEntries(body.filter((r) => r[0] === 'count').map((r) => [r[col('kind')], Number(r[col('total')])]));
    assert.deepEqual(counts, json.counts);
    const sums = Object.fromEntries(body.filter((r) => r[0] === 'fee-sum').map((r) => [r[col('kind')], Number(r[col('total')])]));
    assert.deepEqual(sums, { subtotal: json.fees.subtotal, tax: json.fees.tax, total: json.fees.total });
    const fees = body.filter((r) => r[0] === 'fee');
    assert.equal(fees.reduce((s, r) => s + Number(r[col('total')]), 0), json.fees.total);
    const n = (section: string) => body.filter((r) => r[0] === section).length;
    assert.deepEqual(
      [n('application'), n('usage-start'), n('continuation'), n('termination-filed'), n('termination-withdrawn'), n('usage-ended'), n('issuance'), n('revocation'), n('fee')],
      [4, 3, 1, 2, 1, 1, 3, 2, 5],
    );
    // The refused application's input started with '=': defused for spreadsheets.
    assert.equal(json.applications.find((x) => x.decision === 'refused')?.fqdn, '=www.shop.test');
    const refusedRow = body.find((r) => r[0] === 'application' && r[col('kind')] === 'refused');
    assert.equal(refusedRow?.[col('fqdn')], "'=www.shop.test");
  });

  test('the operator gets its own report; bad periods are refused', async () => {
    const mine = await report('2026-11-01', '2027-01-31', op.api, '/report');
    const staff = await report('2026-11-01', '2027-01-31');
    assert.deepEqual({ ...mine, generatedAt: '' }, { ...staff, generatedAt: '' });
    const theirs = await report('2026-11-01', '2027-01-31', other.api, '/report');
    assert.equal(theirs.operatorId, other.id);
    assert.equal(theirs.counts.issuances, 0);
    assert.equal((await op.api.get('/report?from=2026-12-01&to=2026-11-01')).status, 400);
    assert.equal((await op.api.get('/report?from=2026-11-01')).status, 400);
    assert.equal((await f.admin.get('/operators/op_nosuchoperator/report?from=2026-11-01&to=2026-11-30')).status, 404);
    const csv = await op.api.get('/report?from=2026-11-01&to=2027-01-31&format=csv');
    assert.equal(csv.status, 200);
    assert.match(csv.text, /^section,date,/);
  });

  test('shomei operator report prints the same report', async () => {
    const env = { ...process.env, SHOMEI_DATABASE_URL: f.shomei.inst.config.database.url, SHOMEI_LOG_LEVEL: 'warn' };
    const out = await shomei(['operator', 'report', op.id, '--from', '2026-11-01', '--to', '2027-01-31', '--json', '--data', f.shomei.dataDir], env);
    assert.equal(out.status, 0, out.stderr);
    const cli = JSON.parse(out.stdout) as OperatorReport;
    const api = await report('2026-11-01', '2027-01-31');
    // The CLI runs on the system clock: only "open notices now" may differ, and there are none.
    assert.deepEqual({ ...cli, generatedAt: '' }, { ...api, generatedAt: '' });
  });

  test('no API operation deletes a record: every DELETE only withdraws, and the record stays', async () => {
    const known: Record<string, string> = { 'operator DELETE /usage-fqdns/{usageFqdnId}/termination-notice': 'withdraws a termination notice' };
    const deletes: string[] = [];
    for (const [name, client, path] of [['admin', f.admin, '/openapi.json'], ['operator', f.operatorClient(), '/openapi.json']] as const) {
      const doc = (await client.get(path)).json() as { paths: Record<string, Record<string, unknown>> };
      for (const [p, ops] of Object.entries(doc.paths)) {
        for (const method of Object.keys(ops)) if (method.toLowerCase() === 'delete') deletes.push(`${name} DELETE ${p.replace(/^\/(admin|operator)\/v1/, '')}`);
      }
    }
    assert.deepEqual(
      deletes.filter((d) => !(d in known)),
      [],
      'a new DELETE operation: make sure it only revokes/withdraws, and add it here with a check that the record stays',
    );
    // The one there is: the notice filed and withdrawn in the history above left the usage FQDN and both audit events.
    const u = await f.shomei.inst.sa.repos.getUsageFqdn(ids['www'] as string);
    assert.equal(u?.termination_notice_at, null);
    assert.notEqual(u?.status, undefined);
    const events = (await f.shomei.inst.sa.repos.listAudit('usage-fqdn', ids['www'])).map((e) => e.action);
    assert.ok(events.includes('usage-fqdn.termination-filed') && events.includes('usage-fqdn.termination-withdrawn'), events.join(','));
  });
});
