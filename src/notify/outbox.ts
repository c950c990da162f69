import { randomId } from '../core/ids.js';
import type { NotificationMessageRow, Repositories } from '../sa/index.js';
import { resolveRecipients, type EventForRecipients, type NotificationPolicy } from './recipients.js';

/**
 * The transactional outbox (SPEC §10): the messages of an event are written
 * in the transaction that records it, so a change that rolls back sends
 * nothing and one that commits is never left unannounced.
 */

/** The schema defaults of `config.notifications`. */
export const DEFAULT_NOTIFICATION_POLICY: NotificationPolicy = Object.freeze({ directSubscriberNotices: true, defaultLocale: 'ja' });

let installed: NotificationPolicy = DEFAULT_NOTIFICATION_POLICY;

/**
 * Set the process-wide policy `recordNotification` uses when its caller names
 * none. The Registry installs `config.notifications` when it is built (the
 * server and every CLI verb build one), so the dozens of call sites that
 * record events need no configuration of their own. One process, one
 * configuration: the last Registry built wins.
 */
export function installNotificationPolicy(p: NotificationPolicy): void {
  installed = Object.freeze({ directSubscriberNotices: p.directSubscriberNotices, defaultLocale: p.defaultLocale });
}

export function notificationPolicy(): NotificationPolicy {
  return installed;
}

export function newMessageId(): string {
  return `nm_${randomId(12)}`;
}

/**
 * Resolve the recipients of event `eventId` and queue one pending message per
 * recipient, due at the event time. Returns the rows written (none when the
 * event has no recipient: the event alone is kept).
 */
export async function enqueueNotificationMessages(
  tx: Repositories,
  e: EventForRecipients & { eventId: string; atIso: string },
  policy: NotificationPolicy = installed,
): Promise<NotificationMessageRow[]> {
  const rows: NotificationMessageRow[] = (await resolveRecipients(tx, e, policy)).map((r) => ({
    id: newMessageId(),
    event_id: e.eventId,
    kind: e.kind,
    recipient: r.email,
    recipient_role: r.role,
    locale: r.locale,
    status: 'pending',
    attempts: 0,
    next_attempt_at: e.atIso,
    last_error: null,
    subject: null,
    smtp_message_id: null,
    created_at: e.atIso,
    updated_at: e.atIso,
    sent_at: null,
  }));
  await tx.insertNotificationMessages(rows);
  return rows;
}
