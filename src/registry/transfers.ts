import { ShomeiError } from '../core/errors.js';
import type { OperatorRow, OperatorTerminationRow, Repositories } from '../sa/index.js';
import { recordNotification } from './notifications.js';
import type { TransferSummary } from './terminations.js';
import { actorString, type Actor, type RegistryDeps } from './types.js';

/**
 * AT 7 / AR 19: at a termination's effective instant the departed operator's
 * usage FQDNs whose periods remain (applied or active) — with their
 * subscribers, and so their certificates and ACME credentials — move to the
 * successor or to the CA's own reseller desk, which manages them from then
 * on (`usage_fqdns.operator_id` is the managing operator: future
 * continuations are billed to it). Ended FQDNs, past fee lines, consent
 * records and applications stay with the departed operator as history.
 */

export const TERMINATION_ACTOR: Actor = { kind: 'system', job: 'termination' };

export interface TransferOutcome extends TransferSummary {
  terminationId: string;
  operatorId: string;
}

/** The operator can take over now: active and not leaving itself (a termination already effective). */
async function canTakeOver(tx: Repositories, op: OperatorRow | undefined, at: Date): Promise<boolean> {
  if (!op || op.status !== 'active') return false;
  const t = await tx.getOperatorTermination(op.id);
  return !t || Date.parse(t.effective_at) > at.getTime();
}

/** The named successor if it can still take over, else the CA desk (AT 7's default); none → an error the job reports. */
async function resolveTarget(tx: Repositories, t: OperatorTerminationRow, at: Date): Promise<{ target: OperatorRow; fellBack: boolean }> {
  if (t.successor_operator_id !== null) {
    const s = await tx.getOperator(t.successor_operator_id);
    if (await canTakeOver(tx, s, at)) return { target: s as OperatorRow, fellBack: false };
  }
  const desk = await tx.getCaDeskOperator();
  if (desk && desk.id !== t.operator_id && (await canTakeOver(tx, desk, at))) return { target: desk, fellBack: t.successor_operator_id !== null };
  throw new ShomeiError('conflict', `No operator can take over from ${t.operator_id}: the successor and the CA's own reseller desk are unavailable; designate the CA desk`);
}

/**
 * Apply one due termination in one transaction. Compare-and-set on the
 * termination's status (scheduled → effective) makes it idempotent: a second
 * run, or another instance, finds it done and returns null.
 */
export async function applyTermination(d: RegistryDeps, t: OperatorTerminationRow): Promise<TransferOutcome | null> {
  const now = d.clock.now();
  if (Date.parse(t.effective_at) > now.getTime()) return null;
  const nowIso = now.toISOString();
  const actor = actorString(TERMINATION_ACTOR);
  return d.sa.transaction(async (tx) => {
    const departed = await tx.getOperator(t.operator_id);
    if (!departed) throw new ShomeiError('notFound', `Operator ${t.operator_id} of termination ${t.id} is missing`);
    const { target, fellBack } = await resolveTarget(tx, t, now);
    if (!(await tx.markOperatorTerminationEffective(t.id, { transferredAt: nowIso, transferredTo: target.id, summary: '{}' }))) return null;
    const move = { terminationId: t.id, from: departed.id, to: target.id };

    const live = await tx.listLiveUsageFqdnsOfOperator(departed.id);
    const subscriberIds = [...new Set(live.map((u) => u.subscriber_id))];
    let subscribers = 0;
    let certificates = 0;
    const moved: string[] = [];
    for (const id of subscriberIds) {
      if (!(await tx.moveSubscriberOperator(id, departed.id, target.id, nowIso))) continue;
      subscribers += 1;
      moved.push(id);
      certificates += await tx.countLiveCertificatesOfSubscriber(id, nowIso);
      await tx.appendAudit({
        at: nowIso,
        actor,
        action: 'subscriber.transferred',
        objectType: 'subscriber',
        objectId: id,
        details: { terminationId: t.id, before: { operatorId: departed.id }, after: { operatorId: target.id } },
      });
    }
    let usageFqdns = 0;
    for (const u of live) {
      if (!(await tx.moveUsageFqdnOperator(u.id, departed.id, target.id, nowIso))) continue;
      usageFqdns += 1;
      await tx.appendAudit({
        at: nowIso,
        actor,
        action: 'usage-fqdn.transferred',
        objectType: 'usage-fqdn',
        objectId: u.id,
        details: { terminationId: t.id, fqdn: u.fqdn, subscriberId: u.subscriber_id, status: u.status, before: { operatorId: departed.id }, after: { operatorId: target.id } },
      });
    }

    await tx.updateOperator(departed.id, { status: 'terminated' }, nowIso);
    const summary: TransferSummary = { transferredTo: target.id, transferredToName: target.name, fellBackToCaDesk: fellBack, usageFqdns, subscribers, certificates };
    await tx.setOperatorTerminationSummary(t.id, JSON.stringify(summary));
    await tx.appendAudit({
      at: nowIso,
      actor,
      action: 'operator.termination-effective',
      objectType: 'operator',
      objectId: departed.id,
      details: { ...move, effectiveAt: t.effective_at, before: { status: departed.status }, after: { status: 'terminated' }, summary },
    });
    await recordNotification(tx, {
      kind: 'operator.termination-effective',
      operatorId: departed.id,
      subjectType: 'operator-termination',
      subjectId: t.id,
      // The moved subscribers hear of it directly (AR 18); they no longer belong to the departed operator.
      payload: { terminationId: t.id, operatorName: departed.name, effectiveAt: t.effective_at, transferredToName: target.name, usageFqdns, subscribers, certificates, transferredSubscriberIds: moved },
      atIso: nowIso,
    });
    await recordNotification(tx, {
      kind: 'operator.handover-received',
      operatorId: target.id,
      subjectType: 'operator-termination',
      subjectId: t.id,
      payload: { fromOperatorName: departed.name, usageFqdns, subscribers, certificates },
      atIso: nowIso,
    });
    return { terminationId: t.id, operatorId: departed.id, ...summary };
  });
}

export interface TerminationRunReport {
  transferred: TransferOutcome[];
  /** Terminations that could not be applied (no operator to take over); retried on the next run. */
  failed: { terminationId: string; operatorId: string; error: string }[];
}

/** Every termination whose effective instant has come, oldest first; one failing does not hold up the others. */
export async function applyDueTerminations(d: RegistryDeps): Promise<TerminationRunReport> {
  const out: TerminationRunReport = { transferred: [], failed: [] };
  for (const t of await d.sa.repos.listDueOperatorTerminations(d.clock.now().toISOString())) {
    try {
      const r = await applyTermination(d, t);
      if (r) out.transferred.push(r);
    } catch (e) {
      const error = e instanceof ShomeiError ? e.detail : (e as Error).message;
      d.logger.error({ err: e, terminationId: t.id, operatorId: t.operator_id }, 'termination transfer failed');
      out.failed.push({ terminationId: t.id, operatorId: t.operator_id, error });
    }
  }
  return out;
}
