import { ShomeiError } from '../core/errors.js';
import { randomId } from '../core/ids.js';
import type { Repositories, SubscriberRow } from '../sa/index.js';
import { checkEmails, checkText } from './contacts.js';
import { actorString, decodeCursor, encodeCursor, type Actor, type Page, type RegistryDeps } from './types.js';

export interface SubscriberView {
  id: string;
  operatorId: string;
  name: string;
  emails: string[];
  phone: string | null;
  externalRef: string | null;
  createdAt: string;
  updatedAt: string;
}

export function subscriberView(r: SubscriberRow): SubscriberView {
  return {
    id: r.id,
    operatorId: r.operator_id,
    name: r.name,
    emails: JSON.parse(r.emails) as string[],
    phone: r.phone,
    externalRef: r.external_ref,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/**
 * The subscriber if `operatorId` manages it (undefined = an admin sees all).
 * Another operator's subscriber is simply not found — never "forbidden" — so
 * ids cannot be probed across operators.
 */
export async function loadSubscriber(tx: Repositories, id: string, operatorId: string | undefined): Promise<SubscriberRow> {
  const row = await tx.getSubscriber(id);
  if (!row || (operatorId !== undefined && row.operator_id !== operatorId)) throw new ShomeiError('notFound', 'No such subscriber');
  return row;
}

export interface SubscriberInput {
  name?: unknown;
  emails?: unknown;
  phone?: unknown;
  externalRef?: unknown;
}

/** AT 4 / AT 7: a subscriber exists only through an operator, which relays the CA's notices to the e-mails given. */
export async function createSubscriber(d: RegistryDeps, operatorId: string, input: SubscriberInput, actor: Actor): Promise<SubscriberView> {
  const name = checkText(input.name, 'name') as string;
  const emails = checkEmails(input.emails, 'emails');
  const phone = checkText(input.phone, 'phone', { max: 50, optional: true });
  const externalRef = checkText(input.externalRef, 'externalRef', { max: 100, optional: true });
  const nowIso = d.clock.now().toISOString();
  const row: SubscriberRow = {
    id: `sub_${randomId(9)}`,
    operator_id: operatorId,
    name,
    emails: JSON.stringify(emails),
    phone,
    external_ref: externalRef,
    created_at: nowIso,
    updated_at: nowIso,
  };
  await d.sa.transaction(async (tx) => {
    await tx.insertSubscriber(row);
    await tx.appendAudit({ at: nowIso, actor: actorString(actor), action: 'subscriber.created', objectType: 'subscriber', objectId: row.id, details: { after: subscriberView(row) } });
  });
  return subscriberView(row);
}

export async function updateSubscriber(d: RegistryDeps, operatorId: string | undefined, id: string, input: SubscriberInput, actor: Actor): Promise<SubscriberView> {
  const patch: Parameters<Repositories['updateSubscriber']>[1] = {};
  if (input.name !== undefined) patch.name = checkText(input.name, 'name') as string;
  if (input.emails !== undefined) patch.emails = JSON.stringify(checkEmails(input.emails, 'emails'));
  if (input.phone !== undefined) patch.phone = checkText(input.phone, 'phone', { max: 50, optional: true });
  if (input.externalRef !== undefined) patch.external_ref = checkText(input.externalRef, 'externalRef', { max: 100, optional: true });
  if (Object.keys(patch).length === 0) throw new ShomeiError('malformed', 'Nothing to update');
  const nowIso = d.clock.now().toISOString();
  return d.sa.transaction(async (tx) => {
    const before = await loadSubscriber(tx, id, operatorId);
    await tx.updateSubscriber(id, patch, nowIso);
    const after = (await tx.getSubscriber(id)) as SubscriberRow;
    await tx.appendAudit({ at: nowIso, actor: actorString(actor), action: 'subscriber.updated', objectType: 'subscriber', objectId: id, details: { before: subscriberView(before), after: subscriberView(after) } });
    return subscriberView(after);
  });
}

export async function getSubscriber(d: RegistryDeps, operatorId: string | undefined, id: string): Promise<SubscriberView> {
  return subscriberView(await loadSubscriber(d.sa.repos, id, operatorId));
}

export async function listSubscribers(d: RegistryDeps, operatorId: string | undefined, q: { cursor?: string | undefined; limit?: number | undefined }): Promise<Page<SubscriberView>> {
  const limit = q.limit ?? 100;
  const c = decodeCursor(q.cursor, 2);
  const after = c ? { createdAt: c[0] as string, id: c[1] as string } : undefined;
  const rows = await d.sa.repos.listSubscribers({ operatorId, after, limit: limit + 1 });
  const items = rows.slice(0, limit).map(subscriberView);
  const last = rows.length > limit ? items[items.length - 1] : undefined;
  return { items, next: last ? encodeCursor([last.createdAt, last.id]) : null };
}
