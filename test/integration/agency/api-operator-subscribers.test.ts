// Subscribers (AT 4, AT 7), ACME credentials (AT 5, SPEC §4) and usage-FQDN
// applications with screening (SPEC §5.1) through the operator API.
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { AgencyFixture, CONSENT, type OperatorHandle } from '../../support/agency-fixture.js';
import type { ApiResponse } from '../../support/api-client.js';
import { eabJws, newAccountKey, type AccountKey } from '../../support/raw-acme.js';

const ACME_ERR = 'urn:ietf:params:acme:error:';

function assertProblem(r: ApiResponse, status: number, kind: string): { detail: string } & Record<string, unknown> {
  assert.equal(r.status, status, r.text);
  assert.match(String(r.headers['content-type']), /^application\/problem\+json/);
  const p = r.json() as { type: string; status: number; detail: string };
  assert.equal(p.type, `urn:shomei:problem:${kind}`);
  assert.equal(p.status, status);
  assert.equal(typeof p.detail, 'string');
  return p;
}

describe('operator API: subscribers (AT 4, AT 7)', () => {
  let f: AgencyFixture;
  let op: OperatorHandle;
  before(async () => {
    f = await AgencyFixture.start();
    op = await f.designateOperator();
  });
  after(async () => f.close());

  const subscribersOf = async (operatorId: string) => (await f.admin.get(`/subscribers?operatorId=${operatorId}&limit=500`)).json().items as { id: string }[];

  test('create → 201 with the stored record; read it back', async () => {
    const r = await op.api.post('/subscribers', { name: '  Hanako Suzuki ', emails: ['Hanako@Customer.TEST', 'hanako@customer.test', 'ops@customer.test'], phone: '+81-3-0000-0000', externalRef: 'CUST-42' });
    assert.equal(r.status, 201, r.text);
    const s = r.json();
    assert.match(s.id, /^sub_/);
    assert.equal(s.operatorId, op.id);
    assert.equal(s.name, 'Hanako Suzuki');
    assert.deepEqual(s.emails, ['hanako@customer.test', 'ops@customer.test'], 'lower-cased, duplicates dropped');
    assert.equal(s.phone, '+81-3-0000-0000');
    assert.equal(s.externalRef, 'CUST-42');
    assert.equal(s.createdAt, f.clock.now().toISOString());
    const got = await op.api.get(`/subscribers/${s.id}`);
    assert.equal(got.status, 200);
    assert.deepEqual(got.json(), s);
  });

  test('update the notice e-mails (and only what is given)', async () => {
    const id = await f.createSubscriber(op, 'Update Me');
    f.clock.advance(60_000);
    const r = await op.api.patch(`/subscribers/${id}`, { emails: ['new-desk@customer.test'] });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json().emails, ['new-desk@customer.test']);
    assert.equal(r.json().name, 'Update Me');
    assert.notEqual(r.json().updatedAt, r.json().createdAt);
    assert.deepEqual((await op.api.get(`/subscribers/${id}`)).json().emails, ['new-desk@customer.test']);
    const audit = (await f.shomei.inst.sa.repos.listAudit('subscriber', id)).find((a) => a.action === 'subscriber.updated');
    const details = JSON.parse(audit?.details ?? '{}') as { before: { emails: string[] }; after: { emails: string[] } };
    assert.deepEqual(details.before.emails, ['hanako@customer.test']);
    assert.deepEqual(details.after.emails, ['new-desk@customer.test']);
    const bad = assertProblem(await op.api.patch(`/subscribers/${id}`, { emails: ['not-an-address'] }), 400, 'malformed');
    assert.match(bad.detail, /emails\[0\]/);
    assert.deepEqual((await op.api.get(`/subscribers/${id}`)).json().emails, ['new-desk@customer.test'], 'unchanged after a refused update');
  });

  test('bad input → 400 problems that say what is wrong; nothing is written', async () => {
    const before = (await subscribersOf(op.id)).length;
    const auditBefore = (await f.shomei.inst.sa.repos.listAudit()).filter((a) => a.action === 'subscriber.created').length;
    const cases: [unknown, RegExp][] = [
      [{ emails: ['a@customer.test'] }, /required property 'name'/],
      [{ name: 'X' }, /required property 'emails'/],
      [{ name: 'X', emails: ['not-an-email'] }, /emails\[0\] must be an e-mail address/],
      [{ name: 'X', emails: ['a@customer.test', 'two@@customer.test'] }, /emails\[1\]/],
      [{ name: 'X', emails: [] }, /emails/],
      [{ name: 'X', emails: 'a@customer.test' }, /emails/],
      [{ name: 'X', emails: ['a@customer.test'], nickname: 'x' }, /unknown property "nickname"/],
      [{ name: '', emails: ['a@customer.test'] }, /name/],
      [{ name: '   ', emails: ['a@customer.test'] }, /name/],
      [{ name: 'x'.repeat(201), emails: ['a@customer.test'] }, /name/],
      [{ name: 42, emails: ['a@customer.test'] }, /name/],
      [[], /body/],
    ];
    for (const [body, why] of cases) {
      const p = assertProblem(await op.api.post('/subscribers', body), 400, 'malformed');
      assert.match(p.detail, why, JSON.stringify(body));
    }
    assert.equal((await subscribersOf(op.id)).length, before);
    assert.equal((await f.shomei.inst.sa.repos.listAudit()).filter((a) => a.action === 'subscriber.created').length, auditBefore);
  });

  test('list with paging: limit and the next cursor walk every subscriber once, in creation order', async () => {
    const pager = await f.designateOperator({ name: 'Pager K.K.' });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(await f.createSubscriber(pager, `Customer ${i}`));
      f.clock.advance(1000);
    }
    const seen: string[] = [];
    const sizes: number[] = [];
    let next: string | null = null;
    do {
      const url: string = `/subscribers?limit=2${next ? `&cursor=${encodeURIComponent(next)}` : ''}`;
      const page = await pager.api.get(url);
      assert.equal(page.status, 200, page.text);
      const items = page.json().items as { id: string }[];
      sizes.push(items.length);
      seen.push(...items.map((s) => s.id));
      next = page.json().next as string | null;
    } while (next !== null);
    assert.deepEqual(sizes, [2, 2, 1]);
    assert.deepEqual(seen, ids);
    const all = await pager.api.get('/subscribers');
    assert.deepEqual(
      (all.json().items as { id: string }[]).map((s) => s.id),
      ids,
    );
    assert.equal(all.json().next, null);
    for (const q of ['limit=0', 'limit=501', 'limit=-1', 'limit=two', 'cursor=not-a-cursor', `cursor=${'x'.repeat(600)}`]) {
      assertProblem(await pager.api.get(`/subscribers?${q}`), 400, 'malformed');
    }
  });
});

describe('operator API: ACME credentials (AT 5, SPEC §4)', () => {
  let f: AgencyFixture;
  let op: OperatorHandle;
  let sub: string;
  before(async () => {
    f = await AgencyFixture.start();
    op = await f.designateOperator();
    sub = await f.createSubscriber(op);
    await f.apply(op, sub, 'creds.test', '1m');
  });
  after(async () => f.close());

  const newAccountUrl = () => f.acme.directory['newAccount'] as string;
  const newAccount = (key: AccountKey, kid: string, hmacKey: string) =>
    f.acme.signed(newAccountUrl(), key, { termsOfServiceAgreed: true, externalAccountBinding: eabJws(key.jwk, kid, hmacKey, newAccountUrl()) }, { jwk: key.jwk });

  test('issue: the HMAC key is in the response only — never in the list, never stored in clear', async () => {
    const r = await op.api.post(`/subscribers/${sub}/credentials`, { label: 'web server' });
    assert.equal(r.status, 201, r.text);
    const { kid, hmacKey, credential, directoryUrl } = r.json();
    assert.match(kid, /^kid-/);
    assert.ok(Buffer.from(hmacKey as string, 'base64url').length >= 32, 'a 256-bit HMAC key');
    assert.equal(directoryUrl, f.shomei.directoryUrl);
    assert.deepEqual(credential, { kid, subscriberId: sub, label: 'web server', createdAt: f.clock.now().toISOString(), revokedAt: null, compromisedAt: null });
    const list = await op.api.get(`/subscribers/${sub}/credentials`);
    assert.equal(list.status, 200);
    assert.ok(!list.text.includes(hmacKey as string));
    assert.ok(!/hmac/i.test(list.text), 'no hmacKey property at all');
    assert.ok((list.json().items as { kid: string }[]).some((c) => c.kid === kid));
    const row = await f.shomei.inst.sa.repos.getEabKey(kid as string);
    assert.ok(row);
    for (const v of Object.values(row)) assert.ok(!String(v).includes(hmacKey as string), 'sealed, not in clear');
    const notified = (await f.admin.get(`/notification-events?kind=credential.issued&operatorId=${op.id}`)).json().items as { subjectId: string; payload: unknown }[];
    const ev = notified.find((e) => e.subjectId === kid);
    assert.ok(ev);
    assert.ok(!JSON.stringify(ev).includes(hmacKey as string), 'the notice does not carry the key');
  });

  test('revoke: 200, then 409; the credentials can no longer bind an ACME account', async () => {
    const eab = await f.issueEab(op, sub);
    const r = await op.api.post(`/subscribers/${sub}/credentials/${eab.kid}/revoke`, {});
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json().revokedAt, f.clock.now().toISOString());
    assert.equal(r.json().compromisedAt, null);
    assertProblem(await op.api.post(`/subscribers/${sub}/credentials/${eab.kid}/revoke`, {}), 409, 'conflict');
    assertProblem(await op.api.post(`/subscribers/${sub}/credentials/kid-doesnotexist/revoke`, {}), 404, 'notFound');
    const acme = await newAccount(await newAccountKey(), eab.kid, eab.hmacKey);
    assert.equal(acme.status, 403, acme.body);
    assert.equal(acme.json()['type'], `${ACME_ERR}unauthorized`);
    const listed = (await op.api.get(`/subscribers/${sub}/credentials`)).json().items as { kid: string; revokedAt: string | null }[];
    assert.ok(listed.find((c) => c.kid === eab.kid)?.revokedAt);
  });

  test('revoking credentials leaves accounts already bound working (SPEC §4)', async () => {
    const eab = await f.issueEab(op, sub);
    const key = await newAccountKey();
    const acct = await newAccount(key, eab.kid, eab.hmacKey);
    assert.equal(acct.status, 201, acct.body);
    const url = acct.headers['location'] as string;
    assert.equal((await op.api.post(`/subscribers/${sub}/credentials/${eab.kid}/revoke`, {})).status, 200);
    const stillThere = await f.acme.signed(url, key, '', { kid: url });
    assert.equal(stillThere.status, 200, stillThere.body);
    assert.equal(stillThere.json()['status'], 'valid');
  });

  test('admin "compromised": revokes the credentials and deactivates the accounts bound with them', async () => {
    const eab = await f.issueEab(op, sub);
    const key = await newAccountKey();
    const acct = await newAccount(key, eab.kid, eab.hmacKey);
    assert.equal(acct.status, 201, acct.body);
    const url = acct.headers['location'] as string;
    const order = await f.acme.signed(f.acme.directory['newOrder'] as string, key, { identifiers: [{ type: 'dns', value: 'creds.test' }] }, { kid: url });
    assert.equal(order.status, 201, order.body);
    // Another account of the same subscriber, bound with other credentials, is not touched.
    const otherEab = await f.issueEab(op, sub);
    const otherKey = await newAccountKey();
    const other = await newAccount(otherKey, otherEab.kid, otherEab.hmacKey);
    assert.equal(other.status, 201);

    f.clock.advance(5 * 60_000);
    const r = await f.admin.post(`/credentials/${eab.kid}/compromised`, {});
    assert.equal(r.status, 200, r.text);
    const accountId = url.split('/').pop() as string;
    assert.deepEqual(r.json().deactivatedAccounts, [accountId]);
    assert.equal(r.json().credential.compromisedAt, f.clock.now().toISOString());
    assert.equal(r.json().credential.revokedAt, f.clock.now().toISOString());

    const listed = (await op.api.get(`/subscribers/${sub}/credentials`)).json().items as { kid: string; revokedAt: string | null; compromisedAt: string | null }[];
    const c = listed.find((x) => x.kid === eab.kid);
    assert.ok(c?.revokedAt && c.compromisedAt);

    // Requests signed by the deactivated account are refused…
    const asAccount = await f.acme.signed(url, key, '', { kid: url });
    assert.equal(asAccount.status, 403, asAccount.body);
    assert.equal(asAccount.json()['type'], `${ACME_ERR}unauthorized`);
    assert.match(String(asAccount.json()['detail']), /deactivated/);
    const newOrder = await f.acme.signed(f.acme.directory['newOrder'] as string, key, { identifiers: [{ type: 'dns', value: 'creds.test' }] }, { kid: url });
    assert.equal(newOrder.json()['type'], `${ACME_ERR}unauthorized`);
    // …the credentials bind nothing new…
    const again = await newAccount(await newAccountKey(), eab.kid, eab.hmacKey);
    assert.equal(again.json()['type'], `${ACME_ERR}unauthorized`);
    // …and the other account keeps working.
    const otherUrl = other.headers['location'] as string;
    assert.equal((await f.acme.signed(otherUrl, otherKey, '', { kid: otherUrl })).status, 200);

    // The operator is told (to relay to the subscriber); a second declaration is a conflict.
    const events = (await f.admin.get(`/notification-events?kind=credential.compromised&operatorId=${op.id}`)).json().items as { subjectId: string; payload: { deactivatedAccounts: string[] } }[];
    assert.deepEqual(events.find((e) => e.subjectId === eab.kid)?.payload.deactivatedAccounts, [accountId]);
    assertProblem(await f.admin.post(`/credentials/${eab.kid}/compromised`, {}), 409, 'conflict');
    assertProblem(await f.admin.post('/credentials/kid-doesnotexist/compromised', {}), 404, 'notFound');
    // An operator cannot declare it (admin API only).
    assertProblem(await f.admin.withToken(op.token).post(`/credentials/${otherEab.kid}/compromised`, {}), 401, 'unauthorized');
  });

  test('credentials of an unknown subscriber → 404; bad label → 400', async () => {
    assertProblem(await op.api.post('/subscribers/sub_doesnotexist/credentials', {}), 404, 'notFound');
    assertProblem(await op.api.get('/subscribers/sub_doesnotexist/credentials'), 404, 'notFound');
    assertProblem(await op.api.post(`/subscribers/${sub}/credentials`, { label: 'x'.repeat(201) }), 400, 'malformed');
    assertProblem(await op.api.post(`/subscribers/${sub}/credentials`, { hmacKey: 'mine' }), 400, 'malformed');
  });
});

describe('operator API: usage-FQDN applications and screening (SPEC §5.1)', () => {
  let f: AgencyFixture;
  let op: OperatorHandle;
  let sub: string;
  before(async () => {
    f = await AgencyFixture.start({ config: { registry: { tldAllowList: ['test', 'jp'] }, policy: { blockedNames: ['blocked.test'] } } });
    op = await f.designateOperator();
    sub = await f.createSubscriber(op);
  });
  after(async () => f.close());

  const apply = (fqdn: unknown, extra: Record<string, unknown> = {}) => op.api.post('/usage-fqdns', { subscriberId: sub, fqdn, period: '1m', consent: CONSENT, ...extra });
  const refused = async (fqdn: string, codes: string[]) => {
    const r = await apply(fqdn);
    const p = assertProblem(r, 422, 'applicationRefused');
    assert.equal(p['decision'], 'refused');
    assert.match(String(p['applicationId']), /^app_/);
    assert.equal(p['usageFqdn'], null);
    const got = (p['reasons'] as { code: string; detail: string }[]).map((x) => x.code);
    for (const c of codes) assert.ok(got.includes(c), `${fqdn}: expected reason ${c}, got ${got.join(', ')}`);
    for (const x of p['reasons'] as { detail: string }[]) assert.ok(x.detail.length > 0);
    return p;
  };

  test('accepted → 201 with the usage FQDN in status applied (not started: no dates)', async () => {
    const r = await apply('Shop.Example.TEST.', { period: '1y' });
    assert.equal(r.status, 201, r.text);
    const d = r.json();
    assert.equal(d.decision, 'accepted');
    assert.deepEqual(d.reasons, []);
    assert.match(d.applicationId, /^app_/);
    assert.equal(d.usageFqdn.fqdn, 'shop.example.test');
    assert.equal(d.usageFqdn.status, 'applied');
    assert.equal(d.usageFqdn.period, '1y');
    assert.equal(d.usageFqdn.continuationPeriod, '1y');
    assert.equal(d.usageFqdn.startDate, null);
    assert.equal(d.usageFqdn.expiryDate, null);
    assert.deepEqual(d.usageFqdn.allowedNames, ['shop.example.test', 'www.shop.example.test']);
    const got = await op.api.get(`/usage-fqdns/${d.usageFqdn.id}`);
    assert.equal(got.status, 200);
    assert.equal(got.json().status, 'applied');
    const wild = await apply('*.wild.test');
    assert.equal(wild.status, 201, wild.text);
    assert.deepEqual(wild.json().usageFqdn.allowedNames, ['*.wild.test', 'wild.test']);
  });

  test('U-labels are converted to A-labels', async () => {
    const r = await apply('Bücher.test');
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json().usageFqdn.fqdn, 'xn--bcher-kva.test');
    const jp = await apply('ドメイン名例.jp');
    assert.equal(jp.status, 201, jp.text);
    assert.match(jp.json().usageFqdn.fqdn, /^xn--[a-z0-9-]+\.jp$/);
  });

  test('refused → 422 problem with reason codes: public suffix, IP literal, TLD not allowed, blocked name, duplicate', async () => {
    await refused('co.jp', ['public-suffix']);
    await refused('192.0.2.1', ['ip-literal']);
    await refused('[2001:db8::1]', ['ip-literal']);
    await refused('example.com', ['tld-not-allowed']);
    await refused('blocked.test', ['blocked-name']);
    await refused('www.blocked.test', ['blocked-name']);
    await refused('bad_name!.test', ['syntax']);
    const first = await apply('dup.test');
    assert.equal(first.status, 201);
    const dup = await refused('DUP.test', ['duplicate']);
    assert.match((dup['reasons'] as { detail: string }[])[0]?.detail ?? '', /already registered/);
    assert.match(dup.detail, /refused/);
  });

  test('a duplicate is per subscriber: another subscriber may register the same FQDN', async () => {
    const other = await f.createSubscriber(op, 'Other Customer');
    const r = await op.api.post('/usage-fqdns', { subscriberId: other, fqdn: 'dup.test', period: '1m', consent: CONSENT });
    assert.equal(r.status, 201, r.text);
  });

  test('a refused application is recorded: notification event application.refused, audit, consent record', async () => {
    const p = await refused('co.jp', ['public-suffix']);
    const events = (await f.admin.get(`/notification-events?kind=application.refused&operatorId=${op.id}`)).json().items as {
      kind: string;
      subjectId: string;
      subscriberId: string;
      payload: { fqdn: string; reasons: { code: string }[]; usageFqdnId: string | null };
    }[];
    const ev = events.find((e) => e.subjectId === p['applicationId']);
    assert.ok(ev, 'refusal notified');
    assert.equal(ev.subscriberId, sub);
    assert.equal(ev.payload.fqdn, 'co.jp');
    assert.deepEqual(
      ev.payload.reasons.map((x) => x.code),
      ['public-suffix'],
    );
    assert.equal(ev.payload.usageFqdnId, null);
    const audit = (await f.shomei.inst.sa.repos.listAudit('application', p['applicationId'] as string))[0];
    assert.equal(audit?.action, 'usage-fqdn.refused');
    assert.equal(audit?.actor, `operator:${op.id}/key:${op.keyId}`);
    assert.ok((JSON.parse(audit?.details ?? '{}') as { consent?: string }).consent?.startsWith('cons_'), 'the consent record is kept with it');
  });

  test('malformed applications → 400 and nothing is recorded', async () => {
    const count = async () => (await f.admin.get(`/notification-events?operatorId=${op.id}`)).json().items.length as number;
    const before = await count();
    const { consent: _omit, ...noConsent } = { subscriberId: sub, fqdn: 'x1.test', period: '1m', consent: CONSENT };
    const cases: [Record<string, unknown>, RegExp][] = [
      [noConsent, /consent/],
      [{ subscriberId: sub, fqdn: 'x2.test', period: '2y', consent: CONSENT }, /period/],
      [{ subscriberId: sub, fqdn: 'x3.test', period: '1m', consent: { ...CONSENT, termsVersion: undefined } }, /termsVersion/],
      [{ subscriberId: sub, fqdn: 'x4.test', period: '1m', consent: { ...CONSENT, agreedAt: 'yesterday' } }, /agreedAt/],
      [{ subscriberId: sub, fqdn: 'x5.test', period: '1m', consent: { ...CONSENT, agreedAt: '2030-01-01T00:00:00Z' } }, /future/],
      [{ subscriberId: sub, fqdn: 'x6.test', period: '1m', consent: { ...CONSENT, confirmationMethod: 'telepathy' } }, /confirmationMethod/],
      [{ subscriberId: sub, fqdn: '', period: '1m', consent: CONSENT }, /fqdn/],
      [{ subscriberId: sub, fqdn: 'x7.test', period: '1m', consent: CONSENT, autoRenew: true }, /unknown property "autoRenew"/],
      [{ fqdn: 'x8.test', period: '1m', consent: CONSENT }, /subscriberId/],
    ];
    for (const [body, why] of cases) {
      const p = assertProblem(await op.api.post('/usage-fqdns', body), 400, 'malformed');
      assert.match(p.detail, why, JSON.stringify(body));
    }
    assertProblem(await op.api.post('/usage-fqdns', { subscriberId: 'sub_doesnotexist', fqdn: 'x9.test', period: '1m', consent: CONSENT }), 404, 'notFound');
    assert.equal(await count(), before);
    const live = (await op.api.get(`/usage-fqdns?subscriberId=${sub}&limit=500`)).json().items as { fqdn: string }[];
    assert.ok(!live.some((u) => /^x\d\.test$/.test(u.fqdn)));
  });

  test('list usage FQDNs with filters and paging', async () => {
    const all = (await op.api.get(`/usage-fqdns?subscriberId=${sub}&status=applied&limit=500`)).json();
    assert.ok(all.items.length >= 4);
    assert.ok((all.items as { status: string; subscriberId: string }[]).every((u) => u.status === 'applied' && u.subscriberId === sub));
    assert.deepEqual((await op.api.get('/usage-fqdns?status=ended')).json().items, []);
    const p1 = (await op.api.get('/usage-fqdns?limit=1')).json();
    const p2 = (await op.api.get(`/usage-fqdns?limit=1&cursor=${encodeURIComponent(p1.next as string)}`)).json();
    assert.equal(p1.items.length, 1);
    assert.equal(p2.items.length, 1);
    assert.notEqual(p1.items[0].id, p2.items[0].id);
    assertProblem(await op.api.get('/usage-fqdns?status=bogus'), 400, 'malformed');
  });
});
