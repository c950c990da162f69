import { NOTIFICATION_KINDS, type NotificationKind } from '../registry/notifications.js';
import type { NoticeLocale } from '../registry/contacts.js';
import type { NotificationMessageRow, Repositories } from '../sa/index.js';
import type { RecipientRole } from './recipients.js';
import { renderNotification, signatureOf, type RenderedNotice } from './render.js';

/** What rendering a stored message needs from the configuration. */
export interface ComposeSettings {
  /** `config.timeZone`: times in notices are shown in it. */
  timeZone: string;
  /** `notifications.from`: its display name signs the notice. */
  from: string;
}

const KINDS: ReadonlySet<string> = new Set(NOTIFICATION_KINDS);
const ROLES: ReadonlySet<string> = new Set(['operator', 'subscriber', 'ca']);

/**
 * Render a queued message from its event, reading the names it mentions (the
 * event's operator and subscriber) as they are now. Throws a plain Error when
 * the event is gone or of a kind this version cannot render.
 */
export async function composeNotice(repos: Repositories, m: NotificationMessageRow, s: ComposeSettings): Promise<RenderedNotice> {
  const ev = await repos.getNotificationEvent(m.event_id);
  if (ev === undefined) throw new Error(`notification event ${m.event_id} not found`);
  if (!KINDS.has(ev.kind)) throw new Error(`no template for notification kind ${ev.kind}`);
  const op = ev.operator_id === null ? undefined : await repos.getOperator(ev.operator_id);
  const sub = ev.subscriber_id === null ? undefined : await repos.getSubscriber(ev.subscriber_id);
  const payload = JSON.parse(ev.payload) as Record<string, unknown>;
  return renderNotification({
    kind: ev.kind as NotificationKind,
    payload: payload !== null && typeof payload === 'object' ? payload : {},
    locale: (m.locale === 'en' ? 'en' : 'ja') satisfies NoticeLocale,
    role: (ROLES.has(m.recipient_role) ? m.recipient_role : 'operator') as RecipientRole,
    timeZone: s.timeZone,
    operatorName: op?.name ?? null,
    subscriber: sub === undefined ? null : { id: sub.id, name: sub.name },
    subjectId: ev.subject_id,
    eventAt: ev.created_at,
    signature: signatureOf(s.from),
  });
}
