import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeClock } from '../../src/core/clock.js';
import { AgencyFixture, CONSENT, type OperatorHandle } from '../support/agency-fixture.js';
import { account, issue, newOrder, type Acct } from '../support/agency-acme.js';
import { SmtpSink, type ReceivedMail } from '../support/smtp-sink.js';
import { removeDir, tempDir } from './interop-support.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Issue 5, "Done when": the CA's governance of its operators end to end, on
 * the real APIs, real ACME and a real SMTP server on loopback, with the clock
 * injected (SQLite, and PostgreSQL with SHOMEI_TEST_DB=postgres):
 *
 *  1. Alpha goes unreachable for 21 days → correction notice (29 days
 *     refused, 30 accepted) → not corrected by the deadline → suspended
 *     "until corrected": its applications are refused, its unstarted usage
 *     FQDN cannot start, its started ones keep renewing, the one whose expiry
 *     date falls within the suspension ends at expiry and its certificate is
 *     revoked → lifted: everything works again, the ended FQDN stays ended.
 *  2. Beta's key leaks → immediate suspension: every key dies at once, a new
 *     key is refused until the CA lifts the suspension, then it works.
 *  3. Alpha's contract is terminated → hand-over demand (≥ 10 days) →
 *     hand-over package checked with tar and sha256sum → at the effective
 *     instant Alpha's access ends and its subscriber, usage FQDNs and
 *     certificates move to the CA's own desk; the subscriber's ACME account
 *     keeps renewing.
 *  4. Beta's contract is terminated with Gamma as successor.
 *  5. A maintenance window is announced to the remaining operators and
 *     answers ACME with 503 + Retry-After while it lasts.
 * Every notice asserted arrived over SMTP; the audit chain verifies at the end.
 */
describe('governance end to end: suspension, immediate suspension, termination and hand-over', { timeout: 10 * 60_000 }, () => {
  const clock = new FakeClock('2026-11-21T03:00:00Z'); // 12:00 JST
  let sink: SmtpSink;
  let f: AgencyFixture;
  let work: string;
  let desk: OperatorHandle;
  let alpha: OperatorHandle;
  let beta: OperatorHandle;
  let gamma: OperatorHandle;
  let subA: string;
  let subB: string;
  let acctA: Acct;
  let acctB: Acct;
  const fq: Record<string, string> = {};
  const serial: Record<string, string> = {};

  const OPS = { desk: 'desk@shomei-ca.test', alpha: 'ops@alpha.test', beta: 'ops@beta.test', gamma: 'ops@gamma.test' };
  const OWNER_A = 'owner@alpha-customer.test';
  const OWNER_B = 'owner@beta-customer.test';

  async function designate(name: string, email: string, o: { caDesk?: boolean } = {}): Promise<OperatorHandle> {
    const r = await f.admin.post('/operators', {
      name,
      representative: 'Representative Director',
      contacts: [{ name: 'Operations', email }],
      acmeHandling: true,
      ...(o.caDesk ? { caDesk: true } : {}),
    });
    assert.equal(r.status, 201, r.text);
    const id = r.json().id as string;
    const k = await f.admin.post(`/operators/${id}/api-keys`, { label: 'primary' });
    assert.equal(k.status, 201, k.text);
    const token = k.json().token as string;
    return { id, token, keyId: k.json().key.id as string, api: f.operatorClient(token) };
  }

  async function subscriber(op: OperatorHandle, name: string, email: string): Promise<string> {
    const r = await op.api.post('/subscribers', { name, emails: [email] });
    assert.equal(r.status, 201, r.text);
    return r.json().id as string;
  }

  /** Run the outbox delivery now and return what the SMTP server received during it. */
  async function deliver(): Promise<ReceivedMail[]> {
    const before = sink.messages.length;
    const out = await f.shomei.inst.jobs.run('notification-delivery');
    assert.equal(out.ran, true);
    return sink.messages.slice(before);
  }

  /** The mails to `address` among `mails` whose subject matches. */
  const mailsTo = (mails: ReceivedMail[], address: string, subject: RegExp) => mails.filter((m) => m.to.includes(address) && subject.test(m.subject));

  function oneMail(mails: ReceivedMail[], address: string, subject: RegExp): ReceivedMail {
    const found = mailsTo(mails, address, subject);
    assert.equal(found.length, 1, `one mail to ${address} matching ${subject}; got: ${mails.map((m) => `${m.to.join(',')}: ${m.subject}`).join(' | ')}`);
    return found[0] as ReceivedMail;
  }

  const usage = async (op: OperatorHandle, id: string) => {
    const r = await op.api.get(`/usage-fqdns/${id}`);
    assert.equal(r.status, 200, r.text);
    return r.json();
  };

  const applyAs = (op: OperatorHandle, subscriberId: string, fqdn: string, period: '1m' | '1y' = '1m') =>
    op.api.post('/usage-fqdns', { subscriberId, fqdn, period, consent: CONSENT });

  before(async () => {
    sink = await SmtpSink.start();
    f = await AgencyFixture.start({ clock, config: { notifications: { smtp: sink.smtpConfig() } } });
    work = tempDir('governance');
    desk = await designate('Shomei CA Reseller Desk', OPS.desk, { caDesk: true });
    alpha = await designate('Alpha Reseller K.K.', OPS.alpha);
    beta = await designate('Beta Reseller K.K.', OPS.beta);
    gamma = await designate('Gamma Reseller K.K.', OPS.gamma);
    subA = await subscriber(alpha, 'Alpha Customer Co.', OWNER_A);
    subB = await subscriber(beta, 'Beta Customer Co.', OWNER_B);
    for (const [op, sub, fqdn, period] of [
      [alpha, subA, 'alpha.test', '1m'],
      [alpha, subA, 'alpha-yearly.test', '1y'],
      [alpha, subA, 'alpha-pending.test', '1m'],
      [beta, subB, 'beta.test', '1m'],
    ] as const) {
      const r = await applyAs(op, sub, fqdn, period);
      assert.equal(r.status, 201, r.text);
      fq[fqdn] = r.json().usageFqdn.id as string;
    }
    acctA = await account(f, await f.issueEab(alpha, subA));
    acctB = await account(f, await f.issueEab(beta, subB));
    serial['alpha'] = await issue(f, acctA, ['alpha.test', 'www.alpha.test']); // starts 2026-11-21, expiry 2026-12-31
    serial['alpha-yearly'] = await issue(f, acctA, ['alpha-yearly.test']); // expiry 2027-11-30
    serial['beta'] = await issue(f, acctB, ['beta.test']);
  });

  after(async () => {
    await f?.close();
    await sink?.close();
    if (work) removeDir(work);
  });

  test('the outbox relays everyday notices to the operator over SMTP, in Japanese by default (AR 11)', async () => {
    const mails = await deliver();
    const accepted = oneMail(mails, OPS.alpha, /利用FQDNのお申込みを受け付けました: alpha\.test$/);
    assert.match(accepted.text, /alpha\.test/);
    assert.equal(accepted.headers.get('auto-submitted'), 'auto-generated');
    // Everyday notices go to the operator, which relays them (AR 11): never straight to the subscriber.
    assert.deepEqual(mails.filter((m) => m.to.includes(OWNER_A)), []);
    assert.ok(mailsTo(mails, OPS.beta, /beta\.test/).length >= 1);
  });

  test('1a. Alpha unreachable for 21 days → correction notice: 29 days refused, 30 accepted; the operator is told', async () => {
    const attempt = await f.admin.post(`/operators/${alpha.id}/contact-attempts`, { method: 'phone', outcome: 'unreachable', note: 'No answer at the registered number' });
    assert.equal(attempt.status, 201, attempt.text);
    clock.set('2026-12-11T03:00:00Z'); // 20 days
    assert.equal((await f.admin.get(`/operators/${alpha.id}/standing`)).json().unreachable.flagged, false);
    const early = await f.admin.post(`/operators/${alpha.id}/correction-notices`, { ground: 'contact-unreachable', detail: 'Unreachable since 2026-11-21', correctionDays: 30 });
    assert.equal(early.status, 409, early.text);
    clock.set('2026-12-12T03:00:00Z'); // 21 days
    assert.equal((await f.admin.get(`/operators/${alpha.id}/standing`)).json().unreachable.flagged, true);
    const short = await f.admin.post(`/operators/${alpha.id}/correction-notices`, { ground: 'contact-unreachable', detail: 'Unreachable since 2026-11-21', correctionDays: 29 });
    assert.equal(short.status, 400, short.text);
    const notice = await f.admin.post(`/operators/${alpha.id}/correction-notices`, { ground: 'contact-unreachable', detail: 'Unreachable since 2026-11-21', correctionDays: 30 });
    assert.equal(notice.status, 201, notice.text);
    // Issued 2026-12-12 (JST): the period runs through 2027-01-11; the deadline is 2027-01-12 00:00 JST.
    assert.equal(notice.json().deadline, '2027-01-11T15:00:00.000Z');
    fq['notice'] = notice.json().id as string;
    const mails = await deliver();
    const mail = oneMail(mails, OPS.alpha, /是正のご通知/);
    assert.match(mail.subject, /2027/);
    assert.deepEqual(mails.filter((m) => m.to.includes(OWNER_A)), [], 'a correction notice is between the CA and the operator');
  });

  test('1b. not corrected by the deadline → suspended until corrected; operator and subscribers are told (AR 16, AR 18)', async () => {
    clock.set('2027-01-11T14:59:00Z');
    const tooEarly = await f.admin.post(`/operators/${alpha.id}/suspensions`, { reason: 'Correction period ended uncorrected', noticeId: fq['notice'] });
    assert.equal(tooEarly.status, 409, tooEarly.text);
    clock.set('2027-01-12T01:00:00Z'); // 10:00 JST
    const lifecycle = await f.runLifecycle(); // catches up: alpha.test continued on 2027-01-01 to 2027-01-31
    assert.equal(lifecycle.ran, true);
    assert.equal((await usage(alpha, fq['alpha.test'] as string)).expiryDate, '2027-01-31');
    const r = await f.admin.post(`/operators/${alpha.id}/suspensions`, { reason: 'Correction period ended uncorrected', noticeId: fq['notice'] });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json().endsAt, null);
    fq['suspension'] = r.json().id as string;
    const mails = await deliver();
    oneMail(mails, OPS.alpha, /一時停止のお知らせ/);
    const direct = oneMail(mails, OWNER_A, /一時停止のお知らせ/);
    assert.match(direct.text, /Alpha Reseller K\.K\./);
  });

  test('1c. while suspended: applications refused (403), the unstarted FQDN cannot start, started FQDNs renew', async () => {
    const refused = await applyAs(alpha, subA, 'alpha-new.test');
    assert.equal(refused.status, 403, refused.text);
    assert.match(refused.text, /suspended/i);
    assert.equal((await alpha.api.get('/usage-fqdns?status=applied')).json().items.length, 1, 'nothing stored for the refused application');

    const order = await newOrder(f, acctA, ['alpha-pending.test']);
    assert.equal(order.json().type, 'urn:ietf:params:acme:error:rejectedIdentifier', order.body);
    assert.match(String(order.json().detail), /alpha-pending\.test.*suspended/s);
    assert.equal((await usage(alpha, fq['alpha-pending.test'] as string)).status, 'applied');

    serial['alpha-yearly-2'] = await issue(f, acctA, ['alpha-yearly.test']);
    assert.ok(serial['alpha-yearly-2']);
  });

  test('1d. the FQDN whose expiry date falls within the suspension ends at expiry; its certificate is revoked; notices go out', async () => {
    clock.set('2027-01-20T01:00:00Z');
    assert.equal((await f.shomei.inst.jobs.run('governance')).ran, true);
    let mails = await deliver();
    oneMail(mails, OPS.alpha, /利用がまもなく終了します: alpha\.test/);

    clock.set('2027-01-31T14:59:00Z'); // 23:59 JST on the expiry date: nothing yet
    await f.runLifecycle();
    assert.equal((await usage(alpha, fq['alpha.test'] as string)).status, 'active');
    clock.set('2027-01-31T15:00:30Z'); // 00:00:30 JST the next day
    await f.runLifecycle();
    const ended = await usage(alpha, fq['alpha.test'] as string);
    assert.deepEqual([ended.status, ended.endedOn], ['ended', '2027-01-31']);
    const cert = await f.shomei.inst.sa.repos.getCertificate(serial['alpha'] as string);
    assert.equal(cert?.revocation_reason, 5);
    // A started FQDN expiring later is untouched.
    assert.equal((await usage(alpha, fq['alpha-yearly.test'] as string)).status, 'active');
    mails = await deliver();
    oneMail(mails, OPS.alpha, /利用が終了しました: alpha\.test/);
  });

  test('1e. lifting restores normal behaviour from that moment; the ended FQDN stays ended', async () => {
    clock.set('2027-02-01T01:00:00Z');
    const lift = await f.admin.post(`/operators/${alpha.id}/suspensions/${fq['suspension']}/lift`, { note: 'Contact restored, details updated' });
    assert.equal(lift.status, 200, lift.text);
    const mails = await deliver();
    oneMail(mails, OPS.alpha, /一時停止を終了しました/);
    oneMail(mails, OWNER_A, /一時停止を終了しました/);

    const accepted = await applyAs(alpha, subA, 'alpha-new.test');
    assert.equal(accepted.status, 201, accepted.text);
    fq['alpha-new.test'] = accepted.json().usageFqdn.id as string;
    serial['alpha-pending'] = await issue(f, acctA, ['alpha-pending.test']);
    assert.equal((await usage(alpha, fq['alpha-pending.test'] as string)).status, 'active');
    assert.equal((await usage(alpha, fq['alpha.test'] as string)).status, 'ended');
    const again = await newOrder(f, acctA, ['alpha.test']);
    assert.equal(again.json().type, 'urn:ietf:params:acme:error:rejectedIdentifier', again.body);
  });

  test('2. Beta immediate suspension: every key dies at once; a new key is refused until the CA lifts it (AR 17)', async () => {
    const oldKey = beta.api;
    const r = await f.admin.post(`/operators/${beta.id}/immediate-suspension`, { reason: 'API key published in a public repository' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json().keysRevoked, 1);
    assert.equal((await oldKey.get('/me')).status, 401);
    const k = await f.admin.post(`/operators/${beta.id}/api-keys`, { label: 'after the fix' });
    assert.equal(k.status, 201, k.text);
    const newKey = f.operatorClient(k.json().token as string);
    const refused = await newKey.get('/subscribers');
    assert.equal(refused.status, 403, refused.text);
    assert.match(refused.text, /immediate/i);
    const mails = await deliver();
    oneMail(mails, OPS.beta, /即時一時停止/);
    oneMail(mails, OWNER_B, /即時一時停止/);
    // Started FQDNs keep renewing over ACME.
    serial['beta-2'] = await issue(f, acctB, ['beta.test']);

    const lift = await f.admin.post(`/operators/${beta.id}/suspensions/${r.json().id}/lift`, { note: 'Key rotated, repository cleaned' });
    assert.equal(lift.status, 200, lift.text);
    assert.equal((await newKey.get('/me')).status, 200);
    assert.equal((await oldKey.get('/me')).status, 401, 'the leaked key stays revoked');
    beta = { ...beta, token: k.json().token as string, api: newKey };
  });

  test('3a. Alpha terminated effective 2027-03-01; hand-over demand needs ≥ 10 days; both are notified', async () => {
    const t = await f.admin.post(`/operators/${alpha.id}/termination`, { effectiveAt: '2027-03-01', reason: 'Contract terminated (AR 19)' });
    assert.equal(t.status, 201, t.text);
    assert.equal(t.json().effectiveAt, '2027-02-28T15:00:00.000Z');
    const nine = await f.admin.post(`/operators/${alpha.id}/handover-demands`, { deadline: '2027-02-10' }); // today is 2027-02-01 JST
    assert.equal(nine.status, 400, nine.text);
    const ten = await f.admin.post(`/operators/${alpha.id}/handover-demands`, { deadline: '2027-02-11' });
    assert.equal(ten.status, 201, ten.text);
    const mails = await deliver();
    oneMail(mails, OPS.alpha, /契約の終了のお知らせ/);
    oneMail(mails, OWNER_A, /契約の終了のお知らせ/);
    oneMail(mails, OPS.alpha, /引継ぎ/);
  });

  test('3b. the hand-over package: tar extracts it, sha256sum -c passes, the records are all there', async () => {
    const r = await f.admin.getBytes(`/operators/${alpha.id}/handover-package`);
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/gzip');
    const at = join(work, 'package');
    execFileSync('mkdir', ['-p', at]);
    writeFileSync(join(at, 'p.tar.gz'), r.body);
    execFileSync('tar', ['-xzf', 'p.tar.gz'], { cwd: at });
    const [top] = readdirSync(at).filter((n) => n !== 'p.tar.gz');
    const dir = join(at, top as string);
    assert.match(execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir, encoding: 'utf8' }), /manifest\.json: OK/);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { operator: Json; files: { name: string }[] };
    assert.equal(manifest.operator['id'], alpha.id);
    const names = manifest.files.map((x) => x.name).sort();
    for (const base of ['subscribers', 'usage-fqdns', 'certificates', 'consent-records', 'open-notices']) {
      assert.ok(names.includes(`${base}.json`) && names.includes(`${base}.csv`), `${base} in the manifest`);
    }
    const read = (n: string) => JSON.parse(readFileSync(join(dir, n), 'utf8')) as Json[];
    assert.deepEqual(read('subscribers.json').map((s) => s['id']), [subA]);
    const byFqdn = Object.fromEntries(read('usage-fqdns.json').map((u) => [u['fqdn'], u['status']]));
    assert.deepEqual(byFqdn, { 'alpha.test': 'ended', 'alpha-yearly.test': 'active', 'alpha-pending.test': 'active', 'alpha-new.test': 'applied' });
    const certs = read('certificates.json');
    assert.ok(certs.some((c) => c['serial'] === serial['alpha'] && c['revocation_reason'] === 5));
    assert.ok(certs.some((c) => c['serial'] === serial['alpha-yearly-2'] && typeof c['pem'] === 'string'));
    assert.equal(read('consent-records.json').length, 4);
    assert.ok(read('open-notices.json').some((n) => /handover/.test(String(n['kind']))));
  });

  test('3c. at the effective instant Alpha loses access; its live records move to the CA desk; ACME keeps renewing', async () => {
    clock.set('2027-02-28T14:59:59Z');
    assert.equal((await alpha.api.get('/me')).status, 200);
    clock.set('2027-02-28T15:00:01Z');
    const gone = await alpha.api.get('/subscribers');
    assert.equal(gone.status, 403, gone.text);
    assert.equal((await f.shomei.inst.jobs.run('termination')).ran, true);
    const subs = (await desk.api.get('/subscribers')).json().items as Json[];
    assert.deepEqual(subs.map((s) => s['id']), [subA]);
    const live = ((await desk.api.get(`/usage-fqdns?subscriberId=${subA}`)).json().items as Json[]).map((u) => u['fqdn']).sort();
    assert.deepEqual(live, ['alpha-new.test', 'alpha-pending.test', 'alpha-yearly.test']);
    assert.equal((await desk.api.get(`/certificates/${serial['alpha-yearly-2']}`)).status, 200);
    serial['alpha-after'] = await issue(f, acctA, ['alpha-yearly.test']);
    assert.equal((await desk.api.get(`/certificates/${serial['alpha-after']}`)).status, 200);
    const mails = await deliver();
    oneMail(mails, OPS.alpha, /契約が終了しました/);
    oneMail(mails, OWNER_A, /契約が終了しました/);
    oneMail(mails, OPS.desk, /取次の承継のお知らせ: Alpha Reseller K\.K\./);
  });

  test('4. Beta terminated with Gamma as successor: Gamma manages Beta\'s subscriber and can revoke its certificates', async () => {
    const t = await f.admin.post(`/operators/${beta.id}/termination`, { effectiveAt: '2027-03-15', reason: 'Contract terminated (AR 19)', successorOperatorId: gamma.id });
    assert.equal(t.status, 201, t.text);
    clock.set('2027-03-14T15:00:01Z');
    assert.equal((await f.shomei.inst.jobs.run('termination')).ran, true);
    assert.equal((await beta.api.get('/me')).status, 403);
    assert.deepEqual(((await gamma.api.get('/subscribers')).json().items as Json[]).map((s) => s['id']), [subB]);
    const revoke = await gamma.api.post(`/certificates/${serial['beta']}/revoke`, { reason: 4 });
    assert.equal(revoke.status, 200, revoke.text);
    assert.equal((await f.shomei.inst.sa.repos.getCertificate(serial['beta'] as string))?.revocation_reason, 4);
    const mails = await deliver();
    oneMail(mails, OPS.gamma, /取次の承継のお知らせ: Beta Reseller K\.K\./);
    oneMail(mails, OWNER_B, /契約が終了しました/);
  });

  test('5. maintenance: announced to the remaining operators; ACME answers 503 with Retry-After during the window only', async () => {
    const w = await f.admin.post('/maintenance-windows', { reason: 'Database upgrade', startsAt: '2027-03-20T01:00:00Z', endsAt: '2027-03-20T02:00:00Z' });
    assert.equal(w.status, 201, w.text);
    const mails = await deliver();
    oneMail(mails, OPS.gamma, /メンテナンスのお知らせ/);
    oneMail(mails, OPS.desk, /メンテナンスのお知らせ/);
    assert.equal(mailsTo(mails, OPS.alpha, /メンテナンス/).length + mailsTo(mails, OPS.beta, /メンテナンス/).length, 0, 'terminated operators are not told');
    clock.set('2027-03-20T01:30:00Z');
    const during = await f.acme.head(f.acme.directory['newNonce'] as string);
    assert.equal(during.status, 503);
    assert.equal(during.headers['retry-after'], '1800');
    clock.set('2027-03-20T02:00:01Z');
    assert.equal((await f.acme.head(f.acme.directory['newNonce'] as string)).status, 200);
  });

  test('every step left an unbroken, hash-chained audit trail', async () => {
    const v = await f.admin.get('/audit/verify');
    assert.equal(v.status, 200, v.text);
    assert.equal(v.json().ok, true, v.text);
    assert.deepEqual(v.json().problems, []);
    const actions = new Set<string>();
    for (let cursor = ''; ; ) {
      const page = await f.admin.get(`/audit/events?limit=200${cursor === '' ? '' : `&cursor=${encodeURIComponent(cursor)}`}`);
      assert.equal(page.status, 200, page.text);
      for (const e of page.json().items as Json[]) actions.add(e['action'] as string);
      if (page.json().next === null) break;
      cursor = page.json().next as string;
    }
    for (const a of ['operator.designated', 'operator.correction-notice', 'operator.suspended', 'operator.suspension-lifted', 'operator.suspended-immediately', 'operator.api-keys-revoked', 'operator.termination-scheduled', 'operator.termination-effective', 'subscriber.transferred']) {
      assert.ok([...actions].some((x) => x === a || x.startsWith(a)), `audit has ${a}: ${[...actions].join(', ')}`);
    }
  });
});
