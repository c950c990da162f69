// AT 18 maintenance windows and emergency stops, AT 21 versioned policy
// documents — through the real admin, operator and ACME listeners of an
// in-process CA on SQLite or PostgreSQL, with the clock injected (cacheMs 0 so
// every request sees the schedule as stored).
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { calculateJwkThumbprint } from 'jose';
import { createHash } from 'node:crypto';
import { FakeClock } from '../../../src/core/clock.js';
import { AgencyFixture, CONSENT, type OperatorHandle } from '../../support/agency-fixture.js';
import { account, finalize, issue, newOrder, post, type Acct } from '../../support/agency-acme.js';
import { httpsRequest, signJws, type RawResponse } from '../../support/raw-acme.js';

const HOUR = 3600_000;
const EMERGENCY_RETRY = 321;

describe('maintenance windows, emergency stops and policy documents (AT 18, AT 21)', () => {
  let f: AgencyFixture;
  let clock: FakeClock;
  let op: OperatorHandle;
  let sub: string;
  let acct: Acct;
  const iso = (ms: number) => new Date(clock.now().getTime() + ms).toISOString();
  const events = async (kind: string) => (await f.shomei.inst.sa.repos.listNotificationEvents({ kind })).map((e) => ({ ...e, payload: JSON.parse(e.payload) as Record<string, unknown> }));
  const directory = () => httpsRequest(f.shomei.directoryUrl, { ca: f.shomei.rootPem });
  const headNonce = () => httpsRequest(f.acme.directory['newNonce'] as string, { method: 'HEAD', ca: f.shomei.rootPem });
  /** A 503 from the maintenance gate: Retry-After, problem document naming the reason. */
  function assertStopped(r: RawResponse, retryAfter: number, reason: string, endsAt: string | null): void {
    assert.equal(r.status, 503, r.body);
    assert.equal(r.headers['retry-after'], String(retryAfter));
    assert.match(String(r.headers['content-type']), /^application\/problem\+json/);
    if (r.body === '') return; // HEAD newNonce: headers only
    const p = r.json();
    assert.equal(p['type'], 'urn:ietf:params:acme:error:serverInternal');
    assert.equal(p['status'], 503);
    assert.ok(String(p['detail']).includes(reason), String(p['detail']));
    if (endsAt !== null) assert.ok(String(p['detail']).includes(endsAt), String(p['detail']));
    assert.deepEqual((p['maintenance'] as Record<string, unknown>)['endsAt'], endsAt);
  }

  before(async () => {
    clock = new FakeClock('2026-11-21T03:00:00Z');
    f = await AgencyFixture.start({ clock, config: { maintenance: { cacheMs: 0, emergencyRetryAfterSeconds: EMERGENCY_RETRY } } });
    op = await f.designateOperator({ name: 'Maintenance Reseller' });
    sub = await f.createSubscriber(op);
    await f.apply(op, sub, 'maint.test', '1y');
    acct = await account(f, await f.issueEab(op, sub));
  });
  after(async () => f?.close());

  test('scheduling is validated; a window is announced to every operator in the same transaction and audited; cancel tells them it is off', async () => {
    const bad = [
      [{ startsAt: iso(HOUR), endsAt: iso(2 * HOUR) }, /reason/],
      [{ reason: 'db', startsAt: iso(-1000), endsAt: iso(HOUR) }, /startsAt must lie in the future/],
      [{ reason: 'db', startsAt: iso(2 * HOUR), endsAt: iso(2 * HOUR) }, /endsAt must lie after startsAt/],
      [{ reason: '   ', startsAt: iso(HOUR), endsAt: iso(2 * HOUR) }, /reason must be a non-empty string/],
    ] as const;
    for (const [body, message] of bad) {
      const r = await f.admin.post('/maintenance-windows', body);
      assert.equal(r.status, 400, r.text);
      assert.match(r.json().detail, message);
    }
    assert.equal((await f.admin.get('/maintenance-windows')).json().items.length, 0, 'nothing stored for refused requests');

    const startsAt = iso(24 * HOUR);
    const endsAt = iso(26 * HOUR);
    const r = await f.admin.post('/maintenance-windows', { reason: 'Database upgrade', startsAt, endsAt });
    assert.equal(r.status, 201, r.text);
    const w = r.json();
    assert.deepEqual([w.kind, w.state, w.startsAt, w.endsAt, w.createdBy], ['planned', 'scheduled', startsAt, endsAt, 'admin:test-admin']);
    const announced = (await events('maintenance.announced')).filter((e) => e.subject_id === w.id);
    assert.equal(announced.length, 1);
    assert.equal(announced[0]?.operator_id, null, 'null operator = every active operator');
    assert.deepEqual(announced[0]?.payload, { windowId: w.id, reason: 'Database upgrade', startsAt, endsAt });
    const audit = await f.shomei.inst.sa.repos.listAudit('maintenance-window', w.id);
    assert.deepEqual(audit.map((a) => [a.action, a.actor]), [['maintenance.scheduled', 'admin:test-admin']]);

    // Not running yet: it cannot be ended; it can be cancelled once.
    assert.equal((await f.admin.post(`/maintenance-windows/${w.id}/end`, {})).status, 409);
    const c = await f.admin.post(`/maintenance-windows/${w.id}/cancel`, {});
    assert.equal(c.status, 200, c.text);
    assert.equal(c.json().state, 'cancelled');
    assert.equal((await f.admin.post(`/maintenance-windows/${w.id}/cancel`, {})).status, 409);
    const cancelled = (await events('maintenance.cancelled')).filter((e) => e.subject_id === w.id);
    assert.deepEqual(cancelled.map((e) => [e.operator_id, e.payload['windowId']]), [[null, w.id]]);
    assert.equal((await f.admin.get('/maintenance-windows/mw_doesnotexist')).status, 404);
    // A cancelled window never stops ACME.
    clock.advance(25 * HOUR);
    assert.equal((await directory()).status, 200);
  });

  test('across a planned window: ACME works before, answers 503 + Retry-After inside (directory, newNonce, newOrder), works after; operator API, admin API and CRLs keep serving; in-flight validation finishes', async () => {
    const startsAt = iso(HOUR);
    const endsAt = iso(3 * HOUR);
    const w = (await f.admin.post('/maintenance-windows', { reason: 'HSM firmware update', startsAt, endsAt })).json();

    // Before: an order, with its dns-01 challenge answered just before the window opens.
    const o = await newOrder(f, acct, ['maint.test']);
    assert.equal(o.status, 201, o.body);
    const orderUrl = o.headers['location'] as string;
    const authzUrl = (o.json()['authorizations'] as string[])[0] as string;
    const authz = (await post(f, acct, authzUrl, '')).json() as { challenges: { type: string; url: string; token: string }[] };
    const ch = authz.challenges.find((c) => c.type === 'dns-01');
    assert.ok(ch);
    const tp = await calculateJwkThumbprint(acct.key.jwk, 'sha256');
    f.dns.setTxt('_acme-challenge.maint.test', [createHash('sha256').update(`${ch.token}.${tp}`).digest('base64url')]);
    clock.advance(HOUR - 1000);
    assert.equal((await post(f, acct, ch.url, {})).status, 200);

    // Inside: 30 minutes in, the end is 90 minutes away.
    clock.advance(1000 + 30 * 60_000);
    assertStopped(await directory(), 90 * 60, 'HSM firmware update', endsAt);
    assertStopped(await headNonce(), 90 * 60, 'HSM firmware update', endsAt);
    // A POST needs no valid nonce, signature or content type to learn the service is down.
    const jws = await signJws(acct.key, { nonce: 'not-a-nonce', url: f.acme.directory['newOrder'], kid: acct.url }, { identifiers: [{ type: 'dns', value: 'maint.test' }] });
    assertStopped(await f.acme.post(f.acme.directory['newOrder'] as string, jws), 90 * 60, 'HSM firmware update', endsAt);
    assertStopped(await f.acme.post(orderUrl, 'garbage', 'text/plain'), 90 * 60, 'HSM firmware update', endsAt);
    // The validation accepted before the window finished during it.
    await f.shomei.inst.ra.drain();
    const authzId = authzUrl.split('/').pop() as string;
    assert.equal((await f.shomei.inst.sa.repos.getAuthorization(authzId))?.status, 'valid');
    // Other listeners keep serving.
    const me = await op.api.get('/me');
    assert.equal(me.status, 200, me.text);
    const running = await f.admin.get('/maintenance-windows?state=running');
    assert.deepEqual(running.json().items.map((x: { id: string }) => x.id), [w.id]);
    const crl = await fetch(f.shomei.inst.crl.distributionPointFor('01').url);
    assert.equal(crl.status, 200);
    assert.equal(crl.headers.get('content-type'), 'application/pkix-crl');

    // One second before the end Retry-After is 1; at the end ACME is back and the order finalizes.
    clock.set(new Date(Date.parse(endsAt) - 1000));
    assertStopped(await directory(), 1, 'HSM firmware update', endsAt);
    clock.set(endsAt);
    assert.equal((await directory()).status, 200);
    const order = { body: (await post(f, acct, orderUrl, '')).json() };
    assert.equal(order.body['status'], 'ready');
    const fin = await finalize(f, acct, order, ['maint.test']);
    assert.equal(fin.status, 200, fin.body);
    assert.equal(fin.json()['status'], 'valid');
    assert.equal((await f.admin.get(`/maintenance-windows/${w.id}`)).json().state, 'finished');
  });

  test('a running window ended early: ACME answers again at once', async () => {
    const w = (await f.admin.post('/maintenance-windows', { reason: 'Short job', startsAt: iso(60_000), endsAt: iso(HOUR) })).json();
    clock.advance(2 * 60_000);
    assert.equal((await directory()).status, 503);
    const e = await f.admin.post(`/maintenance-windows/${w.id}/end`, {});
    assert.equal(e.status, 200, e.text);
    assert.equal(e.json().state, 'finished');
    assert.equal(e.json().endedAt, clock.now().toISOString());
    assert.equal((await directory()).status, 200);
    assert.equal((await f.admin.post(`/maintenance-windows/${w.id}/end`, {})).status, 409);
  });

  test('back-to-back windows: Retry-After counts to the end of the last one', async () => {
    const a = { reason: 'Part one', startsAt: iso(60_000), endsAt: iso(HOUR) };
    const b = { reason: 'Part two', startsAt: a.endsAt, endsAt: iso(2 * HOUR) };
    for (const body of [a, b]) assert.equal((await f.admin.post('/maintenance-windows', body)).status, 201);
    clock.advance(30 * 60_000);
    const r = await directory();
    assert.equal(r.status, 503);
    assert.equal(r.headers['retry-after'], String((Date.parse(b.endsAt) - clock.now().getTime()) / 1000));
    clock.set(b.endsAt);
    assert.equal((await directory()).status, 200);
  });

  test('emergency stop: no notice, 503 with the configured Retry-After until resumed; one at a time; all audited', async () => {
    const before = (await f.shomei.inst.sa.repos.listNotificationEvents({})).length;
    const s = await f.admin.post('/emergency-stop', { reason: 'Storage failure' });
    assert.equal(s.status, 201, s.text);
    assert.deepEqual([s.json().kind, s.json().state, s.json().endsAt, s.json().startsAt], ['emergency', 'running', null, clock.now().toISOString()]);
    assert.equal((await f.shomei.inst.sa.repos.listNotificationEvents({})).length, before, 'an emergency stop is not announced');
    assertStopped(await directory(), EMERGENCY_RETRY, 'Storage failure', null);
    clock.advance(5 * HOUR);
    assertStopped(await headNonce(), EMERGENCY_RETRY, 'Storage failure', null);
    assert.equal((await f.admin.post('/emergency-stop', { reason: 'again' })).status, 409);
    assert.equal((await op.api.get('/me')).status, 200, 'operator API keeps serving');

    const r = await f.admin.post('/emergency-stop/resume', {});
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json().items.map((x: { id: string; state: string }) => [x.id, x.state]), [[s.json().id, 'finished']]);
    assert.equal((await directory()).status, 200);
    assert.equal((await f.admin.post('/emergency-stop/resume', {})).status, 409);
    const audit = await f.shomei.inst.sa.repos.listAudit('maintenance-window', s.json().id);
    assert.deepEqual(audit.map((a) => a.action), ['maintenance.emergency-stop', 'maintenance.resumed']);

    // With an expected end, Retry-After counts down to it.
    const until = iso(10 * 60_000);
    assert.equal((await f.admin.post('/emergency-stop', { reason: 'Network outage', endsAt: until })).status, 201);
    assertStopped(await directory(), 600, 'Network outage', until);
    clock.set(until);
    assert.equal((await directory()).status, 200);
  });

  test('terms of service: the directory follows the version in force; newAccount records it; announced versions show up as such', async () => {
    const tos = async () => ((await directory()).json()['meta'] as Record<string, unknown>)['termsOfService'];
    assert.equal(await tos(), f.shomei.inst.config.acme.termsOfService, 'the configured URL until a version is published');
    const unversioned = await account(f, await f.issueEab(op, sub));
    assert.equal((await f.shomei.inst.sa.repos.getAccountById(unversioned.id))?.terms_version, null);

    const v1 = await f.admin.post('/policy-documents', { kind: 'terms', version: 'acme-terms-2026-12', url: 'https://ca.test/terms/2026-12.pdf', sha256: 'AB'.repeat(32) });
    assert.equal(v1.status, 201, v1.text);
    assert.deepEqual([v1.json().state, v1.json().effectiveAt, v1.json().sha256], ['current', clock.now().toISOString(), 'ab'.repeat(32)]);
    assert.equal(await tos(), 'https://ca.test/terms/2026-12.pdf');
    const published = (await events('policy-document.published')).filter((e) => e.subject_id === v1.json().id);
    assert.deepEqual(published.map((e) => [e.operator_id, e.payload]), [[null, { kind: 'terms', version: 'acme-terms-2026-12', url: 'https://ca.test/terms/2026-12.pdf', effectiveAt: v1.json().effectiveAt }]]);
    const a1 = await account(f, await f.issueEab(op, sub));
    assert.equal((await f.shomei.inst.sa.repos.getAccountById(a1.id))?.terms_version, 'acme-terms-2026-12');

    // Duplicates and backdating are refused.
    assert.equal((await f.admin.post('/policy-documents', { kind: 'terms', version: 'acme-terms-2026-12', url: 'https://ca.test/x' })).status, 409);
    const past = await f.admin.post('/policy-documents', { kind: 'terms', version: 'old', url: 'https://ca.test/old', effectiveAt: iso(-HOUR) });
    assert.equal(past.status, 400);
    assert.match(past.json().detail, /effectiveAt must not lie in the past/);
    assert.equal((await f.admin.post('/policy-documents', { kind: 'terms', version: 'v-ftp', url: 'ftp://ca.test/terms' })).status, 400);

    // An announced change: in force only from its effective time.
    const effective = iso(7 * 24 * HOUR);
    const v2 = await f.admin.post('/policy-documents', { kind: 'terms', version: 'acme-terms-2027-01', url: 'https://ca.test/terms/2027-01.pdf', effectiveAt: effective });
    assert.equal(v2.json().state, 'announced');
    assert.equal(await tos(), 'https://ca.test/terms/2026-12.pdf');
    const cur = (await op.api.get('/policy-documents/current')).json();
    assert.equal(cur.terms.version, 'acme-terms-2026-12');
    assert.equal(cur.terms.publishedBy, undefined, 'staff names are not shown to operators');
    assert.deepEqual(cur.announced.map((d: { version: string }) => d.version), ['acme-terms-2027-01']);
    assert.equal(cur.cps, null);
    clock.set(effective);
    assert.equal(await tos(), 'https://ca.test/terms/2027-01.pdf');
    const list = (await f.admin.get('/policy-documents?kind=terms')).json().items.map((d: { version: string; state: string }) => [d.version, d.state]);
    assert.deepEqual(list, [['acme-terms-2026-12', 'superseded'], ['acme-terms-2027-01', 'current']]);
    const a2 = await account(f, await f.issueEab(op, sub));
    assert.equal((await f.shomei.inst.sa.repos.getAccountById(a2.id))?.terms_version, 'acme-terms-2027-01');
  });

  test('consent must name a published version not superseded at agreedAt once a kind has versions; the per-subscriber record lists them', async () => {
    const s = await f.createSubscriber(op, 'Consent Subscriber');
    const apply = (fqdn: string, consent: Record<string, unknown>) => op.api.post('/usage-fqdns', { subscriberId: s, fqdn, period: '1y', consent: { ...CONSENT, ...consent } });
    const now = clock.now().getTime();
    const at = (ms: number) => new Date(now + ms).toISOString();

    // terms has versions (previous test): an unpublished terms version is refused, naming the current one.
    const unknown = await apply('consent-a.test', { agreedAt: at(-60_000) });
    assert.equal(unknown.status, 400, unknown.text);
    assert.match(unknown.json().detail, /consent\.termsVersion "acme-terms-2026-04" is not a published terms version; the current terms version is "acme-terms-2027-01"/);
    // CP/CPS has no versions yet: any text is accepted.
    const ok = await apply('consent-b.test', { termsVersion: 'acme-terms-2027-01', cpsVersion: 'anything-goes', agreedAt: at(-60_000) });
    assert.equal(ok.status, 201, ok.text);
    clock.advance(1000);

    // The superseded version: fine for a consent given while it was in force, refused after.
    const old = await apply('consent-c.test', { termsVersion: 'acme-terms-2026-12', agreedAt: at(-24 * HOUR) });
    assert.equal(old.status, 201, old.text);
    clock.advance(1000);
    const stale = await apply('consent-d.test', { termsVersion: 'acme-terms-2026-12', agreedAt: clock.now().toISOString() });
    assert.equal(stale.status, 400);
    assert.match(stale.json().detail, /"acme-terms-2026-12" was superseded at agreedAt by acme-terms-2027-01/);

    // Once CP/CPS is published, it is checked too; an announced later version is accepted in advance.
    assert.equal((await f.admin.post('/policy-documents', { kind: 'cps', version: 'cps-4.0', url: 'https://ca.test/cps/4.0.pdf' })).status, 201);
    assert.equal((await f.admin.post('/policy-documents', { kind: 'cps', version: 'cps-4.1', url: 'https://ca.test/cps/4.1.pdf', effectiveAt: at(30 * 24 * HOUR) })).status, 201);
    const cps = await apply('consent-e.test', { termsVersion: 'acme-terms-2027-01', cpsVersion: 'cps-3.2' });
    assert.equal(cps.status, 400);
    assert.match(cps.json().detail, /consent\.cpsVersion "cps-3\.2" is not a published cps version; the current cps version is "cps-4\.0"/);
    const early = await apply('consent-f.test', { termsVersion: 'acme-terms-2027-01', cpsVersion: 'cps-4.1', agreedAt: clock.now().toISOString() });
    assert.equal(early.status, 201, early.text);
    clock.advance(1000);

    const consents = await f.admin.get(`/subscribers/${s}/consents`);
    assert.equal(consents.status, 200, consents.text);
    assert.deepEqual(
      consents.json().items.map((c: { termsVersion: string; cpsVersion: string; ctDisclosureVersion: string; operatorId: string }) => [c.termsVersion, c.cpsVersion, c.ctDisclosureVersion, c.operatorId]),
      [
        ['acme-terms-2027-01', 'anything-goes', 'ct-disclosure-1', op.id],
        ['acme-terms-2026-12', 'cps-3.2', 'ct-disclosure-1', op.id],
        ['acme-terms-2027-01', 'cps-4.1', 'ct-disclosure-1', op.id],
      ],
    );
    assert.equal((await f.admin.get('/subscribers/sub_doesnotexist/consents')).status, 404);
  });

  test('issuance still works end to end after all of it', async () => {
    const serial = await issue(f, acct, ['maint.test']);
    assert.ok((await f.shomei.inst.sa.repos.getCertificate(serial))?.serial);
  });
});
