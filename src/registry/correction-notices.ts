import { addLocalDays, localDateOf } from '../core/calendar.js';
import { ShomeiError } from '../core/errors.js';
import { randomId } from '../core/ids.js';
import type { CorrectionGround, CorrectionNoticeRow, CorrectionNoticeStatus, OperatorRow, Repositories } from '../sa/index.js';
import { operatorReachability } from './contact-attempts.js';
import { checkText } from './contacts.js';
import { recordNotification } from './notifications.js';
import { continuationInstant } from './suspension-effects.js';
import { liftWithin } from './suspensions.js';
import { actorString, type Actor, type RegistryDeps } from './types.js';

/**
 * AR 16: before suspending an operator the CA sends a correction notice
 * naming the ground and a correction period of at least 30 days. The period
 * runs in whole local days (CA time zone): it covers the rest of the issue
 * date and N more days, so the deadline is the end of local day
 * issue-date + N — stored as the exclusive instant 00:00 of the day after.
 * A notice is open until marked corrected or withdrawn, or until it leads to
 * a suspension ('suspended'; it can still be marked corrected then, which
 * lifts the suspensions imposed for it).
 */

export const CORRECTION_GROUNDS: readonly CorrectionGround[] = ['material-breach', 'unpaid-fees', 'adverse-change', 'contact-unreachable'];
/** AR 16: "a period of not less than 30 days". */
export const MIN_CORRECTION_DAYS = 30;
const MAX_CORRECTION_DAYS = 365;

export interface CorrectionNoticeView {
  id: string;
  operatorId: string;
  ground: CorrectionGround;
  detail: string;
  issuedAt: string;
  correctionDays: number;
  /** The last local date of the correction period (CA time zone). */
  lastDay: string;
  /** The instant the correction period ends (00:00 local of the day after `lastDay`). */
  deadline: string;
  status: CorrectionNoticeStatus;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolutionNote: string | null;
  createdBy: string;
}

export function correctionNoticeView(r: CorrectionNoticeRow, timeZone: string): CorrectionNoticeView {
  return {
    id: r.id,
    operatorId: r.operator_id,
    ground: r.ground,
    detail: r.detail,
    issuedAt: r.issued_at,
    correctionDays: r.correction_days,
    lastDay: addLocalDays(localDateOf(new Date(r.issued_at), timeZone), r.correction_days),
    deadline: r.deadline,
    status: r.status,
    resolvedAt: r.resolved_at,
    resolvedBy: r.resolved_by,
    resolutionNote: r.resolution_note,
    createdBy: r.created_by,
  };
}

/** The deadline of a correction period of `days` whole local days from `issuedAt`: 00:00 of issue-date + days + 1. */
export function correctionDeadline(issuedAt: Date, days: number, timeZone: string): Date {
  return continuationInstant(addLocalDays(localDateOf(issuedAt, timeZone), days), timeZone);
}

/** AR 16: at least 30 days; the configured default when none is given. */
export function checkCorrectionDays(v: unknown, defaultDays: number): number {
  if (v === undefined) return defaultDays;
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new ShomeiError('malformed', 'correctionDays must be a whole number of days');
  if (v < MIN_CORRECTION_DAYS) throw new ShomeiError('malformed', `correctionDays must be at least ${MIN_CORRECTION_DAYS} (AR 16: a correction period of not less than 30 days); got ${v}`);
  if (v > MAX_CORRECTION_DAYS) throw new ShomeiError('malformed', `correctionDays must be at most ${MAX_CORRECTION_DAYS}`);
  return v;
}

function checkGround(v: unknown): CorrectionGround {
  if (typeof v !== 'string' || !(CORRECTION_GROUNDS as readonly string[]).includes(v)) throw new ShomeiError('malformed', `ground must be one of ${CORRECTION_GROUNDS.join(', ')}`);
  return v as CorrectionGround;
}

async function loadOperator(tx: Repositories, id: string): Promise<OperatorRow> {
  const op = await tx.getOperator(id);
  if (!op) throw new ShomeiError('notFound', 'No such operator');
  return op;
}

/** AR 16 ground "contact unreachable for 21 days or more": only while the operator is flagged so. */
async function checkGroundHolds(d: RegistryDeps, tx: Repositories, operatorId: string, ground: CorrectionGround, now: Date): Promise<void> {
  if (ground !== 'contact-unreachable') return;
  const threshold = d.config.governance.unreachableDays;
  const r = await operatorReachability(tx, operatorId, now, threshold);
  if (!r.flagged) {
    throw new ShomeiError(
      'conflict',
      r.unreachableSince === null
        ? `The operator is not unreachable: no failed contact attempt is recorded since it was last reached (AR 16 needs ${threshold} days)`
        : `The operator has been unreachable since ${r.unreachableSince} — ${r.unreachableDays} days, fewer than the ${threshold} AR 16 requires`,
    );
  }
}

/**
 * AR 16: issue a correction notice. The ground 'unpaid-fees' is recorded as
 * the CA states it (the statements show the balance; it is not recomputed
 * here). Audited and notified (`operator.correction-notice`) in one transaction.
 */
export async function issueCorrectionNotice(
  d: RegistryDeps,
  operatorId: string,
  input: { ground?: unknown; detail?: unknown; correctionDays?: unknown },
  actor: Actor,
): Promise<CorrectionNoticeView> {
  const ground = checkGround(input.ground);
  const detail = checkText(input.detail, 'detail', { max: 2000 }) as string;
  const days = checkCorrectionDays(input.correctionDays, d.config.governance.defaultCorrectionDays);
  const now = d.clock.now();
  const tz = d.config.timeZone;
  const row: CorrectionNoticeRow = {
    id: `cn_${randomId(9)}`,
    operator_id: operatorId,
    ground,
    detail,
    issued_at: now.toISOString(),
    correction_days: days,
    deadline: correctionDeadline(now, days, tz).toISOString(),
    status: 'open',
    resolved_at: null,
    resolved_by: null,
    resolution_note: null,
    created_by: actorString(actor),
  };
  return d.sa.transaction(async (tx) => {
    const op = await loadOperator(tx, operatorId);
    await checkGroundHolds(d, tx, operatorId, ground, now);
    await tx.insertCorrectionNotice(row);
    const view = correctionNoticeView(row, tz);
    await tx.appendAudit({ at: row.issued_at, actor: row.created_by, action: 'operator.correction-notice', objectType: 'operator', objectId: operatorId, details: { before: null, after: view } });
    await recordNotification(tx, {
      kind: 'operator.correction-notice',
      operatorId,
      subjectType: 'correction-notice',
      subjectId: row.id,
      payload: { noticeId: row.id, operatorName: op.name, ground, detail, issuedAt: row.issued_at, deadline: row.deadline, correctionDays: days },
      atIso: row.issued_at,
    });
    return view;
  });
}

export async function getCorrectionNotice(d: RegistryDeps, id: string): Promise<CorrectionNoticeView> {
  const r = await d.sa.repos.getCorrectionNotice(id);
  if (!r) throw new ShomeiError('notFound', 'No such correction notice');
  return correctionNoticeView(r, d.config.timeZone);
}

const STATUSES: readonly CorrectionNoticeStatus[] = ['open', 'corrected', 'suspended', 'withdrawn'];

export async function listCorrectionNotices(d: RegistryDeps, q: { operatorId?: string | undefined; status?: string | undefined }): Promise<CorrectionNoticeView[]> {
  if (q.status !== undefined && !(STATUSES as readonly string[]).includes(q.status)) throw new ShomeiError('malformed', `status must be one of ${STATUSES.join(', ')}`);
  if (q.operatorId !== undefined) await loadOperator(d.sa.repos, q.operatorId);
  const rows = await d.sa.repos.listCorrectionNotices({ operatorId: q.operatorId, status: q.status as CorrectionNoticeStatus | undefined });
  return rows.map((r) => correctionNoticeView(r, d.config.timeZone));
}

/**
 * Mark a notice corrected or withdrawn (audited, notified
 * `operator.correction-resolved`). 'corrected' applies to an open notice or
 * one that led to a suspension — and lifts the suspensions imposed for it
 * that are still in force or scheduled ("until corrected", AR 16).
 * 'withdrawn' applies to an open notice only; a suspension already imposed is
 * lifted on its own.
 */
export async function resolveCorrectionNotice(
  d: RegistryDeps,
  operatorId: string,
  noticeId: string,
  resolution: 'corrected' | 'withdrawn',
  input: { note?: unknown },
  actor: Actor,
): Promise<CorrectionNoticeView> {
  const note = checkText(input.note, 'note', { max: 1000, optional: true });
  const now = d.clock.now();
  const nowIso = now.toISOString();
  const tz = d.config.timeZone;
  const from: CorrectionNoticeStatus[] = resolution === 'corrected' ? ['open', 'suspended'] : ['open'];
  return d.sa.transaction(async (tx) => {
    const op = await loadOperator(tx, operatorId);
    const n = await tx.getCorrectionNotice(noticeId);
    if (!n || n.operator_id !== operatorId) throw new ShomeiError('notFound', 'No such correction notice for this operator');
    const patch = { status: resolution, resolved_at: nowIso, resolved_by: actorString(actor), resolution_note: note } as const;
    if (!from.includes(n.status) || !(await tx.updateCorrectionNotice(n.id, from, patch))) {
      throw new ShomeiError('conflict', `Correction notice ${n.id} is ${n.status}; it cannot be marked ${resolution}`);
    }
    const after = { ...n, ...patch };
    await tx.appendAudit({
      at: nowIso,
      actor: actorString(actor),
      action: `operator.correction-${resolution}`,
      objectType: 'operator',
      objectId: operatorId,
      details: { before: correctionNoticeView(n, tz), after: correctionNoticeView(after, tz) },
    });
    await recordNotification(tx, {
      kind: 'operator.correction-resolved',
      operatorId,
      subjectType: 'correction-notice',
      subjectId: n.id,
      payload: { noticeId: n.id, operatorName: op.name, resolution, note },
      atIso: nowIso,
    });
    if (resolution === 'corrected') {
      for (const s of await tx.listOperatorSuspensions(operatorId)) {
        const open = s.notice_id === n.id && s.lifted_at === null && (s.ends_at === null || Date.parse(s.ends_at) > now.getTime());
        if (open) await liftWithin(tx, s, op.name, `corrected (notice ${n.id})${note === null ? '' : `: ${note}`}`, actorString(actor), now);
      }
    }
    return correctionNoticeView(after, tz);
  });
}
