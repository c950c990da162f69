// Notifications through the real APIs (SPEC §10; AR 11, AR 18): what an
// operator or the admin does is written to the outbox in the same
// transaction, and the `notification-delivery` job sends it to a real SMTP
// server on loopback. Also the admin API and the `shomei notifications`
// verbs for dead letters. The clock starts at the real time, since the CLI
// runs on the system clock.
import { after, before, beforeEach, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { FakeClock } from '../../../src/core/clock.js';
import type { DeliveryReport } from '../../../src/notify/delivery.js';
import type { NotificationMessageView } from '../../../src/notify/admin.js';
import { AgencyFixture, CONSENT, type OperatorHandle } from '../../support/agency-fixture.js';
import { cliFailed, cliJson, envWithoutShomei, runShomeiCli } from '../../support/cli-runner.js';
import { SmtpSink } from '../../support/smtp-sink.js';

describe('notifications through the agency channel, delivered over SMTP', () => {
  let f: AgencyFixture;
  let sink: SmtpSink;
  let op: OperatorHandle;
  let sub: string;
  const clock = new FakeClock(new Date());

  async function deliver(): Promise<DeliveryReport> {
    const out = await f.shomei.inst.jobs.run('notification-delivery');
    assert.ok(out.ran);
    return out.result as DeliveryReport;
  }

  before(async () => {
    sink = await SmtpSink.start();
    f = await AgencyFixture.start({ clock, config: { notifications: { smtp: sink.smtpConfig(), from: 'Shomei Test CA <notices@ca.test>' } } });
    op = await f.designateOperator({ name: '例示リセラー株式会社' });
    sub = await f.createSubscriber(op, 'Hanako Suzuki');
  });
  after(async () => {
    await f?.close();
    await sink?.close();
  });
  beforeEach(async () => {
    clock.set(new Date());
    await deliver();
    sink.clear();
  });

  test("EAB credentials issued through the operator API → the operator's contact receives the notice by e-mail (AR 11)", async () => {
    const { kid } = await f.issueEab(op, sub);
    const report = await deliver();
    assert.equal(report.sent, 1);
    const mail = await sink.waitFor((m) => m.subject.includes(kid));
    assert.deepEqual(mail.to, ['desk@reseller.test']);
    assert.equal(mail.from, 'notices@ca.test');
    assert.equal(mail.headers.get('from'), 'Shomei Test CA <notices@ca.test>');
    assert.equal(mail.subject, `[Shomei Test CA] ACME認証情報（EAB）を発行しました: ${kid}`);
    assert.ok(mail.text.startsWith('例示リセラー株式会社 ご担当者様\n'), mail.text);
    assert.ok(mail.text.includes(`鍵ID: ${kid}`));
    assert.ok(mail.text.includes(`本サービス利用者: Hanako Suzuki（${sub}）`));
    assert.ok(mail.text.includes('遅滞なく本サービス利用者へお伝えください'));
    assert.ok(!mail.text.includes(`"hmacKey"`) && !/[A-Za-z0-9_-]{40,}/.test(mail.text), 'the HMAC key is never mailed');
    assert.equal(sink.to('hanako@customer.test').length, 0, 'credentials go via the operator only');
  });

  test('contacts may choose English; an invalid locale is refused', async () => {
    const bad = await f.admin.patch(`/operators/${op.id}`, { contacts: [{ email: 'desk@reseller.test', locale: 'fr' }] });
    assert.equal(bad.status, 400, bad.text);
    const r = await f.admin.patch(`/operators/${op.id}`, { contacts: [{ email: 'desk@reseller.test', locale: 'en' }, { email: 'night@reseller.test', name: 'Night desk' }] });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json().contacts, [{ email: 'desk@reseller.test', locale: 'en' }, { email: 'night@reseller.test', name: 'Night desk' }]);
    try {
      const { kid } = await f.issueEab(op, sub);
      await deliver();
      const en = sink.to('desk@reseller.test');
      assert.equal(en.length, 1);
      assert.equal(en[0]!.subject, `[Shomei Test CA] ACME credentials (EAB) issued: ${kid}`);
      const ja = sink.to('night@reseller.test');
      assert.equal(ja.length, 1, 'every contact receives notices');
      assert.ok(ja[0]!.subject.includes('ACME認証情報'));
    } finally {
      await f.admin.patch(`/operators/${op.id}`, { contacts: [{ name: 'Support desk', email: 'desk@reseller.test' }] });
    }
  });

  test('AR 18: a refused application reaches the subscriber directly as well as the operator', async () => {
    await f.apply(op, sub, 'twice.test', '1y');
    const again = await op.api.post('/usage-fqdns', { subscriberId: sub, fqdn: 'twice.test', period: '1y', consent: CONSENT });
    assert.equal(again.status, 422);
    await deliver();
    const direct = sink.to('hanako@customer.test');
    assert.equal(direct.length, 1);
    assert.equal(direct[0]!.subject, '[Shomei Test CA] 利用FQDNのお申込みをお受けできませんでした: twice.test');
    assert.ok(direct[0]!.text.startsWith('Hanako Suzuki 様\n'));
    assert.ok(direct[0]!.text.includes('- duplicate:'), direct[0]!.text);
    assert.ok(!direct[0]!.text.includes('遅滞なく'), 'no relay request in a direct notice');
    const toOperator = sink.to('desk@reseller.test').map((m) => m.subject);
    assert.ok(toOperator.includes('[Shomei Test CA] 利用FQDNのお申込みを受け付けました: twice.test'), toOperator.join('\n'));
    assert.ok(toOperator.includes('[Shomei Test CA] 利用FQDNのお申込みをお受けできませんでした: twice.test'));
  });

  test('AR 18: an immediate suspension reaches the operator and, directly, each of its subscribers with a usage FQDN', async () => {
    const op2 = await f.designateOperator({ name: 'Leaky Keys K.K.' });
    const r2 = await f.admin.patch(`/operators/${op2.id}`, { contacts: [{ email: 'ops@leaky.test', locale: 'en' }] });
    assert.equal(r2.status, 200, r2.text);
    const withUsage = await op2.api.post('/subscribers', { name: '佐藤一郎', emails: ['ichiro@customer2.test'] });
    await f.apply(op2, withUsage.json().id as string, 'leaky-customer.test', '1y');
    await op2.api.post('/subscribers', { name: 'No Usage', emails: ['nousage@customer2.test'] });
    await deliver();
    sink.clear();

    const s = await f.admin.post(`/operators/${op2.id}/immediate-suspension`, { reason: 'API key published on a forum' });
    assert.equal(s.status, 201, s.text);
    await deliver();

    const toOperator = sink.to('ops@leaky.test');
    assert.equal(toOperator.length, 1);
    assert.equal(toOperator[0]!.subject, '[Shomei Test CA] [Important] Operator suspended with immediate effect: Leaky Keys K.K.');
    assert.ok(toOperator[0]!.text.includes('Reason: API key published on a forum'));
    const direct = sink.to('ichiro@customer2.test');
    assert.equal(direct.length, 1, 'the subscriber is told directly (AR 18)');
    assert.equal(direct[0]!.subject, '[Shomei Test CA] 【重要】指定事業者の業務委託の即時一時停止のお知らせ: Leaky Keys K.K.');
    // An operator-wide event names no subscriber: the direct notice greets its reader generically.
    assert.ok(direct[0]!.text.startsWith('本サービス利用者 様\n'), direct[0]!.text);
    assert.ok(direct[0]!.text.includes('Leaky Keys K.K. を経由した本サービスのご利用申込み（利用FQDNのお申込み）をお受けできません'));
    assert.equal(sink.to('nousage@customer2.test').length, 0, 'no usage FQDN, no direct notice');
  });

  test('admin API: list and filter the outbox, preview a message, retry a dead letter (409 for any other state)', async () => {
    sink.rejectNext(1, { code: 550, stage: 'rcpt' });
    const { kid } = await f.issueEab(op, sub);
    const report = await deliver();
    assert.equal(report.dead, 1);

    const dead = await f.admin.get(`/notifications?status=dead&operatorId=${op.id}&kind=credential.issued`);
    assert.equal(dead.status, 200, dead.text);
    const items = dead.json().items as NotificationMessageView[];
    const mine = items.find((m) => m.subjectId === kid);
    assert.ok(mine, dead.text);
    assert.deepEqual(
      { status: mine.status, attempts: mine.attempts, recipient: mine.recipient, role: mine.recipientRole, operatorId: mine.operatorId, subscriberId: mine.subscriberId },
      { status: 'dead', attempts: 1, recipient: 'desk@reseller.test', role: 'operator', operatorId: op.id, subscriberId: sub },
    );
    assert.match(mine.lastError ?? '', /550/);

    const one = await f.admin.get(`/notifications/${mine.id}`);
    assert.equal(one.status, 200);
    assert.ok((one.json().preview.subject as string).includes(kid));
    assert.ok((one.json().preview.body as string).includes('Hanako Suzuki'));

    const page1 = await f.admin.get(`/notifications?operatorId=${op.id}&limit=2`);
    const page2 = await f.admin.get(`/notifications?operatorId=${op.id}&limit=2&cursor=${encodeURIComponent(page1.json().next as string)}`);
    const ids = [...page1.json().items, ...page2.json().items].map((m: NotificationMessageView) => m.id);
    assert.equal(new Set(ids).size, 4, 'pages do not overlap');
    const created = [...page1.json().items, ...page2.json().items].map((m: NotificationMessageView) => m.createdAt);
    assert.deepEqual(created, [...created].sort().reverse(), 'newest first');

    const sentOne = (await f.admin.get(`/notifications?status=sent&operatorId=${op.id}&limit=1`)).json().items[0] as NotificationMessageView;
    assert.equal((await f.admin.post(`/notifications/${sentOne.id}/retry`, {})).status, 409);
    assert.equal((await f.admin.post('/notifications/nm_doesnotexist/retry', {})).status, 404);

    const retried = await f.admin.post(`/notifications/${mine.id}/retry`, {});
    assert.equal(retried.status, 200, retried.text);
    assert.deepEqual({ status: retried.json().status, attempts: retried.json().attempts }, { status: 'pending', attempts: 0 });
    const audit = await f.shomei.inst.sa.repos.listAudit('notification-message', mine.id);
    assert.deepEqual(audit.map((a) => [a.action, a.actor, a.channel]), [['notification.retried', 'admin:test-admin', 'admin']]);

    assert.equal((await deliver()).sent, 1);
    assert.equal((await sink.waitFor((m) => m.subject.includes(kid))).to[0], 'desk@reseller.test');
  });

  test('shomei notifications list / show / retry / deliver', async () => {
    const env = {
      ...envWithoutShomei(),
      SHOMEI_DATA_DIR: f.shomei.dataDir,
      SHOMEI_DATABASE_URL: f.shomei.inst.config.database.url,
      SHOMEI_LOG_LEVEL: 'warn',
      SHOMEI_NOTIFICATIONS_SMTP_HOST: sink.host,
      SHOMEI_NOTIFICATIONS_SMTP_PORT: String(sink.port),
      SHOMEI_NOTIFICATIONS_FROM: 'Shomei Test CA <notices@ca.test>',
      USER: 'cli-staff',
    };
    sink.rejectNext(1, { code: 554 });
    const { kid } = await f.issueEab(op, sub);
    await deliver();

    const listed = cliJson<NotificationMessageView[]>(await runShomeiCli(env, ['notifications', 'list', '--status', 'dead', '--json']));
    const dead = listed.find((m) => m.subjectId === kid);
    assert.ok(dead, JSON.stringify(listed));
    assert.ok(listed.every((m) => m.status === 'dead'));

    const shown = await runShomeiCli(env, ['notifications', 'show', dead.id]);
    assert.equal(shown.status, 0, shown.stderr);
    assert.ok(shown.stdout.includes(`Subject: [Shomei Test CA] ACME認証情報（EAB）を発行しました: ${kid}`), shown.stdout);

    cliFailed(await runShomeiCli(env, ['notifications', 'list', '--status', 'lost']), /status must be one of pending, sent, dead/);
    const retried = cliJson<NotificationMessageView>(await runShomeiCli(env, ['notifications', 'retry', dead.id, '--json']));
    assert.deepEqual({ status: retried.status, attempts: retried.attempts }, { status: 'pending', attempts: 0 });
    cliFailed(await runShomeiCli(env, ['notifications', 'retry', dead.id]), /Only dead messages can be retried/);
    assert.equal((await f.shomei.inst.sa.repos.listAudit('notification-message', dead.id))[0]?.actor, 'admin:cli-staff');

    const delivered = cliJson<{ ran: boolean; result: DeliveryReport }>(await runShomeiCli(env, ['notifications', 'deliver', '--json']));
    assert.equal(delivered.ran, true);
    assert.ok(delivered.result.sent >= 1, JSON.stringify(delivered));
    assert.ok(sink.messages.some((m) => m.subject.includes(kid)));
    assert.equal((await f.shomei.inst.sa.repos.getNotificationMessage(dead.id))?.status, 'sent');
  });
});
