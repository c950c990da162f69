import { ShomeiError } from '../core/errors.js';
import { randomId } from '../core/ids.js';
import type { CorrectionNoticeRow, OperatorRow, OperatorSuspensionRow, Repositories } from '../sa/index.js';
import { operatorReachability, type Reachability } from './contact-attempts.js';
import { checkText } from './contacts.js';
import { correctionNoticeView, type CorrectionNoticeView } from './correction-notices.js';
import { recordNotification } from './notifications.js';
import { operatorAccessRefusal, suspensionAt, suspensionInForce } from './operator-standing.js';
import { actorString, type Actor, type RegistryDeps } from './types.js';

/**
 * Operator suspensions (SPEC §8):
 * - AR 16, kind 'notice': after a correction notice's period ends
 *   uncorrected, CA staff (or the governance job) suspend the operator from a
 *   start, to an end or "until corrected" (ends_at null), with a reason;
 * - AR 17, kind 'immediate': every API key revoked at once, every
 *   authenticated operator call refused (operatorAccessRefusal) until CA staff
 *   lift it after confirming the fix and issue new keys.
 * A suspension is in force from starts_at until ends_at or lifted_at
 * (operator-standing.ts); lifting sets lifted_at = now and restores normal
 * behaviour from that moment.
 */

export type SuspensionState = 'scheduled' | 'in-force' | 'ended' | 'lifted' | 'cancelled';

export interface SuspensionView {
  id: string;
  operatorId: string;
  kind: OperatorSuspensionRow['kind'];
  noticeId: string | null;
  reason: string;
  startsAt: string;
  /** null = until corrected (until lifted). */
  endsAt: string | null;
  state: SuspensionState;
  liftedAt: string | null;
  liftedBy: string | null;
  liftNote: string | null;
  createdBy: string;
  createdAt: string;
  startNotifiedAt: string | null;
  endNotifiedAt: string | null;
}

export function suspensionState(s: OperatorSuspensionRow, now: Date): SuspensionState {
  if (suspensionInForce(s, now)) return 'in-force';
  if (s.lifted_at !== null) return Date.parse(s.lifted_at) <= Date.parse(s.starts_at) ? 'cancelled' : 'lifted';
  if (Date.parse(s.starts_at) > now.getTime()) return 'scheduled';
  return 'ended';
}

export function suspensionView(s: OperatorSuspensionRow, now: Date): SuspensionView {
  return {
    id: s.id,
    operatorId: s.operator_id,
    kind: s.kind,
    noticeId: s.notice_id,
    reason: s.reason,
    startsAt: s.starts_at,
    endsAt: s.ends_at,
    state: suspensionState(s, now),
    liftedAt: s.lifted_at,
    liftedBy: s.lifted_by,
    liftNote: s.lift_note,
    createdBy: s.created_by,
    createdAt: s.created_at,
    startNotifiedAt: s.start_notified_at,
    endNotifiedAt: s.end_notified_at,
  };
}

async function loadOperator(tx: Repositories, id: string): Promise<OperatorRow> {
  const op = await tx.getOperator(id);
  if (!op) throw new ShomeiError('notFound', 'No such operator');
  return op;
}

function checkInstant(v: unknown, field: string): string {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(v) || Number.isNaN(Date.parse(v))) throw new ShomeiError('malformed', `${field} must be an RFC 3339 date-time`);
  return new Date(v).toISOString();
}

/** startsAt: now when absent; never in the past (a suspension cannot reach back). */
function checkStartsAt(v: unknown, now: Date): string {
  if (v === undefined || v === null) return now.toISOString();
  const s = checkInstant(v, 'startsAt');
  if (Date.parse(s) < now.getTime()) throw new ShomeiError('malformed', 'startsAt lies in the past');
  return s;
}

/** endsAt: null ("until corrected") when absent; otherwise after startsAt. */
function checkEndsAt(v: unknown, startsAt: string): string | null {
  if (v === undefined || v === null) return null;
  const e = checkInstant(v, 'endsAt');
  if (e <= startsAt) throw new ShomeiError('malformed', 'endsAt must be after startsAt');
  return e;
}

/** AR 16: a suspension for a notice needs the notice open and its correction period over. */
async function checkNoticeAllowsSuspension(tx: Repositories, operatorId: string, noticeId: string, now: Date): Promise<CorrectionNoticeRow> {
  const n = await tx.getCorrectionNotice(noticeId);
  if (!n || n.operator_id !== operatorId) throw new ShomeiError('notFound', 'No such correction notice for this operator');
  if (n.status !== 'open') throw new ShomeiError('conflict', `Correction notice ${noticeId} is ${n.status}, not open`);
  if (Date.parse(n.deadline) > now.getTime()) throw new ShomeiError('conflict', `The correction period of notice ${noticeId} runs until ${n.deadline} (AR 16): the operator cannot be suspended for it before then`);
  return n;
}

/**
 * Insert a suspension (inside `tx`), mark its notice 'suspended', audit it and,
 * when it starts now, notify `operator.suspension-started` at once (the
 * governance job notifies later starts).
 */
export async function imposeSuspension(
  tx: Repositories,
  op: OperatorRow,
  s: { kind: OperatorSuspensionRow['kind']; noticeId: string | null; reason: string; startsAt: string; endsAt: string | null },
  actor: string,
  now: Date,
): Promise<OperatorSuspensionRow> {
  const nowIso = now.toISOString();
  const startsNow = Date.parse(s.startsAt) <= now.getTime();
  const row: OperatorSuspensionRow = {
    id: `susp_${randomId(9)}`,
    operator_id: op.id,
    kind: s.kind,
    notice_id: s.noticeId,
    reason: s.reason,
    starts_at: s.startsAt,
    ends_at: s.endsAt,
    lifted_at: null,
    lifted_by: null,
    lift_note: null,
    created_by: actor,
    created_at: nowIso,
    start_notified_at: startsNow ? nowIso : null,
    end_notified_at: null,
  };
  if (s.noticeId !== null && !(await tx.updateCorrectionNotice(s.noticeId, ['open'], { status: 'suspended' }))) {
    throw new ShomeiError('conflict', `Correction notice ${s.noticeId} is no longer open`);
  }
  await tx.insertOperatorSuspension(row);
  await tx.appendAudit({ at: nowIso, actor, action: `operator.suspended${s.kind === 'immediate' ? '-immediately' : ''}`, objectType: 'operator', objectId: op.id, details: { before: null, after: suspensionView(row, now) } });
  if (startsNow && s.kind === 'notice') {
    await recordNotification(tx, {
      kind: 'operator.suspension-started',
      operatorId: op.id,
      subjectType: 'operator-suspension',
      subjectId: row.id,
      payload: { suspensionId: row.id, operatorName: op.name, kind: row.kind, reason: row.reason, startsAt: row.starts_at, endsAt: row.ends_at },
      atIso: nowIso,
    });
  }
  return row;
}

/** AR 16: CA staff suspend an operator from `startsAt` (default now) to `endsAt` or until corrected (null). */
export async function suspendOperator(
  d: RegistryDeps,
  operatorId: string,
  input: { startsAt?: unknown; endsAt?: unknown; reason?: unknown; noticeId?: unknown },
  actor: Actor,
): Promise<SuspensionView> {
  const now = d.clock.now();
  const startsAt = checkStartsAt(input.startsAt, now);
  const endsAt = checkEndsAt(input.endsAt, startsAt);
  const reason = checkText(input.reason, 'reason', { max: 1000 }) as string;
  if (input.noticeId !== undefined && input.noticeId !== null && typeof input.noticeId !== 'string') throw new ShomeiError('malformed', 'noticeId must be a correction notice id');
  const noticeId = typeof input.noticeId === 'string' ? input.noticeId : null;
  return d.sa.transaction(async (tx) => {
    const op = await loadOperator(tx, operatorId);
    if (noticeId !== null) await checkNoticeAllowsSuspension(tx, operatorId, noticeId, now);
    return suspensionView(await imposeSuspension(tx, op, { kind: 'notice', noticeId, reason, startsAt, endsAt }, actorString(actor), now), now);
  });
}

/**
 * AR 17: immediate suspension, in one transaction — every active API key of
 * the operator revoked, a suspension of kind 'immediate' from now until
 * lifted, audited and notified (`operator.immediate-suspension`).
 */
export async function suspendImmediately(d: RegistryDeps, operatorId: string, input: { reason?: unknown }, actor: Actor): Promise<SuspensionView & { keysRevoked: number }> {
  const reason = checkText(input.reason, 'reason', { max: 1000 }) as string;
  const now = d.clock.now();
  const nowIso = now.toISOString();
  return d.sa.transaction(async (tx) => {
    const op = await loadOperator(tx, operatorId);
    const current = await suspensionAt(tx, operatorId, now);
    if (current?.kind === 'immediate') throw new ShomeiError('conflict', `The operator is already suspended with immediate effect (${current.id})`);
    const activeKeys = (await tx.listOperatorApiKeys(operatorId)).filter((k) => k.revoked_at === null).map((k) => k.id);
    const keysRevoked = await tx.revokeOperatorApiKeys(operatorId, undefined, nowIso);
    const row = await imposeSuspension(tx, op, { kind: 'immediate', noticeId: null, reason, startsAt: nowIso, endsAt: null }, actorString(actor), now);
    await tx.appendAudit({ at: nowIso, actor: actorString(actor), action: 'operator.api-keys-revoked', objectType: 'operator', objectId: operatorId, details: { cause: 'immediate-suspension', suspension: row.id, keyIds: activeKeys } });
    await recordNotification(tx, {
      kind: 'operator.immediate-suspension',
      operatorId,
      subjectType: 'operator-suspension',
      subjectId: row.id,
      payload: { suspensionId: row.id, operatorName: op.name, reason, startsAt: nowIso, keysRevoked },
      atIso: nowIso,
    });
    return { ...suspensionView(row, now), keysRevoked };
  });
}

/**
 * Lift a suspension inside `tx` (lifted_at = now). One in force ends now and
 * is notified (`operator.suspension-ended`, how 'lifted'); one not yet begun
 * is cancelled (audited only). Returns false when it was already lifted.
 */
export async function liftWithin(tx: Repositories, s: OperatorSuspensionRow, opName: string, note: string | null, actor: string, now: Date): Promise<boolean> {
  const nowIso = now.toISOString();
  const started = Date.parse(s.starts_at) <= now.getTime();
  const patch = { lifted_at: nowIso, lifted_by: actor, lift_note: note, ...(started ? { end_notified_at: nowIso } : {}) };
  if (!(await tx.updateOperatorSuspension(s.id, ['lifted_at'], patch))) return false;
  const after = { ...s, ...patch };
  await tx.appendAudit({ at: nowIso, actor, action: started ? 'operator.suspension-lifted' : 'operator.suspension-cancelled', objectType: 'operator', objectId: s.operator_id, details: { before: suspensionView(s, now), after: suspensionView(after, now), note } });
  if (started) {
    await recordNotification(tx, {
      kind: 'operator.suspension-ended',
      operatorId: s.operator_id,
      subjectType: 'operator-suspension',
      subjectId: s.id,
      payload: { suspensionId: s.id, operatorName: opName, endedAt: nowIso, how: 'lifted' },
      atIso: nowIso,
    });
  }
  return true;
}

/** Whether `s` can still be lifted at `now`: not lifted, and its fixed end (if any) not passed. */
function checkLiftable(s: OperatorSuspensionRow, now: Date): void {
  if (s.lifted_at !== null) throw new ShomeiError('conflict', `Suspension ${s.id} was already lifted at ${s.lifted_at}`);
  if (s.ends_at !== null && Date.parse(s.ends_at) <= now.getTime()) throw new ShomeiError('conflict', `Suspension ${s.id} already ended at ${s.ends_at}`);
}

/**
 * CA staff lift a suspension (AR 16: corrected; AR 17: fix confirmed —
 * API keys revoked stay revoked, new ones are issued with the usual route).
 */
export async function liftSuspension(d: RegistryDeps, operatorId: string, suspensionId: string, input: { note?: unknown }, actor: Actor): Promise<SuspensionView> {
  const note = checkText(input.note, 'note', { max: 1000, optional: true });
  const now = d.clock.now();
  return d.sa.transaction(async (tx) => {
    const op = await loadOperator(tx, operatorId);
    const s = await tx.getOperatorSuspensionForUpdate(suspensionId, d.sa.dialect);
    if (!s || s.operator_id !== operatorId) throw new ShomeiError('notFound', 'No such suspension for this operator');
    checkLiftable(s, now);
    if (!(await liftWithin(tx, s, op.name, note, actorString(actor), now))) throw new ShomeiError('conflict', `Suspension ${s.id} was already lifted`);
    return suspensionView((await tx.getOperatorSuspension(s.id)) as OperatorSuspensionRow, now);
  });
}

export async function listSuspensions(d: RegistryDeps, operatorId: string): Promise<SuspensionView[]> {
  await loadOperator(d.sa.repos, operatorId);
  const now = d.clock.now();
  return (await d.sa.repos.listOperatorSuspensions(operatorId)).map((s) => suspensionView(s, now));
}

export interface OperatorStanding {
  operatorId: string;
  operatorName: string;
  at: string;
  /** A suspension (any kind) is in force now. */
  suspended: boolean;
  /** The suspension in force now (an immediate one first), or null. */
  suspension: SuspensionView | null;
  /** Suspensions not begun yet (not cancelled). */
  scheduled: SuspensionView[];
  unreachable: Reachability & { thresholdDays: number };
  /** Correction notices not resolved: open, or leading to a suspension. */
  openNotices: CorrectionNoticeView[];
  /** Why the operator API refuses the operator now (AR 17 immediate suspension, AR 19 termination), or null. */
  accessRefused: string | null;
}

/** An operator's standing now (SPEC §8). */
export async function operatorStanding(d: RegistryDeps, operatorId: string): Promise<OperatorStanding> {
  const repos = d.sa.repos;
  const op = await loadOperator(repos, operatorId);
  const now = d.clock.now();
  const all = await repos.listOperatorSuspensions(operatorId);
  const current = await suspensionAt(repos, operatorId, now);
  const threshold = d.config.governance.unreachableDays;
  const notices = (await repos.listCorrectionNotices({ operatorId })).filter((n) => n.status === 'open' || n.status === 'suspended');
  return {
    operatorId,
    operatorName: op.name,
    at: now.toISOString(),
    suspended: current !== undefined,
    suspension: current ? suspensionView(current, now) : null,
    scheduled: all.filter((s) => suspensionState(s, now) === 'scheduled').map((s) => suspensionView(s, now)),
    unreachable: { ...(await operatorReachability(repos, operatorId, now, threshold)), thresholdDays: threshold },
    openNotices: notices.map((n) => correctionNoticeView(n, d.config.timeZone)),
    accessRefused: await operatorAccessRefusal(repos, operatorId, now),
  };
}

/** The standing of every operator, optionally only the unreachable-flagged and/or the suspended ones. */
export async function listOperatorStandings(d: RegistryDeps, q: { unreachable?: boolean | undefined; suspended?: boolean | undefined }): Promise<OperatorStanding[]> {
  const out: OperatorStanding[] = [];
  for (const op of await d.sa.repos.listOperators()) {
    const s = await operatorStanding(d, op.id);
    if (q.unreachable !== undefined && s.unreachable.flagged !== q.unreachable) continue;
    if (q.suspended !== undefined && s.suspended !== q.suspended) continue;
    out.push(s);
  }
  return out;
}
