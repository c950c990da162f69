// SPEC §8 (AR 17): immediate suspension — one admin action revokes every API
// key of the operator at once and refuses every authenticated operator call,
// with keys issued later too, until CA staff lift it; then new keys work and
// the old ones stay revoked.
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { AgencyFixture, type OperatorHandle } from '../../support/agency-fixture.js';
import { account, newOrder, type Eab } from '../../support/agency-acme.js';

type Ev = { kind: string; subjectId: string; operatorId: string | null; payload: Record<string, unknown> };

describe('Immediate suspension (SPEC §8, AR 17)', () => {
  let f: AgencyFixture;
  let op: OperatorHandle;
  let other: OperatorHandle;
  let second: string;
  let during: string;
  let suspensionId: string;
  let sub: string;
  let eab: Eab;

  before(async () => {
    f = await AgencyFixture.start();
    op = await f.designateOperator({ name: 'Leaky Reseller K.K.' });
    other = await f.designateOperator({ name: 'Other Reseller K.K.' });
    const k = await f.admin.post(`/operators/${op.id}/api-keys`, { label: 'secondary' });
    second = k.json().token;
    sub = await f.createSubscriber(op);
    await f.apply(op, sub, 'site.test', '1m');
    eab = await f.issueEab(op, sub);
  });
  after(() => f.close());

  const events = async (kind: string): Promise<Ev[]> => ((await f.admin.get(`/notification-events?kind=${kind}&operatorId=${op.id}`)).json().items as Ev[]).filter((e) => e.operatorId === op.id);
  const call = (token: string) => f.operatorClient(token).get('/subscribers');

  test('before: both keys work', async () => {
    assert.equal((await call(op.token)).status, 200);
    assert.equal((await call(second)).status, 200);
  });

  test('one action revokes every key at once, in one transaction with the suspension, audited and notified', async () => {
    f.clock.set('2026-11-22T01:00:00Z');
    const r = await f.admin.post(`/operators/${op.id}/immediate-suspension`, { reason: 'API key published in a public repository' });
    assert.equal(r.status, 201, r.text);
    suspensionId = r.json().id;
    assert.deepEqual([r.json().kind, r.json().state, r.json().endsAt, r.json().keysRevoked], ['immediate', 'in-force', null, 2]);
    const keys = (await f.admin.get(`/operators/${op.id}/api-keys`)).json().items as { revokedAt: string | null }[];
    assert.deepEqual(keys.map((k) => k.revokedAt), ['2026-11-22T01:00:00.000Z', '2026-11-22T01:00:00.000Z']);
    assert.deepEqual((await events('operator.immediate-suspension')).map((e) => e.payload), [
      { suspensionId, operatorName: 'Leaky Reseller K.K.', reason: 'API key published in a public repository', startsAt: '2026-11-22T01:00:00.000Z', keysRevoked: 2 },
    ]);
    assert.equal((await events('operator.suspension-started')).length, 0, 'announced as an immediate suspension only');
    const audit = (await f.admin.get(`/audit/events?objectId=${op.id}&action=operator.api-keys-revoked`)).json().items as { details: { keyIds: string[] } }[];
    assert.equal(audit[0]?.details.keyIds.length, 2);
    assert.equal((await f.admin.post(`/operators/${op.id}/immediate-suspension`, { reason: 'again' })).status, 409);
  });

  test('every call with the old keys fails at once; other operators are unaffected', async () => {
    assert.equal((await call(op.token)).status, 401);
    assert.equal((await call(second)).status, 401);
    assert.equal((await other.api.get('/subscribers')).status, 200);
  });

  test('a key issued during the suspension is refused (403) naming AR 17', async () => {
    const k = await f.admin.post(`/operators/${op.id}/api-keys`, { label: 'replacement' });
    assert.equal(k.status, 201, k.text);
    during = k.json().token;
    const r = await call(during);
    assert.equal(r.status, 403, r.text);
    assert.match(r.text, /immediate effect since 2026-11-22T01:00:00\.000Z \(AR 17\)/);
    assert.equal((await f.operatorClient(during).post('/usage-fqdns', {})).status, 403, 'writes too');
    const standing = (await f.admin.get(`/operators/${op.id}/standing`)).json();
    assert.deepEqual([standing.suspended, standing.suspension.kind], [true, 'immediate']);
    assert.match(standing.accessRefused, /AR 17/);
  });

  test("the subscriber's ACME account still works, but the operator's unstarted usage FQDN cannot start", async () => {
    // AR 17 refuses operator actions; the subscriber's own ACME account is not one (credentials issued before).
    const acct = await account(f, eab);
    const r = await newOrder(f, acct, ['site.test']);
    assert.equal(r.status, 400, r.body);
    assert.match(r.body, /usage period of site\.test cannot start: its operator is suspended since 2026-11-22T01:00:00\.000Z until lifted by the CA/);
  });

  test('after CA staff lift it, the key issued during the suspension works; the old keys stay revoked', async () => {
    f.clock.set('2026-11-23T01:00:00Z');
    const r = await f.admin.post(`/operators/${op.id}/suspensions/${suspensionId}/lift`, { note: 'repository removed, fix confirmed' });
    assert.equal(r.status, 200, r.text);
    assert.equal((await call(during)).status, 200);
    assert.equal((await call(op.token)).status, 401);
    assert.equal((await call(second)).status, 401);
    const fresh = await f.admin.post(`/operators/${op.id}/api-keys`, { label: 'after the fix' });
    assert.equal((await call(fresh.json().token)).status, 200);
    assert.deepEqual((await events('operator.suspension-ended')).map((e) => e.payload), [{ suspensionId, operatorName: 'Leaky Reseller K.K.', endedAt: '2026-11-23T01:00:00.000Z', how: 'lifted' }]);
    assert.equal((await f.admin.get(`/operators/${op.id}/standing`)).json().accessRefused, null);
  });
});
