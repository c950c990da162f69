// The admin API (CA staff): designation with the contract fee (AR 2,
// supplementary 2), changes, lists, operator API keys, payments and
// statements (SPEC §9), oversight, and the admin token it requires.
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { AgencyFixture } from '../../support/agency-fixture.js';
import { ApiClient, type ApiResponse } from '../../support/api-client.js';

function assertProblem(r: ApiResponse, status: number, kind: string): { detail: string } {
  assert.equal(r.status, status, r.text);
  assert.match(String(r.headers['content-type']), /^application\/problem\+json/);
  const p = r.json() as { type: string; status: number; detail: string };
  assert.equal(p.type, `urn:shomei:problem:${kind}`);
  assert.equal(p.status, status);
  return p;
}

const OPERATOR = {
  name: 'Designated Reseller K.K.',
  representative: 'Jiro Tanaka',
  address: '1-1 Chiyoda, Tokyo',
  contacts: [
    { name: 'Desk', email: 'Desk@Reseller.test', phone: '+81-3-0000-0000', role: 'notices' },
    { email: 'billing@reseller.test', role: 'billing' },
  ],
  acmeHandling: true,
};

describe('admin API', () => {
  let f: AgencyFixture;
  before(async () => {
    f = await AgencyFixture.start();
  });
  after(async () => f.close());

  const statement = async (operatorId: string, month = '2026-11') => {
    const r = await f.admin.get(`/operators/${operatorId}/statements/${month}`);
    assert.equal(r.status, 200, r.text);
    return r.json() as { lines: { kind: string; unitPrice: number; tax: number; total: number; date: string }[]; subtotal: number; tax: number; total: number; openingBalance: number; paymentsTotal: number; payments: unknown[]; closingBalance: number };
  };

  test('designate → 201; the contract fee (250,000 + 10 % tax) is booked on the designation date', async () => {
    const r = await f.admin.post('/operators', OPERATOR);
    assert.equal(r.status, 201, r.text);
    const o = r.json();
    assert.match(o.id, /^op_/);
    assert.equal(o.name, OPERATOR.name);
    assert.equal(o.representative, OPERATOR.representative);
    assert.equal(o.address, OPERATOR.address);
    assert.equal(o.contacts[0].email, 'desk@reseller.test');
    assert.equal(o.acmeHandling, true);
    assert.equal(o.domainDesignated, false);
    assert.equal(o.caDesk, false);
    assert.equal(o.status, 'active');
    assert.equal(o.designatedAt, f.clock.now().toISOString());
    const s = await statement(o.id);
    assert.deepEqual(
      s.lines.map((l) => [l.kind, l.date, l.unitPrice, l.tax, l.total]),
      [['contract', '2026-11-21', 250000, 25000, 275000]],
    );
    assert.equal(s.total, 275000);
    assert.equal(s.closingBalance, 275000);
    const audit = (await f.shomei.inst.sa.repos.listAudit('operator', o.id)).find((a) => a.action === 'operator.designated');
    assert.equal(audit?.actor, 'admin:test-admin');
  });

  test('no contract fee for an operator already designated for domain names', async () => {
    const r = await f.admin.post('/operators', { ...OPERATOR, name: 'Domain Registrar K.K.', domainDesignated: true });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json().domainDesignated, true);
    const s = await statement(r.json().id as string);
    assert.deepEqual(s.lines, []);
    assert.equal(s.total, 0);
    assert.equal(s.closingBalance, 0);
  });

  test('bad designations → 400 and nothing is designated', async () => {
    const before = (await f.admin.get('/operators')).json().items.length as number;
    const cases: [unknown, RegExp][] = [
      [{ ...OPERATOR, contacts: undefined }, /contacts/],
      [{ ...OPERATOR, contacts: [] }, /contacts/],
      [{ ...OPERATOR, contacts: [{ email: 'nope' }] }, /email/],
      [{ ...OPERATOR, name: '' }, /name/],
      [{ ...OPERATOR, representative: undefined }, /representative/],
      [{ ...OPERATOR, acmeHandling: 'yes' }, /acmeHandling/],
      [{ ...OPERATOR, fee: 0 }, /unknown property "fee"/],
    ];
    for (const [body, why] of cases) assert.match(assertProblem(await f.admin.post('/operators', body), 400, 'malformed').detail, why, JSON.stringify(body));
    assert.equal((await f.admin.get('/operators')).json().items.length, before);
  });

  test("update: record changes to an operator's details; GET and the list show them", async () => {
    const id = (await f.designateOperator({ name: 'Before Rename K.K.' })).id;
    f.clock.advance(60_000);
    const r = await f.admin.patch(`/operators/${id}`, { name: 'After Rename K.K.', contacts: [{ email: 'new-desk@reseller.test' }] });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json().name, 'After Rename K.K.');
    assert.deepEqual(r.json().contacts, [{ email: 'new-desk@reseller.test' }]);
    assert.equal(r.json().representative, 'Taro Yamada', 'untouched fields stay');
    assert.equal(r.json().updatedAt, f.clock.now().toISOString());
    assert.equal((await f.admin.get(`/operators/${id}`)).json().name, 'After Rename K.K.');
    const listed = (await f.admin.get('/operators')).json().items as { id: string; name: string }[];
    assert.equal(listed.find((o) => o.id === id)?.name, 'After Rename K.K.');
    assertProblem(await f.admin.patch(`/operators/${id}`, {}), 400, 'malformed');
    assertProblem(await f.admin.patch(`/operators/${id}`, { caDesk: true }), 400, 'malformed');
    assertProblem(await f.admin.patch(`/operators/${id}`, { name: 7 }), 400, 'malformed');
    assertProblem(await f.admin.patch('/operators/op_doesnotexist', { name: 'x' }), 404, 'notFound');
    assertProblem(await f.admin.get('/operators/op_doesnotexist'), 404, 'notFound');
    const audit = (await f.shomei.inst.sa.repos.listAudit('operator', id)).find((a) => a.action === 'operator.updated');
    const d = JSON.parse(audit?.details ?? '{}') as { before: { name: string }; after: { name: string } };
    assert.equal(d.before.name, 'Before Rename K.K.');
    assert.equal(d.after.name, 'After Rename K.K.');
  });

  test("list operators; an operator's API keys are listed without secrets", async () => {
    const op = await f.designateOperator({ name: 'Listed K.K.' });
    const all = (await f.admin.get('/operators')).json().items as { id: string }[];
    assert.ok(all.some((o) => o.id === op.id));
    f.clock.advance(1000);
    const k2 = await f.admin.post(`/operators/${op.id}/api-keys`, { label: 'second', allowedCidrs: ['127.0.0.1/32'] });
    assert.equal(k2.status, 201);
    const keys = await f.admin.get(`/operators/${op.id}/api-keys`);
    assert.equal(keys.status, 200);
    assert.deepEqual(
      (keys.json().items as { id: string; label: string; allowedCidrs: string[]; createdBy: string }[]).map((k) => [k.id, k.label, k.allowedCidrs, k.createdBy]),
      [
        [op.keyId, 'primary', [], 'admin:test-admin'],
        [k2.json().key.id, 'second', ['127.0.0.1/32'], 'admin:test-admin'],
      ],
    );
    assert.ok(!keys.text.includes(op.token.split('.')[1] as string));
    assert.ok(!keys.text.includes((k2.json().token as string).split('.')[1] as string));
    assertProblem(await f.admin.get('/operators/op_doesnotexist/api-keys'), 404, 'notFound');
    assertProblem(await f.admin.post('/operators/op_doesnotexist/api-keys', {}), 404, 'notFound');
  });

  test('payments change the statement: paymentsTotal and closing balance, then next month opening balance', async () => {
    const op = await f.designateOperator({ name: 'Paying K.K.' });
    const before = await statement(op.id);
    assert.equal(before.closingBalance, 275000);
    const p = await f.admin.post(`/operators/${op.id}/payments`, { amount: 200000, receivedOn: '2026-11-20', reference: 'TRANSFER-001' });
    assert.equal(p.status, 201, p.text);
    assert.equal(p.json().amount, 200000);
    assert.equal(p.json().currency, 'JPY');
    const after = await statement(op.id);
    assert.equal(after.paymentsTotal, 200000);
    assert.deepEqual(after.payments, [{ receivedOn: '2026-11-20', amount: 200000, reference: 'TRANSFER-001' }]);
    assert.equal(after.closingBalance, 75000);
    assert.equal(after.total, 275000, 'fees are unchanged');
    const dec = await statement(op.id, '2026-12');
    assert.equal(dec.openingBalance, 75000);
    assert.equal(dec.closingBalance, 75000);
    const csv = await f.admin.get(`/operators/${op.id}/statements/2026-11?format=csv`);
    assert.equal(csv.status, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    assert.match(csv.text, /\r\n2026-11,payments,(,){9}200000,JPY\r\n/);
    assert.match(csv.text, /\r\n2026-11,closing_balance,(,){9}75000,JPY\r\n$/);

    for (const body of [
      { amount: 0, receivedOn: '2026-11-20' },
      { amount: -5, receivedOn: '2026-11-20' },
      { amount: 1.5, receivedOn: '2026-11-20' },
      { amount: '100', receivedOn: '2026-11-20' },
      { amount: 2 ** 31, receivedOn: '2026-11-20' },
      { amount: Number.MAX_SAFE_INTEGER, receivedOn: '2026-11-20' },
      { amount: 100, receivedOn: '2026-12-25' },
      { amount: 100, receivedOn: '20/11/2026' },
      { amount: 100 },
    ]) {
      assertProblem(await f.admin.post(`/operators/${op.id}/payments`, body), 400, 'malformed');
    }
    assert.equal((await statement(op.id)).paymentsTotal, 200000, 'refused payments are not recorded');
    assertProblem(await f.admin.post('/operators/op_doesnotexist/payments', { amount: 1, receivedOn: '2026-11-20' }), 404, 'notFound');
    for (const m of ['2026-13', '0001-01']) assertProblem(await f.admin.get(`/operators/${op.id}/statements/${m}`), 400, 'malformed');
    assertProblem(await f.admin.get('/operators/op_doesnotexist/statements/2026-11'), 404, 'notFound');
  });

  test('oversight lists across operators, filterable by operator; scheduled jobs can be run on demand', async () => {
    const a = await f.designateOperator({ name: 'Oversight A' });
    const b = await f.designateOperator({ name: 'Oversight B' });
    const sa = await f.createSubscriber(a, 'Sub A');
    const sb = await f.createSubscriber(b, 'Sub B');
    await f.apply(a, sa, 'a.oversight.test', '1m');
    await f.apply(b, sb, 'b.oversight.test', '1y');
    const subsA = (await f.admin.get(`/subscribers?operatorId=${a.id}`)).json().items as { id: string }[];
    assert.deepEqual(subsA.map((s) => s.id), [sa]);
    const all = (await f.admin.get('/subscribers?limit=500')).json().items as { id: string }[];
    assert.ok(all.some((s) => s.id === sa) && all.some((s) => s.id === sb));
    const fqs = (await f.admin.get(`/usage-fqdns?operatorId=${b.id}`)).json().items as { id: string; fqdn: string }[];
    assert.deepEqual(fqs.map((u) => u.fqdn), ['b.oversight.test']);
    assert.equal((await f.admin.get(`/usage-fqdns/${fqs[0]?.id}`)).json().operatorId, b.id);
    const job = await f.admin.post('/jobs/usage-lifecycle/run', {});
    assert.equal(job.status, 200, job.text);
    assert.equal(job.json().job, 'usage-lifecycle');
    assertProblem(await f.admin.post('/jobs/no-such-job/run', {}), 400, 'malformed');
  });

  test('an admin token is required: none, malformed, unknown, revoked, or an operator key → 401 problem', async () => {
    const op = await f.designateOperator({ name: 'Not Staff K.K.' });
    const staff = { kind: 'admin', name: 'bootstrap' } as const;
    const { token: revoked, view } = await f.shomei.inst.registry.createAdminToken({ name: 'leaver' }, staff);
    assert.equal((await f.admin.withToken(revoked).get('/operators')).status, 200);
    await f.shomei.inst.registry.revokeAdminToken(view.id, staff);
    const attempts: [string, ApiResponse][] = [
      ['none', await new ApiClient(f.shomei.inst.adminApiUrl, f.shomei.rootPem).get('/operators')],
      ['empty', await f.admin.withToken('').get('/operators')],
      ['malformed', await f.admin.withToken('not-a-token').get('/operators')],
      ['unknown', await f.admin.withToken(`at_AAAAAAAAAAAA.${'A'.repeat(43)}`).get('/operators')],
      ['revoked', await f.admin.withToken(revoked).get('/operators')],
      ['revoked, designating', await f.admin.withToken(revoked).post('/operators', OPERATOR)],
      ['operator key', await f.admin.withToken(op.token).get('/operators')],
      ['none, invalid body', await new ApiClient(f.shomei.inst.adminApiUrl, f.shomei.rootPem).post('/operators', { bogus: true })],
    ];
    for (const [what, r] of attempts) {
      assert.equal(r.status, 401, `${what}: ${r.text}`);
      assertProblem(r, 401, 'unauthorized');
      assert.match(String(r.headers['www-authenticate']), /^Bearer/, what);
    }
    assert.deepEqual((await f.shomei.inst.sa.repos.listAudit()).filter((a) => a.actor === 'admin:leaver'), []);
    // An admin token is not an operator key either.
    const { token: adminToken } = await f.shomei.inst.registry.createAdminToken({ name: 'curious' }, staff);
    assertProblem(await f.operatorClient(adminToken).get('/me'), 401, 'unauthorized');
  });
});
