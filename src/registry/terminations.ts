import { ShomeiError } from '../core/errors.js';
import { randomId } from '../core/ids.js';
import { addLocalDays, isLocalDate, localDateOf, startOfLocalDay } from '../core/calendar.js';
import { isUniqueViolation, type HandoverDemandRow, type OperatorRow, type OperatorTerminationRow, type Repositories } from '../sa/index.js';
import { checkText } from './contacts.js';
import { recordNotification } from './notifications.js';
import { actorString, type Actor, type RegistryDeps } from './types.js';

/**
 * Contract termination and the hand-over demand (AR 19, AT 7; SPEC §8).
 * The admin records a termination with its effective instant; from then on
 * the operator's access ends (operator-standing.ts) and the termination job
 * (transfers.ts) hands its live usage FQDNs, their subscribers and their
 * certificates to the successor or to the CA's own reseller desk.
 */

export interface TerminationView {
  id: string;
  operatorId: string;
  operatorName: string;
  /** ISO instant the contract ends; the operator's API access ends at it. */
  effectiveAt: string;
  /** The local date (CA time zone) of effectiveAt. */
  effectiveDate: string;
  reason: string;
  /** Null: the CA's own reseller desk takes over (AT 7). */
  successorOperatorId: string | null;
  /** Who takes over: the successor, or the CA desk as designated now (settled at the transfer). */
  handoverTo: { id: string; name: string } | null;
  status: OperatorTerminationRow['status'];
  transferredAt: string | null;
  transferredTo: string | null;
  transferSummary: TransferSummary | null;
  createdBy: string;
  createdAt: string;
}

/** What moved at the effective instant. */
export interface TransferSummary {
  transferredTo: string;
  transferredToName: string;
  /** True when the named successor could no longer take over and the CA desk did (AT 7). */
  fellBackToCaDesk: boolean;
  usageFqdns: number;
  subscribers: number;
  certificates: number;
}

export interface HandoverDemandView {
  id: string;
  operatorId: string;
  terminationId: string | null;
  demandedAt: string;
  /** Local date (CA time zone) by which the information is due. */
  deadline: string;
  items: string[];
  status: HandoverDemandRow['status'];
  fulfilledAt: string | null;
  createdBy: string;
}

/** AR 19: what the CA asks for by default — the information needed to take over the brokering. */
export const STANDARD_HANDOVER_ITEMS: readonly string[] = [
  'List of subscribers with their contact details and the operator-side reference of each',
  'Usage FQDNs with their usage periods, start and expiry dates, states and pending termination notices',
  'Certificates in use and the ACME credentials (EAB key ids) issued to each subscriber',
  'Consent records of the subscribers and data subjects (AR 10)',
  'Open matters with subscribers: applications in progress, complaints, requests for revocation or termination',
];

function terminationView(t: OperatorTerminationRow, op: OperatorRow, target: OperatorRow | undefined, timeZone: string): TerminationView {
  return {
    id: t.id,
    operatorId: t.operator_id,
    operatorName: op.name,
    effectiveAt: t.effective_at,
    effectiveDate: localDateOf(new Date(t.effective_at), timeZone),
    reason: t.reason,
    successorOperatorId: t.successor_operator_id,
    handoverTo: target ? { id: target.id, name: target.name } : null,
    status: t.status,
    transferredAt: t.transferred_at,
    transferredTo: t.transferred_to,
    transferSummary: t.transfer_summary === null ? null : (JSON.parse(t.transfer_summary) as TransferSummary),
    createdBy: t.created_by,
    createdAt: t.created_at,
  };
}

export function handoverDemandView(r: HandoverDemandRow): HandoverDemandView {
  return {
    id: r.id,
    operatorId: r.operator_id,
    terminationId: r.termination_id,
    demandedAt: r.demanded_at,
    deadline: r.deadline,
    items: JSON.parse(r.items) as string[],
    status: r.status,
    fulfilledAt: r.fulfilled_at,
    createdBy: r.created_by,
  };
}

/** 10000-01-01T00:00:00Z: instants must have four-digit years. */
const YEAR_10000 = 253402300800000;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * The effective instant from an ISO 8601 instant with a zone (`2027-01-01T00:00:00+09:00`)
 * or a local date (`2027-01-01` = the start of that day in the CA time zone).
 */
export function parseEffectiveAt(value: unknown, timeZone: string): Date {
  if (isLocalDate(value)) return startOfLocalDay(value, timeZone);
  if (typeof value === 'string' && RFC3339.test(value)) {
    const t = Date.parse(value);
    if (!Number.isNaN(t) && t > 0 && t < YEAR_10000) return new Date(t);
  }
  throw new ShomeiError('malformed', 'effectiveAt must be a date (YYYY-MM-DD, the start of that day in the CA time zone) or an instant with its zone (e.g. 2027-01-01T00:00:00+09:00)');
}

/** A termination may take effect today at the earliest (an earlier instant of today = effective at once). */
function checkNotPast(effective: Date, d: RegistryDeps): void {
  const today = localDateOf(d.clock.now(), d.config.timeZone);
  if (effective.getTime() < startOfLocalDay(today, d.config.timeZone).getTime()) {
    throw new ShomeiError('malformed', `effectiveAt lies before today (${today}); a termination cannot take effect in the past`);
  }
}

/** A successor must be another active operator that filed the ACME-edition handling application and is not itself leaving. */
async function checkSuccessor(tx: Repositories, operatorId: string, successorId: string): Promise<OperatorRow> {
  if (successorId === operatorId) throw new ShomeiError('malformed', 'An operator cannot be its own successor');
  const s = await tx.getOperator(successorId);
  if (!s) throw new ShomeiError('malformed', `Successor ${successorId} does not exist`);
  if (s.status !== 'active' || (await tx.getOperatorTermination(s.id))) {
    throw new ShomeiError('conflict', `Successor ${s.name} (${s.id}) is terminated or has a termination on record; choose another successor`);
  }
  if (s.acme_handling !== 1) {
    throw new ShomeiError('conflict', `Successor ${s.name} (${s.id}) has not filed the ACME-edition handling application (supplementary provision 3)`);
  }
  return s;
}

/** AT 7: without a successor the CA's own reseller desk takes over; it must exist, be someone else and be staying. */
async function checkCaDesk(tx: Repositories, operatorId: string): Promise<OperatorRow> {
  const desk = await tx.getCaDeskOperator();
  if (!desk) {
    throw new ShomeiError(
      'conflict',
      "No successor was named and the CA's own reseller desk (AT 7) is not designated; designate it first (`shomei operator designate … --ca-desk`) or name a successor",
    );
  }
  if (desk.id === operatorId) throw new ShomeiError('conflict', "The CA's own reseller desk can only be terminated with a successor named to take over its subscribers");
  if (desk.status !== 'active' || (await tx.getOperatorTermination(desk.id))) {
    throw new ShomeiError('conflict', "The CA's own reseller desk is itself terminated or leaving; name a successor");
  }
  return desk;
}

/**
 * AR 19 / AT 7: terminate an operator's contract. One termination per
 * operator; the target is checked now and again at the transfer.
 */
export async function terminateOperator(
  d: RegistryDeps,
  operatorId: string,
  input: { effectiveAt?: unknown; reason?: unknown; successorOperatorId?: unknown },
  actor: Actor,
): Promise<TerminationView> {
  const effective = parseEffectiveAt(input.effectiveAt, d.config.timeZone);
  checkNotPast(effective, d);
  const reason = checkText(input.reason, 'reason', { max: 1000 }) as string;
  const successorId = input.successorOperatorId;
  if (successorId !== undefined && successorId !== null && typeof successorId !== 'string') throw new ShomeiError('malformed', 'successorOperatorId must be an operator id');
  const nowIso = d.clock.now().toISOString();
  const row: OperatorTerminationRow = {
    id: `term_${randomId(9)}`,
    operator_id: operatorId,
    effective_at: effective.toISOString(),
    reason,
    successor_operator_id: typeof successorId === 'string' ? successorId : null,
    status: 'scheduled',
    transferred_at: null,
    transferred_to: null,
    transfer_summary: null,
    created_by: actorString(actor),
    created_at: nowIso,
  };
  try {
    return await d.sa.transaction(async (tx) => {
      const op = await tx.getOperator(operatorId);
      if (!op) throw new ShomeiError('notFound', 'No such operator');
      if (op.status !== 'active') throw new ShomeiError('conflict', 'The operator is already terminated');
      if (await tx.getOperatorTermination(operatorId)) throw new ShomeiError('conflict', 'The operator already has a termination on record (one per operator)');
      const target = row.successor_operator_id !== null ? await checkSuccessor(tx, operatorId, row.successor_operator_id) : await checkCaDesk(tx, operatorId);
      await tx.insertOperatorTermination(row);
      const view = terminationView(row, op, target, d.config.timeZone);
      await tx.appendAudit({ at: nowIso, actor: actorString(actor), action: 'operator.termination-scheduled', objectType: 'operator', objectId: operatorId, details: { after: view } });
      await recordNotification(tx, {
        kind: 'operator.termination-scheduled',
        operatorId,
        subjectType: 'operator-termination',
        subjectId: row.id,
        payload: { terminationId: row.id, operatorName: op.name, effectiveAt: row.effective_at, reason, successorName: target.name },
        atIso: nowIso,
      });
      return view;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new ShomeiError('conflict', 'The operator already has a termination on record (one per operator)');
    throw e;
  }
}

/** The operator's termination, with who takes over. */
export async function getTermination(d: RegistryDeps, operatorId: string): Promise<TerminationView> {
  const repos = d.sa.repos;
  const op = await repos.getOperator(operatorId);
  if (!op) throw new ShomeiError('notFound', 'No such operator');
  const t = await repos.getOperatorTermination(operatorId);
  if (!t) throw new ShomeiError('notFound', 'The operator has no termination on record');
  const targetId = t.transferred_to ?? t.successor_operator_id;
  const target = targetId !== null ? await repos.getOperator(targetId) : await repos.getCaDeskOperator();
  return terminationView(t, op, target, d.config.timeZone);
}

function checkItems(value: unknown): string[] {
  if (value === undefined || value === null) return [...STANDARD_HANDOVER_ITEMS];
  if (!Array.isArray(value) || value.length === 0 || value.length > 30) throw new ShomeiError('malformed', 'items must be a list of 1–30 texts');
  return value.map((v, i) => checkText(v, `items[${i}]`, { max: 500 }) as string);
}

/** AR 19: the deadline must lie at least `governance.handoverMinDays` (≥ 10) days after today. */
function checkDeadline(value: unknown, d: RegistryDeps): string {
  if (!isLocalDate(value)) throw new ShomeiError('malformed', 'deadline must be a date (YYYY-MM-DD)');
  const today = localDateOf(d.clock.now(), d.config.timeZone);
  const earliest = addLocalDays(today, d.config.governance.handoverMinDays);
  if (value < earliest) {
    throw new ShomeiError('malformed', `deadline must be at least ${d.config.governance.handoverMinDays} days after today (AR 19): ${earliest} or later`);
  }
  return value;
}

/**
 * AR 19: after the contract ends (or once its termination is recorded) the
 * CA demands, free of charge and with at least 10 days' notice, the
 * information needed to take over the brokering.
 */
export async function createHandoverDemand(
  d: RegistryDeps,
  operatorId: string,
  input: { deadline?: unknown; items?: unknown },
  actor: Actor,
): Promise<HandoverDemandView> {
  const deadline = checkDeadline(input.deadline, d);
  const items = checkItems(input.items);
  const nowIso = d.clock.now().toISOString();
  return d.sa.transaction(async (tx) => {
    const op = await tx.getOperator(operatorId);
    if (!op) throw new ShomeiError('notFound', 'No such operator');
    const t = await tx.getOperatorTermination(operatorId);
    if (!t) throw new ShomeiError('conflict', 'A hand-over demand follows a contract termination (AR 19); record the termination first');
    const row: HandoverDemandRow = {
      id: `hod_${randomId(9)}`,
      operator_id: operatorId,
      termination_id: t.id,
      demanded_at: nowIso,
      deadline,
      items: JSON.stringify(items),
      status: 'open',
      fulfilled_at: null,
      created_by: actorString(actor),
    };
    await tx.insertHandoverDemand(row);
    const view = handoverDemandView(row);
    await tx.appendAudit({ at: nowIso, actor: actorString(actor), action: 'operator.handover-demanded', objectType: 'operator', objectId: operatorId, details: { after: view } });
    await recordNotification(tx, {
      kind: 'operator.handover-demand',
      operatorId,
      subjectType: 'handover-demand',
      subjectId: row.id,
      payload: { demandId: row.id, operatorName: op.name, deadline, items },
      atIso: nowIso,
    });
    return view;
  });
}

export async function listHandoverDemands(d: RegistryDeps, operatorId: string): Promise<HandoverDemandView[]> {
  if (!(await d.sa.repos.getOperator(operatorId))) throw new ShomeiError('notFound', 'No such operator');
  return (await d.sa.repos.listHandoverDemands(operatorId)).map(handoverDemandView);
}

/** The admin records that the operator handed the information over (also after the deadline passed). */
export async function markHandoverDemandFulfilled(d: RegistryDeps, operatorId: string, demandId: string, actor: Actor): Promise<HandoverDemandView> {
  const nowIso = d.clock.now().toISOString();
  return d.sa.transaction(async (tx) => {
    const before = await tx.getHandoverDemand(demandId);
    if (!before || before.operator_id !== operatorId) throw new ShomeiError('notFound', 'No such hand-over demand');
    if (!(await tx.setHandoverDemandStatus(demandId, ['open', 'lapsed'], 'fulfilled', nowIso))) throw new ShomeiError('conflict', 'The hand-over demand is already fulfilled');
    const after = (await tx.getHandoverDemand(demandId)) as HandoverDemandRow;
    await tx.appendAudit({
      at: nowIso,
      actor: actorString(actor),
      action: 'operator.handover-fulfilled',
      objectType: 'handover-demand',
      objectId: demandId,
      details: { operatorId, before: handoverDemandView(before), after: handoverDemandView(after) },
    });
    return handoverDemandView(after);
  });
}

/** Open demands whose deadline passed (before `day`) become lapsed; AR 19 ¶2 then lets the CA ask subscribers directly. */
export async function lapseHandoverDemands(d: RegistryDeps, day: string, actor: Actor): Promise<number> {
  let lapsed = 0;
  for (const r of await d.sa.repos.listLapsingHandoverDemands(day)) {
    const nowIso = d.clock.now().toISOString();
    const done = await d.sa.transaction(async (tx) => {
      if (!(await tx.setHandoverDemandStatus(r.id, ['open'], 'lapsed', null))) return false;
      await tx.appendAudit({
        at: nowIso,
        actor: actorString(actor),
        action: 'operator.handover-lapsed',
        objectType: 'handover-demand',
        objectId: r.id,
        details: { operatorId: r.operator_id, deadline: r.deadline, before: { status: 'open' }, after: { status: 'lapsed' } },
      });
      return true;
    });
    if (done) lapsed += 1;
  }
  return lapsed;
}
