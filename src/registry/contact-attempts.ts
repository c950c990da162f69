import { ShomeiError } from '../core/errors.js';
import { randomId } from '../core/ids.js';
import type { OperatorContactAttemptRow, OperatorRow, Repositories } from '../sa/index.js';
import { checkText } from './contacts.js';
import { actorString, type Actor, type RegistryDeps } from './types.js';

/**
 * AR 16: "contact unreachable for 21 days or more" is a ground for a
 * correction notice. CA staff record each attempt to reach the operator; the
 * operator is unreachable since the first failed attempt after its last
 * successful one, and flagged once `governance.unreachableDays` whole days
 * (24 h each) have passed since then.
 */

export const CONTACT_METHODS = ['email', 'phone', 'post', 'visit', 'other'] as const;
export const CONTACT_OUTCOMES = ['reached', 'unreachable'] as const;

const DAY_MS = 86_400_000;

export interface ContactAttemptView {
  id: string;
  operatorId: string;
  attemptedAt: string;
  method: string;
  outcome: OperatorContactAttemptRow['outcome'];
  note: string | null;
  recordedBy: string;
  recordedAt: string;
}

export function contactAttemptView(r: OperatorContactAttemptRow): ContactAttemptView {
  return { id: r.id, operatorId: r.operator_id, attemptedAt: r.attempted_at, method: r.method, outcome: r.outcome, note: r.note, recordedBy: r.recorded_by, recordedAt: r.recorded_at };
}

export interface Reachability {
  /** The first failed attempt after the last successful one (ISO), or null. */
  unreachableSince: string | null;
  /** Whole days since then (floor), or null. */
  unreachableDays: number | null;
  /** True once `unreachableDays` ≥ the configured threshold (AR 16: 21). */
  flagged: boolean;
}

/** Reachability at `now` from the attempts made by then (any order). */
export function reachability(attempts: readonly OperatorContactAttemptRow[], now: Date, thresholdDays: number): Reachability {
  const t = now.getTime();
  const past = attempts.filter((a) => Date.parse(a.attempted_at) <= t).sort((a, b) => Date.parse(a.attempted_at) - Date.parse(b.attempted_at));
  let since: string | null = null;
  for (const a of past) {
    if (a.outcome === 'reached') since = null;
    else if (since === null) since = a.attempted_at;
  }
  if (since === null) return { unreachableSince: null, unreachableDays: null, flagged: false };
  const elapsed = t - Date.parse(since);
  return { unreachableSince: new Date(since).toISOString(), unreachableDays: Math.floor(elapsed / DAY_MS), flagged: elapsed >= thresholdDays * DAY_MS };
}

/** The operator's reachability at `now`, read through `repos`. */
export async function operatorReachability(repos: Repositories, operatorId: string, now: Date, thresholdDays: number): Promise<Reachability> {
  return reachability(await repos.listOperatorContactAttempts(operatorId), now, thresholdDays);
}

function checkAttemptedAt(v: unknown, now: Date): string {
  if (v === undefined) return now.toISOString();
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(v) || Number.isNaN(Date.parse(v))) throw new ShomeiError('malformed', 'attemptedAt must be an RFC 3339 date-time');
  if (Date.parse(v) > now.getTime()) throw new ShomeiError('malformed', 'attemptedAt lies in the future');
  return new Date(v).toISOString();
}

function checkOneOf<T extends string>(v: unknown, field: string, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) throw new ShomeiError('malformed', `${field} must be one of ${allowed.join(', ')}`);
  return v as T;
}

async function loadOperator(tx: Repositories, id: string): Promise<OperatorRow> {
  const op = await tx.getOperator(id);
  if (!op) throw new ShomeiError('notFound', 'No such operator');
  return op;
}

/** Record an attempt to reach the operator (AR 16), audited with the reachability before and after. */
export async function recordContactAttempt(
  d: RegistryDeps,
  operatorId: string,
  input: { attemptedAt?: unknown; method?: unknown; outcome?: unknown; note?: unknown },
  actor: Actor,
): Promise<{ attempt: ContactAttemptView; reachability: Reachability }> {
  const now = d.clock.now();
  const row: OperatorContactAttemptRow = {
    id: `oca_${randomId(9)}`,
    operator_id: operatorId,
    attempted_at: checkAttemptedAt(input.attemptedAt, now),
    method: checkOneOf(input.method, 'method', CONTACT_METHODS),
    outcome: checkOneOf(input.outcome, 'outcome', CONTACT_OUTCOMES),
    note: checkText(input.note, 'note', { max: 1000, optional: true }),
    recorded_by: actorString(actor),
    recorded_at: now.toISOString(),
  };
  const threshold = d.config.governance.unreachableDays;
  return d.sa.transaction(async (tx) => {
    await loadOperator(tx, operatorId);
    const before = await operatorReachability(tx, operatorId, now, threshold);
    await tx.insertOperatorContactAttempt(row);
    const after = await operatorReachability(tx, operatorId, now, threshold);
    await tx.appendAudit({
      at: row.recorded_at,
      actor: row.recorded_by,
      action: 'operator.contact-attempt',
      objectType: 'operator',
      objectId: operatorId,
      details: { attempt: contactAttemptView(row), before, after },
    });
    return { attempt: contactAttemptView(row), reachability: after };
  });
}

export async function listContactAttempts(d: RegistryDeps, operatorId: string): Promise<ContactAttemptView[]> {
  await loadOperator(d.sa.repos, operatorId);
  return (await d.sa.repos.listOperatorContactAttempts(operatorId)).map(contactAttemptView);
}
