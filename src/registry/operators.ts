import { ShomeiError } from '../core/errors.js';
import { randomId } from '../core/ids.js';
import { isLocalDate, localDateOf } from '../core/calendar.js';
import type { OperatorRow, Repositories } from '../sa/index.js';
import { checkOperatorContacts, checkText, type OperatorContact } from './contacts.js';
import { newFeeLine } from './fees.js';
import { recordNotification } from './notifications.js';
import { actorString, type Actor, type RegistryDeps } from './types.js';

export interface OperatorView {
  id: string;
  name: string;
  representative: string;
  address: string | null;
  contacts: OperatorContact[];
  acmeHandling: boolean;
  domainDesignated: boolean;
  caDesk: boolean;
  status: OperatorRow['status'];
  designatedAt: string;
  updatedAt: string;
}

export function operatorView(r: OperatorRow): OperatorView {
  return {
    id: r.id,
    name: r.name,
    representative: r.representative,
    address: r.address,
    contacts: JSON.parse(r.contacts) as OperatorContact[],
    acmeHandling: r.acme_handling === 1,
    domainDesignated: r.domain_designated === 1,
    caDesk: r.ca_desk === 1,
    status: r.status,
    designatedAt: r.designated_at,
    updatedAt: r.updated_at,
  };
}

export interface DesignateOperatorInput {
  name?: unknown;
  representative?: unknown;
  address?: unknown;
  contacts?: unknown;
  acmeHandling?: unknown;
  domainDesignated?: unknown;
  caDesk?: unknown;
}

function optionalBool(v: unknown, field: string): boolean | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw new ShomeiError('malformed', `${field} must be true or false`);
  return v;
}

/**
 * AR 2 / supplementary 2–3: designate an operator. The contract fee is booked
 * as a ledger line at once unless the operator is already designated for
 * domain names (waiver); it is never refunded. The CA's own reseller desk
 * (AR 5) is an operator flagged `caDesk`; there is at most one.
 */
export async function designateOperator(d: RegistryDeps, input: DesignateOperatorInput, actor: Actor): Promise<OperatorView> {
  const name = checkText(input.name, 'name') as string;
  const representative = checkText(input.representative, 'representative') as string;
  const address = checkText(input.address, 'address', { max: 500, optional: true });
  const contacts = checkOperatorContacts(input.contacts);
  const acmeHandling = optionalBool(input.acmeHandling, 'acmeHandling') ?? false;
  const domainDesignated = optionalBool(input.domainDesignated, 'domainDesignated') ?? false;
  const caDesk = optionalBool(input.caDesk, 'caDesk') ?? false;
  const now = d.clock.now();
  const nowIso = now.toISOString();
  const row: OperatorRow = {
    id: `op_${randomId(9)}`,
    name,
    representative,
    address,
    contacts: JSON.stringify(contacts),
    acme_handling: acmeHandling ? 1 : 0,
    domain_designated: domainDesignated ? 1 : 0,
    ca_desk: caDesk ? 1 : 0,
    status: 'active',
    designated_at: nowIso,
    created_at: nowIso,
    updated_at: nowIso,
  };
  await d.sa.transaction(async (tx) => {
    if (caDesk && (await tx.getCaDeskOperator())) throw new ShomeiError('conflict', "The CA's own reseller desk already exists");
    await tx.insertOperator(row);
    const waived = domainDesignated || caDesk;
    if (!waived) {
      await tx.insertFeeLine(newFeeLine(d.config, { operatorId: row.id, kind: 'contract', accrualDate: localDateOf(now, d.config.timeZone), nowIso }));
    }
    await tx.appendAudit({
      at: nowIso,
      actor: actorString(actor),
      action: 'operator.designated',
      objectType: 'operator',
      objectId: row.id,
      details: { after: operatorView(row), contractFee: waived ? 'waived' : d.config.fees.contractFee },
    });
    await recordNotification(tx, { kind: 'operator.designated', operatorId: row.id, subjectType: 'operator', subjectId: row.id, payload: { name }, atIso: nowIso });
  });
  return operatorView(row);
}

/** AR 2: the operator reports changes; admins record them. The contract-fee flags do not change past ledger lines. */
export async function updateOperator(d: RegistryDeps, id: string, input: DesignateOperatorInput, actor: Actor): Promise<OperatorView> {
  const patch: Parameters<Repositories['updateOperator']>[1] = {};
  if (input.name !== undefined) patch.name = checkText(input.name, 'name') as string;
  if (input.representative !== undefined) patch.representative = checkText(input.representative, 'representative') as string;
  if (input.address !== undefined) patch.address = checkText(input.address, 'address', { max: 500, optional: true });
  if (input.contacts !== undefined) patch.contacts = JSON.stringify(checkOperatorContacts(input.contacts));
  const acme = optionalBool(input.acmeHandling, 'acmeHandling');
  if (acme !== undefined) patch.acme_handling = acme ? 1 : 0;
  const dd = optionalBool(input.domainDesignated, 'domainDesignated');
  if (dd !== undefined) patch.domain_designated = dd ? 1 : 0;
  if (input.caDesk !== undefined) throw new ShomeiError('malformed', 'caDesk is fixed at designation');
  if (Object.keys(patch).length === 0) throw new ShomeiError('malformed', 'Nothing to update');
  const nowIso = d.clock.now().toISOString();
  return d.sa.transaction(async (tx) => {
    const before = await tx.getOperator(id);
    if (!before) throw new ShomeiError('notFound', 'No such operator');
    await tx.updateOperator(id, patch, nowIso);
    const after = (await tx.getOperator(id)) as OperatorRow;
    await tx.appendAudit({
      at: nowIso,
      actor: actorString(actor),
      action: 'operator.updated',
      objectType: 'operator',
      objectId: id,
      details: { before: operatorView(before), after: operatorView(after) },
    });
    return operatorView(after);
  });
}

export async function getOperator(d: RegistryDeps, id: string): Promise<OperatorView> {
  const r = await d.sa.repos.getOperator(id);
  if (!r) throw new ShomeiError('notFound', 'No such operator');
  return operatorView(r);
}

export async function listOperators(d: RegistryDeps): Promise<OperatorView[]> {
  return (await d.sa.repos.listOperators()).map(operatorView);
}

/** Record a payment received from an operator (SPEC §9); unpaid fees feed AR 16. */
export async function recordPayment(
  d: RegistryDeps,
  operatorId: string,
  input: { amount?: unknown; receivedOn?: unknown; reference?: unknown },
  actor: Actor,
): Promise<{ id: string; amount: number; receivedOn: string; reference: string | null; currency: string }> {
  if (typeof input.amount !== 'number' || !Number.isSafeInteger(input.amount) || input.amount <= 0) {
    throw new ShomeiError('malformed', 'amount must be a positive whole number');
  }
  const receivedOn = input.receivedOn;
  if (!isLocalDate(receivedOn)) throw new ShomeiError('malformed', 'receivedOn must be a date (YYYY-MM-DD)');
  if (receivedOn > localDateOf(d.clock.now(), d.config.timeZone)) throw new ShomeiError('malformed', 'receivedOn lies in the future');
  const reference = checkText(input.reference, 'reference', { max: 200, optional: true });
  const nowIso = d.clock.now().toISOString();
  const id = `pay_${randomId(9)}`;
  await d.sa.transaction(async (tx) => {
    if (!(await tx.getOperator(operatorId))) throw new ShomeiError('notFound', 'No such operator');
    await tx.insertPayment({
      id,
      operator_id: operatorId,
      amount: input.amount as number,
      currency: d.config.fees.currency,
      received_on: receivedOn,
      reference,
      recorded_by: actorString(actor),
      recorded_at: nowIso,
    });
    await tx.appendAudit({ at: nowIso, actor: actorString(actor), action: 'payment.recorded', objectType: 'operator', objectId: operatorId, details: { payment: id, amount: input.amount, receivedOn, reference } });
  });
  return { id, amount: input.amount, receivedOn, reference, currency: d.config.fees.currency };
}
