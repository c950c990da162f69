// SPEC §5.3 termination notice and withdrawal, §5.4 end of usage: at the
// day after the expiry date a usage FQDN with a termination notice ends and
// every unexpired certificate holding its names is revoked (multi-domain
// ones included) unless another live usage FQDN of the subscriber still
// allows those names; new orders for its names are refused.
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { AgencyFixture, type OperatorHandle } from '../../support/agency-fixture.js';
import type { DayReport } from '../../../src/registry/usage-lifecycle.js';
import { account, newOrder, issue, type Acct } from '../../support/agency-acme.js';

const PREFIX = 'urn:ietf:params:acme:error:';


type Problem = { type: string; detail: string; identifier?: { value: string }; subproblems?: Problem[] };

describe('Termination notice and end of usage (SPEC §5.3, §5.4)', () => {
  let f: AgencyFixture;
  let op: OperatorHandle;
  let sub: string;
  let acct: Acct;
  const ids: Record<string, string> = {};
  const certs: Record<string, string> = {};
  before(async () => {
    f = await AgencyFixture.start(); // 2026-11-21 12:00 in Tokyo
    op = await f.designateOperator();
    sub = await f.createSubscriber(op);
    for (const fqdn of ['term.test', 'live.test', 'keep.test', '*.keep.test', 'wd.test', 'applied.test', 'late.test', '*.x.test', 'old.test']) {
      ids[fqdn] = await f.apply(op, sub, fqdn, '1m');
    }
    acct = await account(f, await f.issueEab(op, sub));
    const plan: [string, string[]][] = [
      ['C0', ['term.test', 'www.term.test']],
      ['C1', ['term.test', 'live.test']], // multi-domain: term.test + a name of a live FQDN
      ['C2', ['live.test', 'www.live.test']],
      ['K1', ['keep.test', 'www.keep.test']],
      ['K2', ['*.keep.test']],
      ['K3', ['keep.test']], // also allowed by *.keep.test
      ['W0', ['wd.test']],
      ['X0', ['x.test']], // allowed by *.x.test only, for now
      ['O0', ['old.test']],
      ['L0', ['late.test']],
    ];
    for (const [label, names] of plan) certs[label] = await issue(f, acct, names);
    await f.runLifecycle(); // progress: 2026-11-21
  });
  after(() => f.close());

  const repos = () => f.shomei.inst.sa.repos;
  const view = async (fqdn: string) => (await op.api.get(`/usage-fqdns/${ids[fqdn]}`)).json();
  const notice = (fqdn: string, body: Record<string, unknown> = {}) => op.api.post(`/usage-fqdns/${ids[fqdn]}/termination-notice`, body);
  const withdraw = (fqdn: string) => op.api.delete(`/usage-fqdns/${ids[fqdn]}/termination-notice`);
  const cert = async (label: string) => repos().getCertificate(certs[label] as string);
  const run = async (): Promise<DayReport[]> => {
    const out = await f.runLifecycle();
    assert.equal(out.ran, true);
    return (out as { result: DayReport[] }).result;
  };
  const refusal = async (names: string[]): Promise<Problem> => {
    const r = await newOrder(f, acct, names);
    assert.equal(r.status, 400, r.body);
    assert.equal(r.json()['type'], `${PREFIX}rejectedIdentifier`);
    return r.json() as unknown as Problem;
  };

  test('a notice on an applied (not started) usage FQDN ends it at once; nothing charged; its names refused', async () => {
    const r = await notice('applied.test', { note: 'customer changed plans' });
    assert.equal(r.status, 200, r.text);
    const v = r.json();
    assert.deepEqual([v.status, v.endedOn, v.endReason, v.startDate], ['ended', '2026-11-21', 'terminated-before-start', null]);
    assert.equal((await repos().listFeeLinesOfUsageFqdn(ids['applied.test'] as string)).length, 0);
    assert.equal((await withdraw('applied.test')).status, 409);
    assert.equal((await notice('applied.test')).status, 409);
    assert.match((await refusal(['www.applied.test'])).detail, /applied\.test ended on 2026-11-21/);
  });

  test('notices filed before expiry are recorded; the FQDNs stay active until then; a second notice is a conflict', async () => {
    f.clock.set('2026-12-10T01:00:00Z');
    for (const fqdn of ['term.test', 'keep.test', 'wd.test', '*.x.test']) {
      const r = await notice(fqdn, fqdn === 'keep.test' ? { unavoidable: true, note: 'subscriber contract with the operator ended' } : {});
      assert.equal(r.status, 200, `${fqdn}: ${r.text}`);
      assert.equal(r.json().status, 'active');
      assert.equal(r.json().expiryDate, '2026-12-31');
      assert.equal(r.json().terminationNotice.filedAt, '2026-12-10T01:00:00.000Z');
    }
    assert.equal((await notice('term.test')).status, 409);
    // x.test becomes a usage FQDN of its own (applied, not started): it also allows X0's only name.
    ids['x.test'] = await f.apply(op, sub, 'x.test', '1m');
  });

  test('a notice can be withdrawn on the expiry date itself (23:00 in Tokyo)', async () => {
    f.clock.set('2026-12-31T14:00:00Z');
    const r = await withdraw('wd.test');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json().terminationNotice, null);
  });

  test('after the expiry date a notice can no longer be withdrawn, even before the job has run', async () => {
    f.clock.set('2026-12-31T15:30:00Z'); // 2027-01-01 00:30 in Tokyo
    const r = await withdraw('term.test');
    assert.equal(r.status, 409, r.text);
    assert.match(r.text, /2026-12-31/);
    assert.equal((await view('term.test')).status, 'active', 'not yet processed');
  });

  test('the day after expiry: FQDNs with a notice end (endedOn = expiry date); the others continue', async () => {
    const reports = await run();
    assert.equal(reports[0]?.day, '2026-11-22');
    assert.equal(reports.at(-1)?.day, '2027-01-01');
    assert.equal(reports.length, 41, 'every day from 2026-11-22 to 2027-01-01 once');
    // Ended: term, keep, *.x. Continued: live, wd (withdrawn), old, late, *.keep. Revoked: C0, C1, K1.
    assert.deepEqual(reports.at(-1), { day: '2027-01-01', continued: 5, ended: 3, revoked: 3 });
    for (const fqdn of ['term.test', 'keep.test', '*.x.test']) {
      const v = await view(fqdn);
      assert.deepEqual([v.status, v.endedOn, v.endReason, v.expiryDate], ['ended', '2026-12-31', 'termination-notice', '2026-12-31'], fqdn);
      assert.equal((await repos().listFeeLinesOfUsageFqdn(ids[fqdn] as string)).length, 1, `${fqdn}: no continuation charged`);
    }
    for (const fqdn of ['wd.test', 'live.test', 'old.test', 'late.test', '*.keep.test']) {
      const v = await view(fqdn);
      assert.deepEqual([v.status, v.expiryDate], ['active', '2027-01-31'], fqdn);
    }
  });

  test('every unexpired certificate holding the ended names is revoked with reason 5, multi-domain included', async () => {
    for (const label of ['C0', 'C1', 'K1']) {
      const c = await cert(label);
      assert.equal(c?.revocation_reason, 5, label);
      assert.equal(c?.revoked_at, '2026-12-31T15:30:00.000Z', label);
      const viaOperator = (await op.api.get(`/certificates/${certs[label]}`)).json();
      assert.equal(viaOperator.revocationReason, 5, label);
    }
    const ended = ((await f.admin.get('/notification-events?kind=usage-fqdn.ended')).json().items as { subjectId: string; payload: { revokedCertificates: string[] } }[]).find(
      (e) => e.subjectId === ids['term.test'],
    );
    assert.deepEqual(ended?.payload.revokedCertificates.sort(), [certs['C0'], certs['C1']].sort());
    const revokedEvents = ((await f.admin.get('/notification-events?kind=certificate.revoked')).json().items as { subjectId: string; payload: { reason: number } }[]).map((e) => [e.subjectId, e.payload.reason]);
    assert.deepEqual(revokedEvents.sort(), [[certs['C0'], 5], [certs['C1'], 5], [certs['K1'], 5]].sort());
  });

  test('certificates whose names another live usage FQDN of the subscriber still allows are not revoked', async () => {
    // C2: live.test only. K2: *.keep.test. K3: keep.test, still allowed by *.keep.test. X0: x.test, allowed by x.test (applied).
    // W0: its notice was withdrawn. O0, L0: continued.
    for (const label of ['C2', 'K2', 'K3', 'X0', 'W0', 'O0', 'L0']) {
      const c = await cert(label);
      assert.equal(c?.revoked_at, null, label);
    }
  });

  test('new orders for the names of an ended FQDN are refused naming the end date; names still allowed elsewhere are fine', async () => {
    assert.match((await refusal(['term.test'])).detail, /usage period of term\.test ended on 2026-12-31/);
    assert.match((await refusal(['www.term.test'])).detail, /term\.test ended on 2026-12-31/);
    assert.match((await refusal(['www.keep.test'])).detail, /keep\.test ended on 2026-12-31/);
    const multi = await refusal(['live.test', 'term.test', 'www.keep.test']);
    assert.deepEqual((multi.subproblems ?? []).map((s) => s.identifier?.value).sort(), ['term.test', 'www.keep.test']);
    assert.equal((await newOrder(f, acct, ['keep.test', '*.keep.test'])).status, 201);
    assert.equal((await newOrder(f, acct, ['x.test'])).status, 201);
  });

  test('a kept certificate is revoked when the last usage FQDN allowing its names ends', async () => {
    // X0 (x.test) survived the end of *.x.test because x.test allows it; x.test now ends too.
    const r = await notice('x.test');
    assert.equal(r.json().status, 'ended');
    const c = await cert('X0');
    assert.equal(c?.revocation_reason, 5, 'X0 must not outlive every usage FQDN allowing x.test');
  });

  test('a notice filed during a continued period ends the usage at that period\'s expiry', async () => {
    const v = (await notice('late.test')).json();
    assert.deepEqual([v.status, v.expiryDate], ['active', '2027-01-31']);
    assert.notEqual(v.terminationNotice, null);
  });

  test('expired certificates are left alone; only unexpired ones are revoked', async () => {
    f.clock.set('2027-03-10T01:00:00Z');
    await run();
    assert.equal((await view('late.test')).status, 'ended', 'late.test ended at 2027-01-31');
    assert.equal((await view('late.test')).endedOn, '2027-01-31');
    certs['O1'] = await issue(f, acct, ['old.test', 'www.old.test']);
    assert.equal((await notice('old.test')).status, 200);
    f.clock.set('2027-03-31T15:00:00Z'); // 2027-04-01 00:00 in Tokyo
    await run();
    const v = await view('old.test');
    assert.deepEqual([v.status, v.endedOn], ['ended', '2027-03-31']);
    const o0 = await cert('O0');
    assert.ok(new Date(o0?.not_after as string) < f.clock.now(), 'O0 has expired');
    assert.equal(o0?.revoked_at, null);
    assert.equal((await cert('O1'))?.revocation_reason, 5);
  });

  test('re-registered after an end: allowed again; when it ends again the refusal names the latest end date', async () => {
    f.clock.set('2027-04-02T01:00:00Z');
    ids['term.test#2'] = await f.apply(op, sub, 'term.test', '1m');
    assert.equal((await newOrder(f, acct, ['term.test'])).status, 201);
    assert.equal((await op.api.post(`/usage-fqdns/${ids['term.test#2']}/termination-notice`, {})).json().endedOn, '2027-04-02');
    assert.match((await refusal(['term.test'])).detail, /term\.test ended on 2027-04-02/);
  });
});

describe('A notice filed after the expiry date, before the day-boundary job ran', () => {
  let f: AgencyFixture;
  let op: OperatorHandle;
  let id: string;
  before(async () => {
    f = await AgencyFixture.start();
    op = await f.designateOperator();
    const sub = await f.createSubscriber(op);
    id = await f.apply(op, sub, 'tardy.test', '1m');
    await issue(f, await account(f, await f.issueEab(op, sub)), ['tardy.test']); // expiry 2026-12-31
    await f.runLifecycle();
  });
  after(() => f.close());

  test('applies to the period that already began: the usage continues and ends at the next expiry', async () => {
    f.clock.set('2026-12-31T15:10:00Z'); // 2027-01-01 00:10 in Tokyo; the job has not run yet
    const r = await op.api.post(`/usage-fqdns/${id}/termination-notice`, {});
    assert.equal(r.status, 200, r.text);
    await f.runLifecycle();
    let v = (await op.api.get(`/usage-fqdns/${id}`)).json();
    assert.deepEqual([v.status, v.expiryDate], ['active', '2027-01-31'], 'not ended retroactively on 2026-12-31');
    assert.notEqual(v.terminationNotice, null, 'the notice stands for the next expiry');
    f.clock.set('2027-01-31T15:00:00Z');
    await f.runLifecycle();
    v = (await op.api.get(`/usage-fqdns/${id}`)).json();
    assert.deepEqual([v.status, v.endedOn], ['ended', '2027-01-31']);
  });
});

describe('registry.endOfUsageRevocationReason: 4', () => {
  let f: AgencyFixture;
  before(async () => {
    f = await AgencyFixture.start({ config: { registry: { endOfUsageRevocationReason: 4 } } });
  });
  after(() => f.close());

  test('certificates revoked at the end of usage carry reason 4 (superseded)', async () => {
    const op = await f.designateOperator();
    const sub = await f.createSubscriber(op);
    const id = await f.apply(op, sub, 'r4.test', '1m');
    const a = await account(f, await f.issueEab(op, sub));
    const one = await issue(f, a, ['r4.test']);
    const two = await issue(f, a, ['www.r4.test', 'r4.test']);
    await f.runLifecycle();
    assert.equal((await op.api.post(`/usage-fqdns/${id}/termination-notice`, {})).status, 200);
    f.clock.set('2027-01-01T00:00:00Z');
    const out = await f.runLifecycle();
    assert.deepEqual((out as { result: DayReport[] }).result.at(-1), { day: '2027-01-01', continued: 0, ended: 1, revoked: 2 });
    for (const serial of [one, two]) {
      assert.equal((await f.shomei.inst.sa.repos.getCertificate(serial))?.revocation_reason, 4);
      assert.equal((await op.api.get(`/certificates/${serial}`)).json().revocationReason, 4);
    }
  });
});
