import type { OperatorSuspensionRow, Repositories } from '../sa/index.js';

/**
 * An operator's standing at a moment (SPEC §8), computed from the recorded
 * suspensions and termination rather than a status flag, so the answer for
 * any past moment (a day the lifecycle job catches up on) stays the same.
 */

/** Whether a suspension is in force at `at`: started, not past its end, not lifted. */
export function suspensionInForce(s: OperatorSuspensionRow, at: Date): boolean {
  const t = at.getTime();
  if (Date.parse(s.starts_at) > t) return false;
  if (s.ends_at !== null && Date.parse(s.ends_at) <= t) return false;
  if (s.lifted_at !== null && Date.parse(s.lifted_at) <= t) return false;
  return true;
}

/** The suspension in force at `at` (an immediate one first), if any. */
export async function suspensionAt(repos: Repositories, operatorId: string, at: Date): Promise<OperatorSuspensionRow | undefined> {
  const live = (await repos.listOperatorSuspensions(operatorId)).filter((s) => suspensionInForce(s, at));
  return live.find((s) => s.kind === 'immediate') ?? live[0];
}

/** "until corrected" or the ISO end instant, for messages. */
export function suspensionEndText(s: OperatorSuspensionRow): string {
  return s.ends_at ?? 'until corrected';
}

/**
 * Why the operator may not use the operator API at `at` (null: it may):
 * an immediate suspension (AR 17) refuses every authenticated call until CA
 * staff lift it; a contract termination ends access at its effective instant.
 */
export async function operatorAccessRefusal(repos: Repositories, operatorId: string, at: Date): Promise<string | null> {
  const termination = await repos.getOperatorTermination(operatorId);
  if (termination && Date.parse(termination.effective_at) <= at.getTime()) {
    return `The operator's contract ended on ${termination.effective_at} (AR 19); its access to the operator API has ended`;
  }
  const suspension = await suspensionAt(repos, operatorId, at);
  if (suspension?.kind === 'immediate') {
    return `The operator is suspended with immediate effect since ${suspension.starts_at} (AR 17): every operator API call is refused until the CA confirms the fix and issues new keys`;
  }
  return null;
}
