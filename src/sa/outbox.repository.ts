import type { Executor } from './executor.js';
import type { NotificationEventRow, NotificationMessageRow, NotificationMessageStatus, OperatorRow, SubscriberRow } from './schema.js';

/** The notification outbox (SPEC §10): one row per e-mail, written with its event. */

export async function insertNotificationMessages(db: Executor, rows: NotificationMessageRow[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('notification_messages').values(rows).execute();
}

export async function getNotificationEvent(db: Executor, id: string): Promise<NotificationEventRow | undefined> {
  return db.selectFrom('notification_events').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function getNotificationMessage(db: Executor, id: string): Promise<NotificationMessageRow | undefined> {
  return db.selectFrom('notification_messages').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listNotificationMessagesOfEvent(db: Executor, eventId: string): Promise<NotificationMessageRow[]> {
  return db.selectFrom('notification_messages').selectAll().where('event_id', '=', eventId).orderBy('id').execute();
}

/** Operators that receive broadcasts (maintenance, policy documents): every one still active. */
export async function listActiveOperators(db: Executor): Promise<OperatorRow[]> {
  return db.selectFrom('operators').selectAll().where('status', '=', 'active').orderBy('created_at').orderBy('id').execute();
}

/**
 * AR 18 direct notices: the subscribers of operator `operatorId` that still
 * have a usage FQDN in force or applied for under it (as managing operator,
 * or as the subscriber's own operator).
 */
export async function listSubscribersWithLiveUsage(db: Executor, operatorId: string): Promise<SubscriberRow[]> {
  return db
    .selectFrom('subscribers as s')
    .selectAll('s')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('usage_fqdns as u')
          .select('u.id')
          .whereRef('u.subscriber_id', '=', 's.id')
          .where('u.status', 'in', ['applied', 'active'])
          .where((w) => w.or([w('u.operator_id', '=', operatorId), w('s.operator_id', '=', operatorId)])),
      ),
    )
    .orderBy('s.created_at')
    .orderBy('s.id')
    .execute();
}

/** Pending messages whose time has come, oldest first. */
export async function listDueNotificationMessages(db: Executor, nowIso: string, limit: number): Promise<NotificationMessageRow[]> {
  return db
    .selectFrom('notification_messages')
    .selectAll()
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', nowIso)
    .orderBy('next_attempt_at')
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** What a delivery worker read; its writes only land if the row is still exactly so (compare-and-set). */
export interface MessageExpectation {
  attempts: number;
  nextAttemptAt: string;
}

/**
 * Claim a due message for one send: push its next attempt to `untilIso` if it
 * is still pending as read. A second worker (past a lost lease) then finds it
 * not due, and a worker that dies mid-send leaves it to be retried after `untilIso`.
 */
export async function claimNotificationMessage(db: Executor, id: string, expect: MessageExpectation, untilIso: string, nowIso: string): Promise<boolean> {
  const r = await db
    .updateTable('notification_messages')
    .set({ next_attempt_at: untilIso, updated_at: nowIso })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('attempts', '=', expect.attempts)
    .where('next_attempt_at', '=', expect.nextAttemptAt)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Record the outcome of one send; false when the row moved meanwhile (another worker, an admin). */
export async function recordNotificationAttempt(
  db: Executor,
  id: string,
  expect: { attempts: number; claimedUntil: string },
  outcome:
    | { status: 'sent'; subject: string; smtpMessageId: string | null; nowIso: string }
    | { status: 'pending' | 'dead'; error: string; nextAttemptAt: string; nowIso: string },
): Promise<boolean> {
  const base = db
    .updateTable('notification_messages')
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('attempts', '=', expect.attempts)
    .where('next_attempt_at', '=', expect.claimedUntil);
  const set =
    outcome.status === 'sent'
      ? { status: 'sent' as const, attempts: expect.attempts + 1, subject: outcome.subject, smtp_message_id: outcome.smtpMessageId, sent_at: outcome.nowIso, last_error: null, updated_at: outcome.nowIso }
      : { status: outcome.status, attempts: expect.attempts + 1, last_error: outcome.error, next_attempt_at: outcome.nextAttemptAt, updated_at: outcome.nowIso };
  const r = await base.set(set).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Admin retry: a dead message back to pending with its attempts reset; false unless it was dead. */
export async function requeueDeadNotificationMessage(db: Executor, id: string, nowIso: string): Promise<boolean> {
  const r = await db
    .updateTable('notification_messages')
    .set({ status: 'pending', attempts: 0, next_attempt_at: nowIso, last_error: null, updated_at: nowIso })
    .where('id', '=', id)
    .where('status', '=', 'dead')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export interface NotificationMessageFilter {
  status?: NotificationMessageStatus | undefined;
  kind?: string | undefined;
  operatorId?: string | undefined;
  /** Newest first: rows strictly before this (created_at, id). */
  before?: { createdAt: string; id: string } | undefined;
  limit: number;
}

/** A message with what its event says about whom it concerns. */
export type NotificationMessageListRow = NotificationMessageRow & { operator_id: string | null; subscriber_id: string | null; subject_type: string; subject_id: string };

/** Messages for CA staff, newest first, filtered by status, kind and the event's operator. */
export async function listNotificationMessages(db: Executor, f: NotificationMessageFilter): Promise<NotificationMessageListRow[]> {
  let q = db
    .selectFrom('notification_messages as m')
    .innerJoin('notification_events as e', 'e.id', 'm.event_id')
    .selectAll('m')
    .select(['e.operator_id', 'e.subscriber_id', 'e.subject_type', 'e.subject_id']);
  if (f.status !== undefined) q = q.where('m.status', '=', f.status);
  if (f.kind !== undefined) q = q.where('m.kind', '=', f.kind);
  if (f.operatorId !== undefined) q = q.where('e.operator_id', '=', f.operatorId);
  if (f.before !== undefined) {
    const b = f.before;
    q = q.where((eb) => eb.or([eb('m.created_at', '<', b.createdAt), eb.and([eb('m.created_at', '=', b.createdAt), eb('m.id', '<', b.id)])]));
  }
  return q.orderBy('m.created_at', 'desc').orderBy('m.id', 'desc').limit(f.limit).execute();
}
