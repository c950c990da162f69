import { after, before, beforeEach, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { FakeClock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/logger.js';
import { validateConfig } from '../../src/config/load.js';
import type { Config, ConfigInput } from '../../src/config/schema.js';
import { JobRunner } from '../../src/jobs/job-runner.js';
import { NOTIFICATION_DELIVERY_JOB, notificationDeliveryJob } from '../../src/jobs/notification-delivery-job.js';
import { getOutboxMessage, listOutboxMessages, retryOutboxMessage } from '../../src/notify/admin.js';
import { deliverDueMessages, type DeliveryReport } from '../../src/notify/delivery.js';
import { recordNotification, type NotificationKind } from '../../src/registry/notifications.js';
import { openDatabase, StorageAuthority, type NotificationMessageRow } from '../../src/sa/index.js';
import { freshDatabaseUrl, testDbKind } from '../support/database.js';
import { SmtpSink } from '../support/smtp-sink.js';

const T0 = '2026-11-21T03:00:00.000Z';
const PASSWORD = 'S3cret-smtp-pässword-42';

describe(`notification delivery over SMTP (SPEC §10) on ${testDbKind()}`, () => {
  let sa: StorageAuthority;
  let cleanup: () => Promise<void>;
  let sink: SmtpSink;
  let authSink: SmtpSink;
  let dir: string;
  const clock = new FakeClock(T0);
  const log: string[] = [];
  const logger = createLogger(
    'debug',
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        log.push(chunk.toString('utf8'));
        cb();
      },
    }),
  );
  let n = 0;

  before(async () => {
    const db = await freshDatabaseUrl();
    cleanup = db.cleanup;
    sa = new StorageAuthority(openDatabase(db.url));
    await sa.migrate();
    sink = await SmtpSink.start();
    authSink = await SmtpSink.start({ auth: { user: 'shomei', pass: PASSWORD } });
    dir = mkdtempSync(join(tmpdir(), 'shomei-smtp-'));
  });
  after(async () => {
    await sink.close();
    await authSink.close();
    await sa.close();
    await cleanup();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    sink.clear();
    clock.set(T0);
    // Leave nothing due from an earlier test: each test starts with an empty queue.
    await sa.transaction(async (tx) => {
      for (const m of await tx.listDueNotificationMessages('9999-12-31T00:00:00.000Z', 1000)) {
        await tx.recordNotificationAttempt(m.id, { attempts: m.attempts, claimedUntil: m.next_attempt_at }, { status: 'dead', error: 'test reset', nextAttemptAt: m.next_attempt_at, nowIso: T0 });
      }
    });
  });

  function config(over: Partial<ConfigInput['notifications']> = {}, smtp: Record<string, unknown> = sink.smtpConfig()): Config {
    return validateConfig({ notifications: { backoffBaseSeconds: 60, backoffMaxSeconds: 3600, maxAttempts: 4, ...over, smtp: { ...smtp, ...(over?.smtp ?? {}) } } });
  }

  async function seed(o: { locale?: 'ja' | 'en'; kind?: NotificationKind; payload?: Record<string, unknown>; emails?: string[] } = {}): Promise<NotificationMessageRow[]> {
    const id = `op_d${++n}`;
    const emails = o.emails ?? [`desk${n}@reseller.test`];
    await sa.repos.insertOperator({
      id,
      name: `販売店${n} K.K.`,
      representative: 'Rep',
      address: null,
      contacts: JSON.stringify(emails.map((email) => ({ email, ...(o.locale ? { locale: o.locale } : {}) }))),
      acme_handling: 1,
      domain_designated: 0,
      ca_desk: 0,
      status: 'active',
      designated_at: T0,
      created_at: T0,
      updated_at: T0,
    });
    const sub = `sub_d${n}`;
    await sa.repos.insertSubscriber({ id: sub, operator_id: id, name: '鈴木花子', emails: '["hanako@customer.test"]', phone: null, external_ref: null, created_at: T0, updated_at: T0 });
    const eventId = await sa.transaction((tx) =>
      recordNotification(
        tx,
        { kind: o.kind ?? 'credential.issued', operatorId: id, subscriberId: sub, subjectType: 'eab', subjectId: 'kid', payload: o.payload ?? { kid: `kid_${n}` }, atIso: clock.now().toISOString() },
        { directSubscriberNotices: true, defaultLocale: 'ja' },
      ),
    );
    return sa.repos.listNotificationMessagesOfEvent(eventId);
  }

  async function runJob(c: Config): Promise<DeliveryReport> {
    const runner = new JobRunner({ sa, clock, logger, intervalSeconds: 60, leaseSeconds: 300 }, [notificationDeliveryJob({ sa, clock, logger, config: c })]);
    const out = await runner.run(NOTIFICATION_DELIVERY_JOB);
    assert.ok(out.ran);
    return out.result as DeliveryReport;
  }

  const row = async (id: string) => (await sa.repos.getNotificationMessage(id)) as NotificationMessageRow;

  test('a due message is rendered and delivered: subject, body, recipient, UTF-8 Japanese intact; the row is marked sent', async () => {
    const [m] = (await seed({ payload: { kid: 'kid_日本語' } })) as [NotificationMessageRow];
    const [en] = (await seed({ locale: 'en', payload: { kid: 'kid_english' } })) as [NotificationMessageRow];
    clock.advance(5000);
    const report = await runJob(config());
    assert.deepEqual({ due: report.due, sent: report.sent, retrying: report.retrying, dead: report.dead, skipped: report.skipped, stopped: report.stopped }, { due: 2, sent: 2, retrying: 0, dead: 0, skipped: null, stopped: null });

    const ja = sink.to(m.recipient);
    assert.equal(ja.length, 1);
    const mail = ja[0]!;
    assert.deepEqual(mail.to, [m.recipient]);
    assert.equal(mail.from, 'noreply@shomei.test');
    assert.equal(mail.subject, '[Shomei CA] ACME認証情報（EAB）を発行しました: kid_日本語');
    assert.ok(mail.text.startsWith(`販売店${n - 1} K.K. ご担当者様\n`), mail.text);
    assert.ok(mail.text.includes('鍵ID: kid_日本語'), mail.text);
    assert.ok(mail.text.includes('本サービス利用者: 鈴木花子（sub_d'), mail.text);
    assert.ok(mail.text.includes('遅滞なく本サービス利用者へお伝えください'), 'AR 11 relay request');
    assert.equal(mail.headers.get('auto-submitted'), 'auto-generated');
    assert.equal(mail.headers.get('message-id'), `<${m.id}@shomei.test>`);
    assert.match(mail.headers.get('content-type') ?? '', /charset=utf-8/i);

    const english = sink.to(en.recipient)[0]!;
    assert.equal(english.subject, '[Shomei CA] ACME credentials (EAB) issued: kid_english');
    assert.ok(english.text.includes('Please relay it to the subscriber without delay.'));

    const sent = await row(m.id);
    assert.deepEqual(
      { status: sent.status, attempts: sent.attempts, sentAt: sent.sent_at, subject: sent.subject, msgId: sent.smtp_message_id, err: sent.last_error },
      { status: 'sent', attempts: 1, sentAt: '2026-11-21T03:00:05.000Z', subject: mail.subject, msgId: `<${m.id}@shomei.test>`, err: null },
    );
    // Sent messages are not sent again.
    assert.equal((await runJob(config())).due, 0);
    assert.equal(sink.messages.length, 2);
  });

  test('a 4xx answer is retried with exponential backoff on the injected clock: rejected twice, then accepted (attempts = 3)', async () => {
    const [m] = (await seed()) as [NotificationMessageRow];
    sink.rejectNext(2, { code: 451 });
    const c = config();

    assert.equal((await runJob(c)).retrying, 1);
    let r = await row(m.id);
    assert.equal(r.status, 'pending');
    assert.equal(r.attempts, 1);
    assert.equal(r.next_attempt_at, '2026-11-21T03:01:00.000Z', 'first retry after backoffBaseSeconds');
    assert.match(r.last_error ?? '', /451/);

    clock.advance(59_000);
    assert.equal((await runJob(c)).due, 0, 'not due before its time');

    clock.advance(1000);
    assert.equal((await runJob(c)).retrying, 1);
    r = await row(m.id);
    assert.equal(r.attempts, 2);
    assert.equal(r.next_attempt_at, '2026-11-21T03:03:00.000Z', 'the delay doubles: 120 s after the second failure');

    clock.set('2026-11-21T03:03:00.000Z');
    assert.equal((await runJob(c)).sent, 1);
    r = await row(m.id);
    assert.deepEqual({ status: r.status, attempts: r.attempts, sentAt: r.sent_at, err: r.last_error }, { status: 'sent', attempts: 3, sentAt: '2026-11-21T03:03:00.000Z', err: null });
    assert.equal(sink.to(m.recipient).length, 1);
    assert.equal(sink.rejected.length, 2);
  });

  test('the delay is capped at backoffMaxSeconds', async () => {
    const [m] = (await seed()) as [NotificationMessageRow];
    const c = config({ backoffBaseSeconds: 60, backoffMaxSeconds: 100, maxAttempts: 10 });
    sink.rejectNext(3, { code: 421 });
    await runJob(c);
    clock.set((await row(m.id)).next_attempt_at);
    await runJob(c);
    const second = await row(m.id);
    assert.equal(Date.parse(second.next_attempt_at) - clock.now().getTime(), 100_000, 'min(120, 100)');
  });

  test('after maxAttempts a message is dead; an admin retry queues it again (audited) and it is delivered', async () => {
    const [m] = (await seed()) as [NotificationMessageRow];
    const c = config({ maxAttempts: 3 });
    sink.rejectNext(3, { code: 452 });
    for (let i = 0; i < 3; i++) {
      await runJob(c);
      const r = await row(m.id);
      if (r.status === 'pending') clock.set(r.next_attempt_at);
    }
    let r = await row(m.id);
    assert.deepEqual({ status: r.status, attempts: r.attempts }, { status: 'dead', attempts: 3 });
    assert.match(r.last_error ?? '', /452/);
    clock.advance(86_400_000);
    assert.equal((await runJob(c)).due, 0, 'dead letters are not retried by themselves');

    const dead = await listOutboxMessages({ sa, clock, config: c }, { status: 'dead', operatorId: `op_d${n}` });
    assert.deepEqual(
      dead.items.map((x) => x.id),
      [m.id],
    );
    const detail = await getOutboxMessage({ sa, clock, config: c }, m.id);
    assert.ok(detail.preview?.subject.includes('ACME認証情報'), 'the admin sees the rendered subject');
    assert.ok(detail.preview?.body.includes(`kid_${n}`));

    const retried = await retryOutboxMessage({ sa, clock, config: c }, m.id, { kind: 'admin', name: 'alice' });
    assert.deepEqual({ status: retried.status, attempts: retried.attempts, next: retried.nextAttemptAt, err: retried.lastError }, { status: 'pending', attempts: 0, next: clock.now().toISOString(), err: null });
    const audit = await sa.repos.listAudit('notification-message', m.id);
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.action, 'notification.retried');
    assert.equal(audit[0]!.actor, 'admin:alice');
    await assert.rejects(retryOutboxMessage({ sa, clock, config: c }, m.id, { kind: 'admin', name: 'alice' }), (e: Error & { kind?: string }) => e.kind === 'conflict');

    assert.equal((await runJob(c)).sent, 1);
    r = await row(m.id);
    assert.deepEqual({ status: r.status, attempts: r.attempts }, { status: 'sent', attempts: 1 });
    assert.equal(sink.to(m.recipient).length, 1);
  });

  test('a permanent 5xx refusal of the recipient dead-letters at once; the other messages of the run still go', async () => {
    const [bad] = (await seed()) as [NotificationMessageRow];
    clock.advance(1000); // oldest first: `bad` is sent first
    const [good] = (await seed()) as [NotificationMessageRow];
    sink.rejectNext(1, { code: 550, stage: 'rcpt' });
    const report = await runJob(config());
    assert.deepEqual({ sent: report.sent, dead: report.dead }, { sent: 1, dead: 1 });
    const r = await row(bad.id);
    assert.deepEqual({ status: r.status, attempts: r.attempts }, { status: 'dead', attempts: 1 });
    assert.match(r.last_error ?? '', /550/);
    assert.equal((await row(good.id)).status, 'sent');
  });

  test('an empty smtp.host sends nothing and says so; messages stay pending', async () => {
    const [m] = (await seed()) as [NotificationMessageRow];
    const report = await runJob(config({}, { host: '' }));
    assert.match(report.skipped ?? '', /smtp\.host is empty/);
    assert.equal(report.due, 0);
    assert.equal((await row(m.id)).status, 'pending');
    assert.equal(sink.messages.length, 0);
  });

  test('an unreachable relay ends the run after the first failure (transport failure), counting one attempt', async () => {
    const closed = await SmtpSink.start();
    const port = closed.port;
    await closed.close();
    const [a] = (await seed()) as [NotificationMessageRow];
    clock.advance(1000);
    const [b] = (await seed()) as [NotificationMessageRow];
    const report = await runJob(config({}, { ...sink.smtpConfig(), port }));
    assert.deepEqual({ due: report.due, retrying: report.retrying }, { due: 2, retrying: 1 });
    assert.match(report.stopped ?? '', /transport failure/);
    const first = await row(a.id);
    assert.equal(first.attempts, 1);
    assert.match(first.last_error ?? '', /ECONNECTION|ECONNREFUSED|ESOCKET/);
    const second = await row(b.id);
    assert.deepEqual({ attempts: second.attempts, status: second.status, next: second.next_attempt_at }, { attempts: 0, status: 'pending', next: b.next_attempt_at }, 'not tried: left due for the next run');
  });

  test('SMTP AUTH with the password from passwordFile; the password appears in no log line and no stored error', async () => {
    log.length = 0;
    const file = join(dir, 'smtp-password');
    writeFileSync(file, `wrong-${PASSWORD}\n`);
    const c = config({}, authSink.smtpConfig({ user: 'shomei', passwordFile: file }));
    const [m] = (await seed()) as [NotificationMessageRow];
    const failed = await runJob(c);
    assert.equal(failed.retrying, 1);
    assert.match(failed.stopped ?? '', /EAUTH/);
    const r = await row(m.id);
    assert.match(r.last_error ?? '', /535/);
    assert.deepEqual(authSink.authAttempts, [{ user: 'shomei', ok: false }]);

    writeFileSync(file, `${PASSWORD}\n`);
    clock.set(r.next_attempt_at);
    assert.equal((await runJob(c)).sent, 1);
    assert.deepEqual(authSink.authAttempts.at(-1), { user: 'shomei', ok: true });
    assert.equal(authSink.to(m.recipient).length, 1);

    assert.ok(log.length > 0 && log.some((l) => l.includes('notice sent')), 'the job logged');
    for (const line of log) assert.ok(!line.includes(PASSWORD), `password leaked into the log: ${line}`);
    for (const x of await sa.repos.listNotificationMessages({ limit: 1000 })) assert.ok(!(x.last_error ?? '').includes(PASSWORD));

    const missing = await runJob(config({}, authSink.smtpConfig({ user: 'shomei', passwordFile: join(dir, 'nope') })));
    assert.equal(missing.due, 0, 'nothing due now');
    await seed();
    const unreadable = await runJob(config({}, authSink.smtpConfig({ user: 'shomei', passwordFile: join(dir, 'nope') })));
    assert.match(unreadable.skipped ?? '', /cannot read notifications\.smtp\.passwordFile .*ENOENT/);
  });

  test('two workers on the same due messages (past the lease) send each message once: claims are compare-and-set', async () => {
    const seeded = [...(await seed()), ...(await seed()), ...(await seed())];
    const c = config();
    const [r1, r2] = await Promise.all([deliverDueMessages({ sa, clock, logger, config: c }), deliverDueMessages({ sa, clock, logger, config: c })]);
    assert.equal(r1.sent + r2.sent, 3);
    assert.equal(r1.lost + r2.lost, r1.due + r2.due - 3);
    for (const m of seeded) assert.equal(sink.to(m.recipient).length, 1, `${m.recipient} got one message`);
  });
});
