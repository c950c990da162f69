// SPEC §8 (AR 16): correction notice → suspension → lift, through the admin
// API, the operator API and ACME, with the clock injected. While the operator
// is suspended its applications are refused (403), its unstarted usage FQDNs
// cannot start (rejectedIdentifier), started ones keep renewing, and those
// whose expiry date falls within the suspension end at expiry with their
// certificates revoked; lifting restores normal behaviour from that moment.
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { AgencyFixture, CONSENT, type OperatorHandle } from '../../support/agency-fixture.js';
import { account, issue, newOrder, type Acct } from '../../support/agency-acme.js';
import { AriClient, certIdOf } from '../../support/ari-client.js';

type Ev = { id: string; kind: string; subjectId: string; operatorId: string | null; payload: Record<string, unknown>; createdAt: string };

describe('Correction notice → suspension → lift (SPEC §8, AR 16)', () => {
  let f: AgencyFixture;
  let op: OperatorHandle;
  let sub: string;
  let acct: Acct;
  let ari: AriClient;
  let noticeId: string;
  let suspensionId: string;
  const ids: Record<string, string> = {};
  const certs: Record<string, string> = {};

  before(async () => {
    f = await AgencyFixture.start(); // 2026-11-21 12:00 in Tokyo
    op = await f.designateOperator({ name: 'Suspended Reseller K.K.' });
    sub = await f.createSubscriber(op);
    for (const fqdn of ['ends.test', 'renew.test', 'lift.test', 'pending.test']) ids[fqdn] = await f.apply(op, sub, fqdn, '1m');
    acct = await account(f, await f.issueEab(op, sub));
    ari = await AriClient.fromDirectory(f.shomei.directoryUrl, f.shomei.rootPem);
    certs['E'] = await issue(f, acct, ['ends.test', 'www.ends.test']); // started 2026-11-21, expiry 2026-12-31
    certs['R1'] = await issue(f, acct, ['renew.test']); // started 2026-11-21, expiry 2026-12-31
    await f.runLifecycle();
  });
  after(() => f.close());

  const repos = () => f.shomei.inst.sa.repos;
  const events = async (kind: string): Promise<Ev[]> => ((await f.admin.get(`/notification-events?kind=${kind}&operatorId=${op.id}`)).json().items as Ev[]).filter((e) => e.operatorId === op.id);
  const usage = async (fqdn: string) => (await op.api.get(`/usage-fqdns/${ids[fqdn]}`)).json();
  const apply = (fqdn: string) => op.api.post('/usage-fqdns', { subscriberId: sub, fqdn, period: '1m', consent: CONSENT });
  const ariWindow = async (label: string) => {
    const row = await repos().getCertificate(certs[label] as string);
    const r = await ari.get(certIdOf(new Uint8Array(Buffer.from(row?.der as string, 'base64'))));
    assert.equal(r.status, 200, r.response.body);
    return r.window as { start: Date; end: Date };
  };

  test('a correction period under 30 days is refused as malformed; "contact-unreachable" needs the unreachable flag', async () => {
    const short = await f.admin.post(`/operators/${op.id}/correction-notices`, { ground: 'material-breach', detail: 'Consent records missing', correctionDays: 29 });
    assert.equal(short.status, 400, short.text);
    assert.match(short.text, /at least 30/);
    const unreachable = await f.admin.post(`/operators/${op.id}/correction-notices`, { ground: 'contact-unreachable', detail: 'No answer' });
    assert.equal(unreachable.status, 409, unreachable.text);
    assert.equal((await f.admin.get(`/operators/${op.id}/correction-notices`)).json().items.length, 0);
  });

  test('a 30-day notice issued 2026-11-21 12:00 JST runs through 2026-12-21; deadline 2026-12-22 00:00 JST; notified', async () => {
    const r = await f.admin.post(`/operators/${op.id}/correction-notices`, { ground: 'unpaid-fees', detail: 'October statement unpaid', correctionDays: 30 });
    assert.equal(r.status, 201, r.text);
    const n = r.json();
    noticeId = n.id;
    assert.deepEqual([n.status, n.correctionDays, n.lastDay, n.deadline], ['open', 30, '2026-12-21', '2026-12-21T15:00:00.000Z']);
    const [ev] = await events('operator.correction-notice');
    assert.deepEqual(ev?.payload, {
      noticeId,
      operatorName: 'Suspended Reseller K.K.',
      ground: 'unpaid-fees',
      detail: 'October statement unpaid',
      issuedAt: '2026-11-21T03:00:00.000Z',
      deadline: '2026-12-21T15:00:00.000Z',
      correctionDays: 30,
    });
    const standing = (await f.admin.get(`/operators/${op.id}/standing`)).json();
    assert.deepEqual([standing.suspended, standing.openNotices.map((x: { id: string }) => x.id)], [false, [noticeId]]);
  });

  test('lift.test starts on 2026-12-01 (expiry 2027-01-31)', async () => {
    f.clock.set('2026-12-01T03:00:00Z');
    certs['L'] = await issue(f, acct, ['lift.test']);
    assert.equal((await usage('lift.test')).expiryDate, '2027-01-31');
  });

  test('the operator cannot be suspended for the notice before its deadline (23:59:59 JST on the last day)', async () => {
    f.clock.set('2026-12-21T14:59:59Z');
    const r = await f.admin.post(`/operators/${op.id}/suspensions`, { reason: 'Fees unpaid', noticeId });
    assert.equal(r.status, 409, r.text);
    assert.match(r.text, /runs until 2026-12-21T15:00:00\.000Z/);
    assert.equal((await f.admin.get(`/operators/${op.id}/suspensions`)).json().items.length, 0);
  });

  test('at the deadline: suspended until corrected; the notice becomes "suspended"; suspension-started notified', async () => {
    f.clock.set('2026-12-21T15:00:00Z');
    const r = await f.admin.post(`/operators/${op.id}/suspensions`, { reason: 'Fees unpaid after the correction period', noticeId });
    assert.equal(r.status, 201, r.text);
    const s = r.json();
    suspensionId = s.id;
    assert.deepEqual([s.kind, s.state, s.startsAt, s.endsAt, s.noticeId], ['notice', 'in-force', '2026-12-21T15:00:00.000Z', null, noticeId]);
    assert.equal((await f.admin.get(`/operators/${op.id}/correction-notices?status=suspended`)).json().items[0]?.id, noticeId);
    const started = await events('operator.suspension-started');
    assert.equal(started.length, 1);
    assert.deepEqual(started[0]?.payload, {
      suspensionId,
      operatorName: 'Suspended Reseller K.K.',
      kind: 'notice',
      reason: 'Fees unpaid after the correction period',
      startsAt: '2026-12-21T15:00:00.000Z',
      endsAt: null,
    });
    const standing = (await f.admin.get(`/operators/${op.id}/standing`)).json();
    assert.deepEqual([standing.suspended, standing.suspension.id, standing.accessRefused], [true, suspensionId, null]);
    const list = (await f.admin.get('/operator-standings?suspended=true')).json().items.map((x: { operatorId: string }) => x.operatorId);
    assert.deepEqual(list, [op.id]);
  });

  test('while suspended a new application is refused with 403 naming the period; nothing is stored but the audit of the call', async () => {
    const before = (await repos().listUsageFqdns({ operatorId: op.id, limit: 100 })).length;
    const r = await apply('new.test');
    assert.equal(r.status, 403, r.text);
    assert.match(r.text, /suspended since 2026-12-21T15:00:00\.000Z until corrected/);
    assert.equal((await repos().listUsageFqdns({ operatorId: op.id, limit: 100 })).length, before);
    assert.equal((await repos().listFqdnApplications({ operatorId: op.id })).filter((a) => a.fqdn_input === 'new.test').length, 0);
    const audit = (await f.admin.get('/audit/events?action=usage-fqdn.application-refused')).json();
    const mine = (audit.items as { action: string; objectId: string; details: { fqdn: string; cause: string } }[]).filter((e) => e.action === 'usage-fqdn.application-refused' && e.objectId === op.id);
    assert.deepEqual(mine.map((e) => [e.details.fqdn, e.details.cause]), [['new.test', 'operator-suspended']]);
  });

  test('a usage FQDN applied before the suspension that has not started cannot start: rejectedIdentifier over ACME', async () => {
    const r = await newOrder(f, acct, ['pending.test']);
    assert.equal(r.status, 400, r.body);
    const p = r.json() as { type: string; detail: string };
    assert.equal(p.type, 'urn:ietf:params:acme:error:rejectedIdentifier');
    assert.match(p.detail, /usage period of pending\.test cannot start: its operator is suspended since 2026-12-21T15:00:00\.000Z until corrected/);
    assert.equal((await usage('pending.test')).status, 'applied');
  });

  test('a started usage FQDN keeps renewing over ACME', async () => {
    certs['R2'] = await issue(f, acct, ['renew.test', 'www.renew.test']);
    const row = await repos().getCertificate(certs['R2'] as string);
    assert.equal(row?.revoked_at, null);
  });

  test('ARI: certificates issued before the suspension renew now (their expiry date falls within it); the renewal does not', async () => {
    assert.ok((await ariWindow('E')).end < f.clock.now());
    assert.ok((await ariWindow('R1')).end < f.clock.now());
    assert.ok((await ariWindow('R2')).start > f.clock.now(), 'issued after the suspension: its schedule stands');
    assert.ok((await ariWindow('L')).end < f.clock.now(), 'lift.test expires 2027-01-31, within the open-ended suspension');
  });

  test('the governance job sends "ending soon" once per expiry date for FQDNs ending within 14 days because of the suspension', async () => {
    const run = await f.shomei.inst.jobs.run('governance');
    assert.equal(run.ran, true);
    const soon = await events('usage-fqdn.ending-soon');
    assert.deepEqual(
      soon.map((e) => [e.subjectId, e.payload]).sort(),
      [
        [ids['ends.test'], { fqdn: 'ends.test', expiryDate: '2026-12-31', reason: 'operator-suspended' }],
        [ids['renew.test'], { fqdn: 'renew.test', expiryDate: '2026-12-31', reason: 'operator-suspended' }],
      ].sort(),
    );
    await f.shomei.inst.jobs.run('governance');
    assert.equal((await events('usage-fqdn.ending-soon')).length, 2, 'not sent twice');
    assert.equal((await repos().getUsageFqdn(ids['ends.test'] as string))?.ending_soon_notified_for, '2026-12-31');
  });

  test('at 00:00 JST after 2026-12-31 the FQDNs expiring within the suspension end at expiry (no notice) and their certificates are revoked', async () => {
    f.clock.set('2026-12-31T15:30:00Z');
    const out = await f.runLifecycle();
    assert.equal(out.ran, true);
    for (const fqdn of ['ends.test', 'renew.test']) {
      const v = await usage(fqdn);
      assert.deepEqual([v.status, v.endedOn, v.endReason], ['ended', '2026-12-31', 'operator-suspended'], fqdn);
      assert.equal(v.terminationNotice, null, `${fqdn}: no notice was filed`);
    }
    for (const label of ['E', 'R1', 'R2']) {
      const c = await repos().getCertificate(certs[label] as string);
      assert.equal(c?.revocation_reason, 5, label);
      assert.equal(c?.revoked_at, '2026-12-31T15:30:00.000Z', label);
    }
    assert.equal((await usage('lift.test')).status, 'active');
    const ended = (await events('usage-fqdn.ended')).find((e) => e.subjectId === ids['ends.test']);
    assert.equal(ended?.payload['reason'], 'operator-suspended');
  });

  test('lifting restores normal behaviour from that moment: applications accepted, pending FQDNs can start; ended ones stay ended', async () => {
    f.clock.set('2027-01-10T03:00:00Z');
    const r = await f.admin.post(`/operators/${op.id}/suspensions/${suspensionId}/lift`, { note: 'October fees received' });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.json().state, r.json().liftedAt], ['lifted', '2027-01-10T03:00:00.000Z']);
    const ended = await events('operator.suspension-ended');
    assert.deepEqual(ended.map((e) => e.payload), [{ suspensionId, operatorName: 'Suspended Reseller K.K.', endedAt: '2027-01-10T03:00:00.000Z', how: 'lifted' }]);
    assert.equal((await f.admin.post(`/operators/${op.id}/suspensions/${suspensionId}/lift`, {})).status, 409);
    assert.equal((await f.admin.get(`/operators/${op.id}/standing`)).json().suspended, false);

    assert.equal((await apply('new.test')).status, 201);
    certs['P'] = await issue(f, acct, ['pending.test']);
    assert.equal((await usage('pending.test')).status, 'active');
    assert.equal((await usage('ends.test')).status, 'ended');
    const again = await newOrder(f, acct, ['ends.test']);
    assert.equal(again.status, 400);
    assert.match(again.body, /ended on 2026-12-31/);
    assert.ok((await ariWindow('L')).end > f.clock.now(), 'lift.test continues: back to the middle third, not a window in the past');
  });

  test('an expiry date after the lift continues as usual', async () => {
    f.clock.set('2027-01-31T15:30:00Z');
    assert.equal((await f.runLifecycle()).ran, true);
    const v = await usage('lift.test');
    assert.deepEqual([v.status, v.expiryDate], ['active', '2027-02-28']);
    assert.equal((await repos().getCertificate(certs['L'] as string))?.revoked_at, null);
  });

  test('the notice can then be marked corrected; a second resolution is a conflict', async () => {
    const r = await f.admin.post(`/operators/${op.id}/correction-notices/${noticeId}/corrected`, { note: 'paid' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json().status, 'corrected');
    assert.equal((await f.admin.post(`/operators/${op.id}/correction-notices/${noticeId}/withdrawn`, {})).status, 409);
    const resolved = await events('operator.correction-resolved');
    assert.deepEqual(resolved.map((e) => e.payload), [{ noticeId, operatorName: 'Suspended Reseller K.K.', resolution: 'corrected', note: 'paid' }]);
    // The suspension was already lifted: not lifted (nor notified) again.
    assert.equal((await events('operator.suspension-ended')).length, 1);
  });

  test('every change is in the audit trail with before/after, and the chain verifies', async () => {
    const audit = (await f.admin.get(`/audit/events?objectId=${op.id}`)).json().items as { action: string; details: Record<string, unknown> }[];
    const actions = audit.map((e) => e.action);
    for (const a of ['operator.correction-notice', 'operator.suspended', 'operator.suspension-lifted', 'operator.correction-corrected']) assert.ok(actions.includes(a), a);
    const lifted = audit.find((e) => e.action === 'operator.suspension-lifted');
    assert.equal((lifted?.details['before'] as { state: string }).state, 'in-force');
    assert.equal((lifted?.details['after'] as { state: string }).state, 'lifted');
    const v = await f.admin.get('/audit/verify');
    assert.equal(v.status, 200, v.text);
    assert.equal(v.json().ok, true, v.text);
  });
});
