// The retention job (AR 10, BR 5.5.2) on its own: audit events, notification
// events, delivered outbox messages and used nonces past their periods go;
// everything younger stays; the audit chain still verifies from its new anchor.
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import pino from 'pino';
import { FakeClock } from '../../../src/core/clock.js';
import { JobRunner } from '../../../src/jobs/job-runner.js';
import { retentionJob, yearsBefore, type RetentionJobResult } from '../../../src/jobs/retention-job.js';
import { verifyAuditChain } from '../../../src/records/audit-verify.js';
import { openDatabase, StorageAuthority, type NotificationMessageRow } from '../../../src/sa/index.js';
import { freshDatabaseUrl, testDbKind } from '../../support/database.js';

const DAY = 86_400_000;
const T0 = Date.parse('2026-11-24T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

function message(id: string, eventId: string, status: NotificationMessageRow['status'], createdAt: string, sentAt: string | null): NotificationMessageRow {
  return {
    id,
    event_id: eventId,
    kind: 'certificate.revoked',
    recipient: 'desk@reseller.test',
    recipient_role: 'operator',
    locale: 'en',
    status,
    attempts: status === 'pending' ? 0 : 1,
    next_attempt_at: createdAt,
    last_error: null,
    subject: null,
    smtp_message_id: null,
    created_at: createdAt,
    updated_at: sentAt ?? createdAt,
    sent_at: sentAt,
  };
}

describe(`retention job on ${testDbKind()}`, () => {
  test('purges only what is past its period and keeps the chain verifiable', async () => {
    const fresh = await freshDatabaseUrl();
    const db = openDatabase(fresh.url);
    const sa = new StorageAuthority(db);
    const messageIds = async () => (await db.kysely.selectFrom('notification_messages').select('id').orderBy('id').execute()).map((r) => r.id);
    try {
      await sa.migrate();
      const clock = new FakeClock(iso(T0));
      const config = { records: { retentionYears: 7, sentMessageDays: 400 } };
      const runner = new JobRunner({ sa, clock, logger: pino({ level: 'silent' }), intervalSeconds: 60, leaseSeconds: 60 }, [retentionJob({ sa, clock, config })]);
      const audit = (atMs: number, id: string) => sa.repos.appendAudit({ at: iso(atMs), actor: 'system', action: 'test.event', objectType: 'thing', objectId: id });
      // seq 1–3 old; 4 young; 5 old again (a clock step back): only the prefix 1–3 may go.
      await audit(T0, 'a');
      await audit(T0 + 1000, 'b');
      await audit(T0 + DAY - 1, 'c');
      await audit(T0 + 2 * DAY, 'young');
      await audit(T0 + 1000, 'late-old');

      const now = yearsBefore(new Date(T0), -7).getTime() + DAY; // 7 years and a day after T0
      for (const [id, created] of [['ev_old', T0], ['ev_young', T0 + 2 * DAY]] as const) {
        await sa.repos.insertNotificationEvent({ id, kind: 'certificate.revoked', operator_id: null, subscriber_id: null, subject_type: 'certificate', subject_id: 'x', payload: '{}', created_at: iso(created) });
      }
      await sa.repos.insertNotificationMessages([
        message('m_old_event', 'ev_old', 'dead', iso(T0), null),
        message('m_sent_401', 'ev_young', 'sent', iso(now - 402 * DAY), iso(now - 401 * DAY)),
        message('m_sent_399', 'ev_young', 'sent', iso(now - 400 * DAY), iso(now - 399 * DAY)),
        message('m_dead_old', 'ev_young', 'dead', iso(now - 500 * DAY), null),
        message('m_pending', 'ev_young', 'pending', iso(now - DAY), null),
      ]);
      await sa.repos.recordNonceUses([
        { value: 'n-expired', expiresAt: iso(now - 1000) },
        { value: 'n-live', expiresAt: iso(now + 60_000) },
      ]);

      clock.set(iso(now));
      const out = await runner.run('retention');
      assert.equal(out.ran, true);
      const result = (out as { result: RetentionJobResult }).result;
      assert.deepEqual(result, {
        ran: true,
        auditCutoff: iso(T0 + DAY),
        auditEventsPurged: 3,
        anchorSeq: 3,
        notificationEventsPurged: 1,
        sentMessagesPurged: 1,
        usedNoncesPurged: 1,
      });
      const rows = await sa.repos.listAuditAfter(0, 100);
      assert.deepEqual(rows.map((r) => [r.seq, r.object_id]), [[4, 'young'], [5, 'late-old'], [6, 'audit']]);
      assert.equal(rows[2]?.action, 'audit.purged');
      const chain = await sa.repos.getAuditChain();
      assert.equal(chain?.anchor_seq, 3);
      assert.equal(rows[0]?.prev_hash, chain?.anchor_hash, 'the anchor is the hash of the last purged event');
      const v = await verifyAuditChain(sa.repos);
      assert.deepEqual([v.ok, v.anchorSeq, v.events, v.firstSeq], [true, 3, 3, 4]);

      assert.deepEqual((await sa.repos.listNotificationEvents()).map((e) => e.id), ['ev_young']);
      // Delivered more than 400 days ago, or of a purged event: gone. Younger, or never delivered: kept.
      assert.deepEqual(await messageIds(), ['m_dead_old', 'm_pending', 'm_sent_399']);
      // The live nonce is still used: recording it again records nothing.
      assert.equal((await sa.repos.recordNonceUses([{ value: 'n-live', expiresAt: iso(now + 60_000) }])).size, 0);

      // Within a day it does not run again.
      const again = await runner.run('retention');
      assert.deepEqual((again as { result: RetentionJobResult }).result, { ran: false, nextRunAt: iso(now + DAY) });
    } finally {
      await sa.close();
      await fresh.cleanup();
    }
  });
});
