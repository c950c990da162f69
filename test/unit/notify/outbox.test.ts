import { after, afterEach, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { installNotificationPolicy, DEFAULT_NOTIFICATION_POLICY } from '../../../src/notify/outbox.js';
import type { NotificationPolicy } from '../../../src/notify/recipients.js';
import { recordNotification, type NotificationKind } from '../../../src/registry/notifications.js';
import { openDatabase, StorageAuthority, type NotificationMessageRow, type OperatorRow } from '../../../src/sa/index.js';
import { freshDatabaseUrl, testDbKind } from '../../support/database.js';

const AT = '2026-11-21T03:00:00.000Z';
const POLICY: NotificationPolicy = { directSubscriberNotices: true, defaultLocale: 'ja' };

describe(`notification outbox: enqueue and recipients (SPEC §10, AR 11, AR 18) on ${testDbKind()}`, () => {
  let sa: StorageAuthority;
  let cleanup: () => Promise<void>;
  let n = 0;
  const uid = (p: string) => `${p}_${++n}t${Date.now().toString(36)}`;

  before(async () => {
    const db = await freshDatabaseUrl();
    cleanup = db.cleanup;
    sa = new StorageAuthority(openDatabase(db.url));
    await sa.migrate();
  });
  after(async () => {
    await sa.close();
    await cleanup();
  });
  afterEach(() => installNotificationPolicy(DEFAULT_NOTIFICATION_POLICY));

  async function operator(contacts: { email: string; locale?: string; name?: string }[], o: Partial<OperatorRow> = {}): Promise<string> {
    const id = uid('op');
    await sa.repos.insertOperator({
      id,
      name: `Operator ${id}`,
      representative: 'Rep',
      address: null,
      contacts: JSON.stringify(contacts),
      acme_handling: 1,
      domain_designated: 0,
      ca_desk: 0,
      status: 'active',
      designated_at: AT,
      created_at: AT,
      updated_at: AT,
      ...o,
    });
    return id;
  }

  async function subscriber(operatorId: string, emails: string[], usage: ('applied' | 'active' | 'ended')[] = []): Promise<string> {
    const id = uid('sub');
    await sa.repos.insertSubscriber({ id, operator_id: operatorId, name: `Subscriber ${id}`, emails: JSON.stringify(emails), phone: null, external_ref: null, created_at: AT, updated_at: AT });
    for (const status of usage) {
      await sa.repos.insertUsageFqdn({
        id: uid('fq'),
        subscriber_id: id,
        operator_id: operatorId,
        fqdn: `${uid('h')}.example.test`,
        status,
        period: '1y',
        continuation_period: '1y',
        applied_at: AT,
        start_date: status === 'applied' ? null : '2026-11-01',
        expiry_date: status === 'applied' ? null : '2027-11-30',
        termination_notice_at: null,
        termination_notice_by: null,
        ended_on: status === 'ended' ? '2026-11-20' : null,
        end_reason: status === 'ended' ? 'expired' : null,
        updated_at: AT,
        ending_soon_notified_for: null,
      });
    }
    return id;
  }

  async function record(kind: NotificationKind, operatorId: string | null, o: { subscriberId?: string; payload?: Record<string, unknown>; policy?: NotificationPolicy } = {}): Promise<NotificationMessageRow[]> {
    const eventId = await sa.transaction((tx) =>
      recordNotification(tx, { kind, operatorId, subscriberId: o.subscriberId ?? null, subjectType: 'test', subjectId: 'x', payload: o.payload ?? {}, atIso: AT }, o.policy ?? POLICY),
    );
    return sa.repos.listNotificationMessagesOfEvent(eventId);
  }

  const recipients = (rows: NotificationMessageRow[]) => rows.map((r) => `${r.recipient}/${r.recipient_role}/${r.locale}`).sort();

  test('messages are written in the transaction of the event: a rolled-back change leaves neither event nor message', async () => {
    const op = await operator([{ email: 'rollback@op.test' }]);
    await assert.rejects(
      sa.transaction(async (tx) => {
        await recordNotification(tx, { kind: 'operator.api-key-issued', operatorId: op, subjectType: 'operator-api-key', subjectId: 'k', payload: { keyId: 'k' }, atIso: AT }, POLICY);
        throw new Error('the change fails after the event was recorded');
      }),
      /the change fails/,
    );
    assert.equal((await sa.repos.listNotificationEvents({ operatorId: op })).length, 0);
    assert.equal((await sa.repos.listNotificationMessages({ operatorId: op, limit: 10 })).length, 0);

    const rows = await record('operator.api-key-issued', op, { payload: { keyId: 'k' } });
    assert.equal(rows.length, 1);
    const [m] = rows as [NotificationMessageRow];
    assert.deepEqual(
      { recipient: m.recipient, status: m.status, attempts: m.attempts, next: m.next_attempt_at, kind: m.kind, created: m.created_at, subject: m.subject, sent: m.sent_at },
      { recipient: 'rollback@op.test', status: 'pending', attempts: 0, next: AT, kind: 'operator.api-key-issued', created: AT, subject: null, sent: null },
    );
  });

  test('AR 11: every contact of the managing operator, each in its own language (default from the policy)', async () => {
    const op = await operator([{ email: 'Desk@Op.test', name: 'Desk' }, { email: 'en-tech@op.test', locale: 'en' }, { email: 'ja-billing@op.test', locale: 'ja' }]);
    const sub = await subscriber(op, ['customer@sub.test'], ['active']);
    assert.deepEqual(recipients(await record('credential.issued', op, { subscriberId: sub, payload: { kid: 'k1' } })), [
      'desk@op.test/operator/ja',
      'en-tech@op.test/operator/en',
      'ja-billing@op.test/operator/ja',
    ]);
    assert.deepEqual(recipients(await record('credential.issued', op, { subscriberId: sub, policy: { ...POLICY, defaultLocale: 'en' } })), [
      'desk@op.test/operator/en',
      'en-tech@op.test/operator/en',
      'ja-billing@op.test/operator/ja',
    ]);
  });

  test("the CA's own reseller desk is addressed as 'ca'", async () => {
    const desk = await operator([{ email: 'desk@ca.test' }], { ca_desk: 1 });
    assert.deepEqual(recipients(await record('operator.handover-received', desk, { payload: { fromOperatorName: 'Gone' } })), ['desk@ca.test/ca/ja']);
  });

  test('events without an operator (maintenance, policy documents) go to every active operator, and only those', async () => {
    const before = new Set((await sa.repos.listActiveOperators()).map((o) => o.id));
    const a = await operator([{ email: 'a@bcast.test' }]);
    const b = await operator([{ email: 'b1@bcast.test' }, { email: 'b2@bcast.test', locale: 'en' }]);
    await operator([{ email: 'gone@bcast.test' }], { status: 'terminated' });
    const rows = await record('maintenance.announced', null, { payload: { windowId: 'mw' } });
    const mine = rows.filter((r) => r.recipient.endsWith('@bcast.test'));
    assert.deepEqual(recipients(mine), ['a@bcast.test/operator/ja', 'b1@bcast.test/operator/ja', 'b2@bcast.test/operator/en']);
    assert.ok(before.size + 2 === (await sa.repos.listActiveOperators()).length && [a, b].every((x) => !before.has(x)));
    assert.equal(rows.filter((r) => r.recipient === 'gone@bcast.test').length, 0, 'a terminated operator gets no broadcast');
  });

  for (const kind of ['operator.suspension-started', 'operator.suspension-ended', 'operator.immediate-suspension', 'operator.termination-scheduled', 'operator.termination-effective'] as const) {
    test(`AR 18: ${kind} also goes directly to each subscriber with a usage FQDN applied for or active`, async () => {
      const op = await operator([{ email: `ops-${kind}@op.test` }]);
      const other = await operator([{ email: `other-${kind}@op.test` }]);
      await subscriber(op, [`applied-${kind}@sub.test`], ['applied']);
      await subscriber(op, [`active-${kind}@sub.test`, `second-${kind}@sub.test`], ['active', 'ended']);
      await subscriber(op, [`ended-${kind}@sub.test`], ['ended']);
      await subscriber(op, [`none-${kind}@sub.test`]);
      await subscriber(other, [`elsewhere-${kind}@sub.test`], ['active']);
      assert.deepEqual(recipients(await record(kind, op, { payload: { operatorName: 'X' } })), [
        `active-${kind}@sub.test/subscriber/ja`,
        `applied-${kind}@sub.test/subscriber/ja`,
        `ops-${kind}@op.test/operator/ja`,
        `second-${kind}@sub.test/subscriber/ja`,
      ]);
      assert.deepEqual(recipients(await record(kind, op, { payload: { operatorName: 'X' }, policy: { ...POLICY, directSubscriberNotices: false } })), [`ops-${kind}@op.test/operator/ja`], 'switched off');
    });
  }

  test('AR 18: a refused application and a usage FQDN ending because of a suspension reach the subscriber too; other subscriber events only the operator', async () => {
    const op = await operator([{ email: 'ops-direct@op.test' }]);
    const sub = await subscriber(op, ['direct@sub.test'], ['active']);
    const both = ['direct@sub.test/subscriber/ja', 'ops-direct@op.test/operator/ja'];
    assert.deepEqual(recipients(await record('application.refused', op, { subscriberId: sub, payload: { fqdn: 'x.test', reasons: [] } })), both);
    assert.deepEqual(recipients(await record('usage-fqdn.ending-soon', op, { subscriberId: sub, payload: { fqdn: 'x.test', reason: 'operator-suspended' } })), both);
    assert.deepEqual(recipients(await record('usage-fqdn.ending-soon', op, { subscriberId: sub, payload: { fqdn: 'x.test', reason: 'termination-notice' } })), ['ops-direct@op.test/operator/ja']);
    assert.deepEqual(recipients(await record('application.accepted', op, { subscriberId: sub, payload: { fqdn: 'x.test' } })), ['ops-direct@op.test/operator/ja']);
    assert.deepEqual(recipients(await record('certificate.revoked', op, { subscriberId: sub, payload: { reason: 1 } })), ['ops-direct@op.test/operator/ja']);
    assert.deepEqual(
      recipients(await record('application.refused', op, { subscriberId: sub, payload: { fqdn: 'x.test' }, policy: { ...POLICY, directSubscriberNotices: false } })),
      ['ops-direct@op.test/operator/ja'],
    );
  });

  test('one message per address and event: duplicates across contacts and subscribers collapse (case-insensitive), the operator role first', async () => {
    const op = await operator([{ email: 'shared@dup.test' }, { email: 'SHARED@dup.test', locale: 'en' }, { email: 'ops@dup.test' }]);
    await subscriber(op, ['Shared@Dup.test', 'own@dup.test'], ['active']);
    await subscriber(op, ['own@dup.test'], ['applied']);
    assert.deepEqual(recipients(await record('operator.termination-scheduled', op, { payload: {} })), ['ops@dup.test/operator/ja', 'own@dup.test/subscriber/ja', 'shared@dup.test/operator/ja']);
  });

  test('an event with no recipient is stored without messages; only broadcast kinds reach every operator', async () => {
    await operator([{ email: 'bystander@op.test' }]);
    // An admin-minted credential of no subscriber has no operator: nobody to tell (and certainly not every operator).
    const unbound = await record('credential.revoked', null, { payload: { kid: 'k' } });
    assert.equal(unbound.length, 0);
    const ghost = await record('credential.issued', 'op_does_not_exist', { payload: { kid: 'k' } });
    assert.equal(ghost.length, 0);
    assert.equal((await sa.repos.listNotificationEvents({ operatorId: 'op_does_not_exist' })).length, 1, 'the event itself is kept');
    const policyDoc = await record('policy-document.published', null, { payload: { kind: 'terms' } });
    assert.ok(policyDoc.some((m) => m.recipient === 'bystander@op.test'));
  });

  test('without an explicit policy, recordNotification uses the installed one (config.notifications)', async () => {
    const op = await operator([{ email: 'ops-installed@op.test' }]);
    await subscriber(op, ['sub-installed@sub.test'], ['active']);
    installNotificationPolicy({ directSubscriberNotices: false, defaultLocale: 'en' });
    const id = await sa.transaction((tx) => recordNotification(tx, { kind: 'operator.suspension-started', operatorId: op, subjectType: 'x', subjectId: 'x', payload: {}, atIso: AT }));
    assert.deepEqual(recipients(await sa.repos.listNotificationMessagesOfEvent(id)), ['ops-installed@op.test/operator/en']);
  });
});
