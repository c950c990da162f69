/**
 * Which logs a certificate goes to and which SCTs it embeds.
 *
 * Policy (WEBPKI.md §3.2–§3.3; Chrome ct_policy.md, Apple 103214): at least
 * `minScts` SCTs from distinct logs, from at least `minDistinctOperators`
 * distinct log operators. One SCT per log: two SCTs from one log count once
 * in every browser policy.
 */
import type { CtLogDescriptor } from '../types.js';

export interface CtPolicy {
  minScts: number;
  minDistinctOperators: number;
}

/**
 * Operators are compared case- and space-insensitively, so that "Google" and
 * "google " in a hand-written log list cannot pass for two operators.
 */
export function operatorKey(operator: string): string {
  return operator.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Number of SCTs the policy needs: each log gives one SCT and has one operator. */
export function sctsNeeded(policy: CtPolicy): number {
  return Math.max(policy.minScts, policy.minDistinctOperators);
}

export function distinctOperators(logs: readonly CtLogDescriptor[]): number {
  return new Set(logs.map((l) => operatorKey(l.operator))).size;
}

/** Why `logs` can never meet the policy, or undefined when they can (given every one answers). */
export function policyShortfall(logs: readonly CtLogDescriptor[], policy: CtPolicy): string | undefined {
  const need = sctsNeeded(policy);
  if (logs.length < need) return `${need} SCTs from distinct logs are required but only ${logs.length} log(s) are available`;
  const ops = distinctOperators(logs);
  if (ops < policy.minDistinctOperators) {
    return `${policy.minDistinctOperators} distinct log operators are required but the available logs have ${ops}`;
  }
  return undefined;
}

/**
 * RFC 6962 logs are temporally sharded by notAfter (Chrome log_policy.md):
 * a shard accepts a certificate when notAfter ∈ [startInclusive, endExclusive).
 */
export function logAcceptsNotAfter(log: CtLogDescriptor, notAfter: Date): boolean {
  const t = notAfter.getTime();
  if (log.startInclusive !== undefined && t < log.startInclusive.getTime()) return false;
  if (log.endExclusive !== undefined && t >= log.endExclusive.getTime()) return false;
  return true;
}

/**
 * Pick SCTs meeting the policy from the valid ones (at most one per log, in
 * the order given — the configured log order): first one log per operator
 * until enough operators are covered, then any others up to the count.
 * Covering operators first is optimal: if any subset meets the policy, this
 * one does. Returns the pick in the original order, or undefined.
 */
export function chooseScts<T extends { log: CtLogDescriptor }>(valid: readonly T[], policy: CtPolicy): T[] | undefined {
  const seenLogs = new Set<string>();
  const unique = valid.filter((v) => {
    const id = Buffer.from(v.log.logId).toString('hex');
    if (seenLogs.has(id)) return false;
    seenLogs.add(id);
    return true;
  });
  const need = sctsNeeded(policy);
  const picked = new Set<T>();
  const operators = new Set<string>();
  for (const v of unique) {
    if (operators.size >= policy.minDistinctOperators) break;
    const op = operatorKey(v.log.operator);
    if (operators.has(op)) continue;
    operators.add(op);
    picked.add(v);
  }
  for (const v of unique) {
    if (picked.size >= need) break;
    picked.add(v);
  }
  if (picked.size < need || operators.size < policy.minDistinctOperators) return undefined;
  return unique.filter((v) => picked.has(v));
}
