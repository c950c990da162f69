import { ShomeiError } from '../core/errors.js';
import type { Clock } from '../core/clock.js';
import type { Config } from '../config/schema.js';
import { NOTIFICATION_KINDS } from '../registry/notifications.js';
import { actorString, decodeCursor, encodeCursor, type Actor, type Page } from '../registry/types.js';
import type { NotificationMessageStatus, Repositories, StorageAuthority } from '../sa/index.js';
import { composeNotice } from './compose.js';

type NotificationMessageListRow = Awaited<ReturnType<Repositories['listNotificationMessages']>>[number];

/** CA staff's view of the outbox (SPEC §10): list, inspect with a rendered preview, retry dead letters. */

export interface OutboxDeps {
  sa: StorageAuthority;
  clock: Clock;
  config: Pick<Config, 'notifications' | 'timeZone'>;
}

export const MESSAGE_STATUSES = ['pending', 'sent', 'dead'] as const satisfies readonly NotificationMessageStatus[];

export interface NotificationMessageView {
  id: string;
  eventId: string;
  kind: string;
  recipient: string;
  recipientRole: string;
  locale: string;
  status: NotificationMessageStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  subject: string | null;
  smtpMessageId: string | null;
  operatorId: string | null;
  subscriberId: string | null;
  subjectType: string;
  subjectId: string;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
}

export interface NotificationMessageDetail extends NotificationMessageView {
  /** The notice as it would be sent now (names as they are now). */
  preview: { subject: string; body: string } | null;
  /** Why there is no preview. */
  previewError: string | null;
}

function view(r: NotificationMessageListRow): NotificationMessageView {
  return {
    id: r.id,
    eventId: r.event_id,
    kind: r.kind,
    recipient: r.recipient,
    recipientRole: r.recipient_role,
    locale: r.locale,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    subject: r.subject,
    smtpMessageId: r.smtp_message_id,
    operatorId: r.operator_id,
    subscriberId: r.subscriber_id,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    sentAt: r.sent_at,
  };
}

export interface MessageQuery {
  status?: string | undefined;
  kind?: string | undefined;
  operatorId?: string | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
}

/** Messages, newest first, cursor-paged. */
export async function listOutboxMessages(d: OutboxDeps, q: MessageQuery): Promise<Page<NotificationMessageView>> {
  if (q.status !== undefined && !(MESSAGE_STATUSES as readonly string[]).includes(q.status)) throw new ShomeiError('malformed', `status must be one of ${MESSAGE_STATUSES.join(', ')}`);
  if (q.kind !== undefined && !(NOTIFICATION_KINDS as readonly string[]).includes(q.kind)) throw new ShomeiError('malformed', 'kind is not a notification kind');
  const limit = q.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new ShomeiError('malformed', 'limit must be 1–500');
  const c = decodeCursor(q.cursor, 2);
  const rows = await d.sa.repos.listNotificationMessages({
    status: q.status as NotificationMessageStatus | undefined,
    kind: q.kind,
    operatorId: q.operatorId,
    before: c ? { createdAt: c[0] as string, id: c[1] as string } : undefined,
    limit: limit + 1,
  });
  const items = rows.slice(0, limit).map(view);
  const last = rows.length > limit ? items[items.length - 1] : undefined;
  return { items, next: last ? encodeCursor([last.createdAt, last.id]) : null };
}

async function load(d: OutboxDeps, id: string): Promise<NotificationMessageListRow> {
  const m = await d.sa.repos.getNotificationMessage(id);
  const ev = m === undefined ? undefined : await d.sa.repos.getNotificationEvent(m.event_id);
  if (m === undefined) throw new ShomeiError('notFound', 'No such notification message');
  return { ...m, operator_id: ev?.operator_id ?? null, subscriber_id: ev?.subscriber_id ?? null, subject_type: ev?.subject_type ?? '', subject_id: ev?.subject_id ?? '' };
}

/** One message with the subject and body it renders to. */
export async function getOutboxMessage(d: OutboxDeps, id: string): Promise<NotificationMessageDetail> {
  const row = await load(d, id);
  try {
    const preview = await composeNotice(d.sa.repos, row, { timeZone: d.config.timeZone, from: d.config.notifications.from });
    return { ...view(row), preview, previewError: null };
  } catch (e) {
    return { ...view(row), preview: null, previewError: (e as Error).message };
  }
}

/** A dead letter back to the queue: pending, attempts reset, due now; audited. Anything but a dead message → conflict. */
export async function retryOutboxMessage(d: OutboxDeps, id: string, actor: Actor): Promise<NotificationMessageView> {
  const before = await load(d, id);
  const nowIso = d.clock.now().toISOString();
  await d.sa.transaction(async (tx) => {
    if (!(await tx.requeueDeadNotificationMessage(id, nowIso))) {
      const status = (await tx.getNotificationMessage(id))?.status ?? 'gone';
      throw new ShomeiError('conflict', `Only dead messages can be retried; ${id} is ${status}`);
    }
    await tx.appendAudit({
      at: nowIso,
      actor: actorString(actor),
      action: 'notification.retried',
      objectType: 'notification-message',
      objectId: id,
      details: { before: { status: before.status, attempts: before.attempts, lastError: before.last_error }, after: { status: 'pending', attempts: 0 }, kind: before.kind, event: before.event_id },
    });
  });
  return view(await load(d, id));
}
