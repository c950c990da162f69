import { randomId } from '../core/ids.js';
import { enqueueNotificationMessages, notificationPolicy } from '../notify/outbox.js';
import type { NotificationPolicy } from '../notify/recipients.js';
import type { Repositories } from '../sa/index.js';

/**
 * Events the CA notifies (SPEC §10). Stored in the same transaction as the
 * change they report; delivery (e-mail via the operator, AR 11) reads them.
 */
export const NOTIFICATION_KINDS = [
  'operator.designated',
  'operator.api-key-issued',
  'operator.api-key-revoked',
  'application.accepted',
  'application.refused',
  'credential.issued',
  'credential.revoked',
  'credential.compromised',
  'usage-fqdn.started',
  'usage-fqdn.continued',
  'usage-fqdn.termination-filed',
  'usage-fqdn.termination-withdrawn',
  'usage-fqdn.continuation-changed',
  'usage-fqdn.ended',
  'certificate.issued',
  'certificate.revoked',
  // Governance (SPEC §8, §10; issue 5)
  'usage-fqdn.ending-soon',
  'operator.correction-notice',
  'operator.correction-resolved',
  'operator.suspension-started',
  'operator.suspension-ended',
  'operator.immediate-suspension',
  'operator.termination-scheduled',
  'operator.termination-effective',
  'operator.handover-demand',
  'operator.handover-received',
  'maintenance.announced',
  'maintenance.cancelled',
  'policy-document.published',
] as const;

export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * Store a notification event and queue its e-mails (the outbox, SPEC §10) in
 * the caller's transaction: the managing operator's contacts (AR 11), every
 * active operator for events with no operator, and subscribers directly where
 * AR 18 allows — see src/notify/recipients.ts. `policy` defaults to the
 * installed `config.notifications` (src/notify/outbox.ts). Returns the event id.
 */
export async function recordNotification(
  tx: Repositories,
  e: {
    kind: NotificationKind;
    operatorId: string | null;
    subscriberId?: string | null;
    subjectType: string;
    subjectId: string;
    payload: Record<string, unknown>;
    atIso: string;
  },
  policy: NotificationPolicy = notificationPolicy(),
): Promise<string> {
  const id = `ev_${randomId(12)}`;
  await tx.insertNotificationEvent({
    id,
    kind: e.kind,
    operator_id: e.operatorId,
    subscriber_id: e.subscriberId ?? null,
    subject_type: e.subjectType,
    subject_id: e.subjectId,
    payload: JSON.stringify(e.payload),
    created_at: e.atIso,
  });
  await enqueueNotificationMessages(tx, { eventId: id, kind: e.kind, operatorId: e.operatorId, subscriberId: e.subscriberId ?? null, payload: e.payload, atIso: e.atIso }, policy);
  return id;
}
