import type { NoticeLocale, OperatorContact } from '../registry/contacts.js';
import type { NotificationKind } from '../registry/notifications.js';
import type { OperatorRow, Repositories, SubscriberRow } from '../sa/index.js';

/**
 * Who receives a notification event (SPEC §10). One function per rule; the
 * outbox writes one message per address `resolveRecipients` returns.
 */

/** The settings recipient rules depend on (`config.notifications`). */
export interface NotificationPolicy {
  /** AR 18: notify an operator's subscribers directly on suspension and termination. */
  directSubscriberNotices: boolean;
  /** Language for recipients without one of their own. */
  defaultLocale: NoticeLocale;
}

/** 'operator' relays to its subscribers (AR 11); 'subscriber' is a direct notice (AR 18); 'ca' is the CA's own reseller desk. */
export type RecipientRole = 'operator' | 'subscriber' | 'ca';

export interface Recipient {
  email: string;
  role: RecipientRole;
  locale: NoticeLocale;
}

/** The event as recorded (what the rules look at). */
export interface EventForRecipients {
  kind: NotificationKind;
  operatorId: string | null;
  subscriberId: string | null;
  payload: Record<string, unknown>;
}

/**
 * AR 18: on suspension and termination the CA may notify the operator's
 * subscribers directly (period, that applications through the operator are
 * not accepted, what happens to certificates in use).
 */
export const OPERATOR_STANDING_KINDS: ReadonlySet<NotificationKind> = new Set<NotificationKind>([
  'operator.suspension-started',
  'operator.suspension-ended',
  'operator.immediate-suspension',
  'operator.termination-scheduled',
  'operator.termination-effective',
]);

function contactsOf(op: OperatorRow): OperatorContact[] {
  try {
    const v = JSON.parse(op.contacts) as unknown;
    return Array.isArray(v) ? (v as OperatorContact[]) : [];
  } catch {
    return [];
  }
}

/**
 * Rule 1 (AR 11): every contact of the operator with an e-mail address, in
 * its own language. The CA's reseller desk is addressed as 'ca'.
 */
export function operatorContactRecipients(op: OperatorRow, policy: NotificationPolicy): Recipient[] {
  const role: RecipientRole = op.ca_desk === 1 ? 'ca' : 'operator';
  return contactsOf(op)
    .filter((c) => typeof c.email === 'string' && c.email !== '')
    .map((c) => ({ email: c.email, role, locale: c.locale ?? policy.defaultLocale }));
}

/** Kinds recorded with operatorId null that are meant for every operator (AT 18, AT 21). */
export const BROADCAST_KINDS: ReadonlySet<NotificationKind> = new Set<NotificationKind>(['maintenance.announced', 'maintenance.cancelled', 'policy-document.published']);

/**
 * Rule 2: broadcasts (maintenance, policy documents, recorded with operatorId
 * null) go to every active operator. Other events without an operator — e.g.
 * about credentials of no subscriber — have no operator recipient.
 */
export async function broadcastRecipients(tx: Repositories, e: EventForRecipients, policy: NotificationPolicy): Promise<Recipient[]> {
  if (e.operatorId !== null || !BROADCAST_KINDS.has(e.kind)) return [];
  return (await tx.listActiveOperators()).flatMap((op) => operatorContactRecipients(op, policy));
}

function subscriberRecipients(s: SubscriberRow, policy: NotificationPolicy): Recipient[] {
  let emails: unknown;
  try {
    emails = JSON.parse(s.emails);
  } catch {
    return [];
  }
  if (!Array.isArray(emails)) return [];
  return emails.filter((e): e is string => typeof e === 'string' && e !== '').map((email) => ({ email, role: 'subscriber' as const, locale: policy.defaultLocale }));
}

/** Rule 3 (AR 18): suspension and termination also go to each subscriber with a usage FQDN applied for or in force under the operator. */
export async function standingNoticeSubscribers(tx: Repositories, e: EventForRecipients, policy: NotificationPolicy): Promise<Recipient[]> {
  if (!policy.directSubscriberNotices || e.operatorId === null || !OPERATOR_STANDING_KINDS.has(e.kind)) return [];
  const moved = e.payload['transferredSubscriberIds'];
  if (e.kind === 'operator.termination-effective' && Array.isArray(moved)) {
    // Recorded after the hand-over: the subscribers now belong to the operator that took over.
    const rows = await Promise.all(moved.filter((id): id is string => typeof id === 'string').map((id) => tx.getSubscriber(id)));
    return rows.flatMap((s) => (s === undefined ? [] : subscriberRecipients(s, policy)));
  }
  return (await tx.listSubscribersWithLiveUsage(e.operatorId)).flatMap((s) => subscriberRecipients(s, policy));
}

/**
 * Rule 4 (AR 18 "applications … are not accepted", "the FQDN restrictions"):
 * events about one subscriber that it hears of directly too — a refused
 * application, and a usage FQDN ending because its operator is suspended.
 */
export function isDirectSubscriberEvent(e: EventForRecipients): boolean {
  if (e.kind === 'application.refused') return true;
  return e.kind === 'usage-fqdn.ending-soon' && e.payload['reason'] === 'operator-suspended';
}

export async function directSubscriberRecipients(tx: Repositories, e: EventForRecipients, policy: NotificationPolicy): Promise<Recipient[]> {
  if (!policy.directSubscriberNotices || e.subscriberId === null || !isDirectSubscriberEvent(e)) return [];
  const s = await tx.getSubscriber(e.subscriberId);
  return s === undefined ? [] : subscriberRecipients(s, policy);
}

/** Rule 5: one message per address and event (case-insensitive); the first rule naming an address decides its role and language. */
export function dedupeRecipients(list: Recipient[]): Recipient[] {
  const seen = new Set<string>();
  const out: Recipient[] = [];
  for (const r of list) {
    const key = r.email.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ ...r, email: key });
  }
  return out;
}

/** Rule 1 applied: the contacts of the event's operator. */
async function managingOperatorRecipients(tx: Repositories, e: EventForRecipients, policy: NotificationPolicy): Promise<Recipient[]> {
  const op = e.operatorId === null ? undefined : await tx.getOperator(e.operatorId);
  return op === undefined ? [] : operatorContactRecipients(op, policy);
}

/** Every recipient of event `e`, read in the caller's transaction. */
export async function resolveRecipients(tx: Repositories, e: EventForRecipients, policy: NotificationPolicy): Promise<Recipient[]> {
  return dedupeRecipients([
    ...(await managingOperatorRecipients(tx, e, policy)),
    ...(await broadcastRecipients(tx, e, policy)),
    ...(await standingNoticeSubscribers(tx, e, policy)),
    ...(await directSubscriberRecipients(tx, e, policy)),
  ]);
}
