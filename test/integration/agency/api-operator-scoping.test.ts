// Scoping (SPEC §3, AT 7): an operator sees and changes only the records of
// its own subscribers. Another operator's subscriber, usage FQDN, ACME
// credentials or certificate is "not found" — 404, never 403 — for every verb,
// indistinguishable from an id that does not exist, and nothing changes.
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { AgencyFixture, CONSENT, type OperatorHandle } from '../../support/agency-fixture.js';
import type { ApiResponse } from '../../support/api-client.js';
import { account, issue } from '../../support/agency-acme.js';


function assertNotFound(r: ApiResponse, what: string): void {
  assert.equal(r.status, 404, `${what}: ${r.status} ${r.text}`);
  assert.match(String(r.headers['content-type']), /^application\/problem\+json/, what);
  assert.equal(r.json().type, 'urn:shomei:problem:notFound', what);
}

describe("operator API: another operator's records are not found (404) for every verb", () => {
  let f: AgencyFixture;
  let mine: OperatorHandle;
  let theirs: OperatorHandle;
  let mySub: string;
  let their: { sub: string; fq: string; kid: string; serial: string; subBefore: unknown };

  before(async () => {
    f = await AgencyFixture.start();
    mine = await f.designateOperator({ name: 'Mine K.K.' });
    theirs = await f.designateOperator({ name: 'Theirs K.K.' });
    mySub = await f.createSubscriber(mine, 'My Customer');
    const sub = await f.createSubscriber(theirs, 'Their Customer');
    const fq = await f.apply(theirs, sub, 'theirs.test', '1y');
    await f.apply(theirs, sub, 'pending.theirs.test', '1m');
    const eab = await f.issueEab(theirs, sub);
    const serial = await issue(f, await account(f, eab), ['theirs.test', 'www.theirs.test']);
    const subBefore = (await theirs.api.get(`/subscribers/${sub}`)).json() as unknown;
    their = { sub, fq, kid: eab.kid, serial, subBefore };
  });
  after(async () => f.close());

  test('their records exist and are visible to them', async () => {
    assert.equal((await theirs.api.get(`/subscribers/${their.sub}`)).status, 200);
    assert.equal((await theirs.api.get(`/usage-fqdns/${their.fq}`)).json().status, 'active');
    assert.equal((await theirs.api.get(`/certificates/${their.serial}`)).status, 200);
  });

  test('subscribers: GET, PATCH, credentials POST/GET/revoke → 404; nothing changes', async () => {
    const s = `/subscribers/${their.sub}`;
    assertNotFound(await mine.api.get(s), 'GET subscriber');
    assertNotFound(await mine.api.patch(s, { name: 'Hijacked', emails: ['evil@attacker.test'] }), 'PATCH subscriber');
    assertNotFound(await mine.api.post(`${s}/credentials`, { label: 'stolen' }), 'POST credentials');
    assertNotFound(await mine.api.get(`${s}/credentials`), 'GET credentials');
    assertNotFound(await mine.api.post(`${s}/credentials/${their.kid}/revoke`, {}), 'revoke credentials via their subscriber');
    assertNotFound(await mine.api.post(`/subscribers/${mySub}/credentials/${their.kid}/revoke`, {}), 'revoke their kid via my subscriber');
    assert.deepEqual((await theirs.api.get(s)).json(), their.subBefore);
    const creds = (await theirs.api.get(`${s}/credentials`)).json().items as { kid: string; revokedAt: string | null }[];
    assert.deepEqual(
      creds.map((c) => [c.kid, c.revokedAt]),
      [[their.kid, null]],
    );
  });

  test('usage FQDNs: apply for their subscriber, GET, PATCH, file and withdraw a termination notice → 404; nothing changes', async () => {
    const events = (await f.admin.get('/notification-events')).json().items.length as number;
    assertNotFound(await mine.api.post('/usage-fqdns', { subscriberId: their.sub, fqdn: 'mine.test', period: '1m', consent: CONSENT }), 'apply for their subscriber');
    const u = `/usage-fqdns/${their.fq}`;
    assertNotFound(await mine.api.get(u), 'GET usage FQDN');
    assertNotFound(await mine.api.patch(u, { continuationPeriod: '1m' }), 'PATCH usage FQDN');
    assertNotFound(await mine.api.post(`${u}/termination-notice`, { unavoidable: true }), 'POST termination notice');
    assertNotFound(await mine.api.delete(`${u}/termination-notice`), 'DELETE termination notice');
    const after = (await theirs.api.get(u)).json();
    assert.equal(after.status, 'active');
    assert.equal(after.continuationPeriod, '1y');
    assert.equal(after.terminationNotice, null);
    assert.equal((await f.admin.get('/notification-events')).json().items.length, events, 'no application was recorded');
    const apps = (await f.shomei.inst.sa.repos.listAudit()).filter((r) => r.actor.startsWith(`operator:${mine.id}/`) && r.action !== 'operator-api.call' && r.action !== 'subscriber.created');
    assert.deepEqual(apps, [], 'no change is attributed to the other operator');
  });

  test('certificates: GET (JSON and PEM) and revoke → 404; the certificate stays unrevoked', async () => {
    const c = `/certificates/${their.serial}`;
    assertNotFound(await mine.api.get(c), 'GET certificate');
    assertNotFound(await mine.api.get(c, { headers: { accept: 'application/pem-certificate-chain' } }), 'GET certificate PEM');
    assertNotFound(await mine.api.post(`${c}/revoke`, { reason: 4 }), 'revoke certificate');
    const cert = (await theirs.api.get(c)).json();
    assert.equal(cert.revokedAt, null);
  });

  test('a foreign id answers exactly like an id that does not exist (no probing)', async () => {
    const pairs: [string, string][] = [
      [`/subscribers/${their.sub}`, '/subscribers/sub_nonexistent1'],
      [`/usage-fqdns/${their.fq}`, '/usage-fqdns/fq_nonexistent1'],
      [`/certificates/${their.serial}`, '/certificates/0badc0ffee'],
    ];
    for (const [foreign, missing] of pairs) {
      const a = await mine.api.get(foreign);
      const b = await mine.api.get(missing);
      assert.deepEqual(a.json(), { ...b.json(), detail: a.json().detail });
      assert.equal(a.json().detail, b.json().detail);
    }
  });

  test('lists and list filters never show their records', async () => {
    const subs = (await mine.api.get('/subscribers')).json().items as { id: string }[];
    assert.deepEqual(
      subs.map((s) => s.id),
      [mySub],
    );
    assert.deepEqual((await mine.api.get(`/usage-fqdns?subscriberId=${their.sub}`)).json().items, []);
    assert.deepEqual((await mine.api.get('/usage-fqdns')).json().items, []);
    assert.deepEqual((await mine.api.get(`/certificates?subscriberId=${their.sub}`)).json().items, []);
    assert.deepEqual((await mine.api.get(`/certificates?usageFqdnId=${their.fq}`)).json().items, []);
    assert.deepEqual((await mine.api.get('/certificates')).json().items, []);
    // Their own view is complete.
    assert.equal((await theirs.api.get('/usage-fqdns')).json().items.length, 2);
    assert.equal((await theirs.api.get('/certificates')).json().items.length, 1);
  });

  test("their statement is theirs: /statements shows the caller's own lines only", async () => {
    const st = (await mine.api.get('/statements/2026-11')).json();
    assert.equal(st.operatorId, mine.id);
    assert.ok((st.lines as { usageFqdnId: string | null }[]).every((l) => l.usageFqdnId === null), 'no registration line of theirs');
    const theirsSt = (await theirs.api.get('/statements/2026-11')).json();
    assert.ok((theirsSt.lines as { usageFqdnId: string | null }[]).some((l) => l.usageFqdnId === their.fq));
  });
});
