// SPEC §8 (AR 16) on the scheduler and in the admin API: the unreachable flag
// (21 days), the governance job suspending an operator whose correction
// notice ran out (governance.autoSuspend), marking the notice corrected
// lifting that suspension, and a scheduled suspension whose start and end
// are notified once each.
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { AgencyFixture, type OperatorHandle } from '../../support/agency-fixture.js';
import type { GovernanceReport } from '../../../src/jobs/governance-job.js';

type Ev = { kind: string; subjectId: string; operatorId: string | null; payload: Record<string, unknown> };
const DAY = 86_400_000;

describe('Governance job and the unreachable flag (SPEC §8, AR 16)', () => {
  let f: AgencyFixture;
  let op: OperatorHandle;
  let noticeId: string;
  let autoId: string;

  before(async () => {
    f = await AgencyFixture.start({ config: { governance: { autoSuspend: true } } }); // 2026-11-21T03:00Z
    op = await f.designateOperator({ name: 'Quiet Reseller K.K.' });
  });
  after(() => f.close());

  const events = async (kind: string): Promise<Ev[]> => ((await f.admin.get(`/notification-events?kind=${kind}&operatorId=${op.id}`)).json().items as Ev[]).filter((e) => e.operatorId === op.id);
  const runJob = async (): Promise<GovernanceReport> => {
    const out = await f.shomei.inst.jobs.run('governance');
    assert.equal(out.ran, true);
    return (out as { result: GovernanceReport }).result;
  };
  const unreachableIds = async () => (await f.admin.get('/operator-standings?unreachable=true')).json().items.map((s: { operatorId: string }) => s.operatorId) as string[];

  test('contact attempts: unreachable since the first failure after the last success; flagged at 21 days, not at 20', async () => {
    const rec = (body: Record<string, unknown>) => f.admin.post(`/operators/${op.id}/contact-attempts`, body);
    assert.equal((await rec({ method: 'email', outcome: 'unreachable', attemptedAt: '2026-11-01T00:00:00Z' })).status, 201);
    assert.equal((await rec({ method: 'phone', outcome: 'reached', attemptedAt: '2026-11-02T00:00:00Z' })).status, 201);
    const r = await rec({ method: 'phone', outcome: 'unreachable', note: 'no answer', attemptedAt: '2026-11-21T03:00:00Z' });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.json().reachability, { unreachableSince: '2026-11-21T03:00:00.000Z', unreachableDays: 0, flagged: false });
    assert.equal((await rec({ method: 'pigeon', outcome: 'unreachable' })).status, 400);
    assert.equal((await rec({ method: 'email', outcome: 'unreachable', attemptedAt: '2026-11-22T00:00:00Z' })).status, 400, 'in the future');
    assert.equal((await f.admin.get(`/operators/${op.id}/contact-attempts`)).json().items.length, 3);

    f.clock.set(new Date(Date.parse('2026-11-21T03:00:00Z') + 20 * DAY));
    assert.equal((await rec({ method: 'email', outcome: 'unreachable' })).status, 201);
    let standing = (await f.admin.get(`/operators/${op.id}/standing`)).json();
    assert.deepEqual([standing.unreachable.unreachableDays, standing.unreachable.flagged, standing.unreachable.thresholdDays], [20, false, 21]);
    assert.deepEqual(await unreachableIds(), []);
    const early = await f.admin.post(`/operators/${op.id}/correction-notices`, { ground: 'contact-unreachable', detail: 'No answer since 2026-11-21' });
    assert.equal(early.status, 409, early.text);
    assert.match(early.text, /20 days, fewer than the 21/);

    f.clock.set(new Date(Date.parse('2026-11-21T03:00:00Z') + 21 * DAY)); // 2026-12-12T03:00Z
    standing = (await f.admin.get(`/operators/${op.id}/standing`)).json();
    assert.deepEqual([standing.unreachable.unreachableDays, standing.unreachable.flagged], [21, true]);
    assert.deepEqual(await unreachableIds(), [op.id]);
    assert.ok(!(await f.admin.get('/operator-standings?unreachable=false')).json().items.some((s: { operatorId: string }) => s.operatorId === op.id));
  });

  test('a "contact-unreachable" notice is accepted once flagged; the default period is 30 days', async () => {
    const r = await f.admin.post(`/operators/${op.id}/correction-notices`, { ground: 'contact-unreachable', detail: 'No answer since 2026-11-21' });
    assert.equal(r.status, 201, r.text);
    noticeId = r.json().id;
    // Issued 2026-12-12 12:00 JST: through 2027-01-11, deadline 2027-01-12 00:00 JST.
    assert.deepEqual([r.json().correctionDays, r.json().lastDay, r.json().deadline], [30, '2027-01-11', '2027-01-11T15:00:00.000Z']);
  });

  test('the job suspends nobody before the deadline', async () => {
    f.clock.set('2027-01-11T14:59:59Z');
    assert.deepEqual((await runJob()).suspended, []);
    assert.equal((await f.admin.get(`/operators/${op.id}/suspensions`)).json().items.length, 0);
  });

  test('at the deadline the job suspends the operator until corrected, naming the notice; once only', async () => {
    f.clock.set('2027-01-11T15:00:00Z');
    const report = await runJob();
    assert.equal(report.suspended.length, 1);
    autoId = report.suspended[0] as string;
    const [s] = (await f.admin.get(`/operators/${op.id}/suspensions`)).json().items;
    assert.deepEqual([s.id, s.kind, s.noticeId, s.endsAt, s.state, s.createdBy], [autoId, 'notice', noticeId, null, 'in-force', 'system:governance']);
    assert.match(s.reason, new RegExp(`Correction notice ${noticeId} .*not corrected by its deadline 2027-01-11T15:00:00.000Z`));
    assert.equal((await f.admin.get(`/operators/${op.id}/correction-notices`)).json().items[0].status, 'suspended');
    assert.deepEqual((await runJob()).suspended, []);
    const started = await events('operator.suspension-started');
    assert.deepEqual(started.map((e) => [e.subjectId, e.payload['endsAt'], e.payload['kind']]), [[autoId, null, 'notice']]);
  });

  test('marking the notice corrected lifts the suspension imposed for it, notified as lifted', async () => {
    f.clock.set('2027-01-12T01:00:00Z');
    const r = await f.admin.post(`/operators/${op.id}/correction-notices/${noticeId}/corrected`, { note: 'contact restored' });
    assert.equal(r.status, 200, r.text);
    const [s] = (await f.admin.get(`/operators/${op.id}/suspensions`)).json().items;
    assert.deepEqual([s.state, s.liftedAt], ['lifted', '2027-01-12T01:00:00.000Z']);
    assert.deepEqual((await events('operator.suspension-ended')).map((e) => e.payload), [{ suspensionId: autoId, operatorName: 'Quiet Reseller K.K.', endedAt: '2027-01-12T01:00:00.000Z', how: 'lifted' }]);
    assert.equal((await f.admin.get(`/operators/${op.id}/standing`)).json().suspended, false);
  });

  test('a scheduled suspension: start notified by the job when it begins, end when its period ends — once each', async () => {
    const r = await f.admin.post(`/operators/${op.id}/suspensions`, { reason: 'Material adverse change', startsAt: '2027-01-13T00:00:00Z', endsAt: '2027-01-20T00:00:00Z' });
    assert.equal(r.status, 201, r.text);
    const id = r.json().id as string;
    assert.equal(r.json().state, 'scheduled');
    assert.equal((await events('operator.suspension-started')).length, 1, 'not notified before it begins');
    assert.deepEqual((await f.admin.get(`/operators/${op.id}/standing`)).json().scheduled.map((s: { id: string }) => s.id), [id]);
    assert.equal((await f.admin.post(`/operators/${op.id}/suspensions`, { reason: 'x', startsAt: '2027-01-01T00:00:00Z' })).status, 400, 'cannot start in the past');
    assert.equal((await f.admin.post(`/operators/${op.id}/suspensions`, { reason: 'x', startsAt: '2027-01-13T00:00:00Z', endsAt: '2027-01-13T00:00:00Z' })).status, 400);

    f.clock.set('2027-01-13T00:00:00Z');
    assert.equal((await runJob()).startsNotified, 1);
    assert.equal((await runJob()).startsNotified, 0);
    const started = (await events('operator.suspension-started')).filter((e) => e.subjectId === id);
    assert.deepEqual(started.map((e) => e.payload), [{ suspensionId: id, operatorName: 'Quiet Reseller K.K.', kind: 'notice', reason: 'Material adverse change', startsAt: '2027-01-13T00:00:00.000Z', endsAt: '2027-01-20T00:00:00.000Z' }]);
    assert.equal((await f.admin.get(`/operators/${op.id}/standing`)).json().suspended, true);

    f.clock.set('2027-01-19T23:59:59Z');
    assert.equal((await runJob()).endsNotified, 0);
    f.clock.set('2027-01-20T00:00:00Z');
    assert.equal((await f.admin.get(`/operators/${op.id}/standing`)).json().suspended, false, 'ends by itself at endsAt');
    assert.equal((await runJob()).endsNotified, 1);
    assert.equal((await runJob()).endsNotified, 0);
    const ended = (await events('operator.suspension-ended')).filter((e) => e.subjectId === id);
    assert.deepEqual(ended.map((e) => e.payload), [{ suspensionId: id, operatorName: 'Quiet Reseller K.K.', endedAt: '2027-01-20T00:00:00.000Z', how: 'period-ended' }]);
    assert.equal((await f.admin.post(`/operators/${op.id}/suspensions/${id}/lift`, {})).status, 409, 'already ended');
  });

  test('a scheduled suspension lifted before it begins is cancelled and never announced', async () => {
    const r = await f.admin.post(`/operators/${op.id}/suspensions`, { reason: 'Planned', startsAt: '2027-02-01T00:00:00Z' });
    const id = r.json().id as string;
    const lift = await f.admin.post(`/operators/${op.id}/suspensions/${id}/lift`, { note: 'resolved in time' });
    assert.equal(lift.json().state, 'cancelled');
    f.clock.set('2027-02-02T00:00:00Z');
    assert.equal((await runJob()).startsNotified, 0);
    assert.equal((await events('operator.suspension-started')).filter((e) => e.subjectId === id).length, 0);
    assert.equal((await events('operator.suspension-ended')).filter((e) => e.subjectId === id).length, 0);
  });
});
