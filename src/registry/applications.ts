import { ShomeiError } from '../core/errors.js';
import { randomId } from '../core/ids.js';
import type { ConsentRecordRow, OperatorRow, UsageFqdnRow } from '../sa/index.js';
import { screenUsageFqdn, type ScreeningReason } from './screening/index.js';
import { checkText } from './contacts.js';
import { recordNotification } from './notifications.js';
import { checkConsentVersions } from './policy-documents.js';
import { refuseApplicationWhileSuspended } from './suspension-effects.js';
import { loadSubscriber } from './subscribers.js';
import { isUsagePeriod, type UsagePeriod } from './usage-period.js';
import { usageFqdnView, type UsageFqdnView } from './usage-fqdn-view.js';
import { actorString, type Actor, type RegistryDeps } from './types.js';

/** How the operator confirmed the subscriber's consent (AR 10). */
export const CONFIRMATION_METHODS = ['online-form', 'electronic-contract', 'email', 'paper', 'other'] as const;

export interface ApplicationInput {
  subscriberId?: unknown;
  fqdn?: unknown;
  period?: unknown;
  consent?: unknown;
}

/** A screening reason, or `duplicate` (a live registration of the same FQDN for the subscriber). */
export type ApplicationReason = ScreeningReason | { code: 'duplicate'; detail: string };

export interface ApplicationDecision {
  applicationId: string;
  decision: 'accepted' | 'refused';
  reasons: ApplicationReason[];
  usageFqdn: UsageFqdnView | null;
}

function checkInstant(v: unknown, field: string): string {
  if (typeof v !== 'string' || Number.isNaN(Date.parse(v)) || !/^\d{4}-\d{2}-\d{2}T/.test(v)) {
    throw new ShomeiError('malformed', `${field} must be an RFC 3339 date-time`);
  }
  return new Date(v).toISOString();
}

/** AR 10: the versions of the terms, CP/CPS and CT foreign-provision disclosure agreed to, when, and how confirmed. */
function checkConsent(v: unknown, nowIso: string): Omit<ConsentRecordRow, 'id' | 'subscriber_id' | 'operator_id' | 'recorded_at'> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new ShomeiError('malformed', 'consent is required: { termsVersion, cpsVersion, ctDisclosureVersion, agreedAt, confirmationMethod }');
  }
  const c = v as Record<string, unknown>;
  const agreedAt = checkInstant(c['agreedAt'], 'consent.agreedAt');
  if (agreedAt > nowIso) throw new ShomeiError('malformed', 'consent.agreedAt lies in the future');
  const method = c['confirmationMethod'];
  if (typeof method !== 'string' || !(CONFIRMATION_METHODS as readonly string[]).includes(method)) {
    throw new ShomeiError('malformed', `consent.confirmationMethod must be one of ${CONFIRMATION_METHODS.join(', ')}`);
  }
  return {
    terms_version: checkText(c['termsVersion'], 'consent.termsVersion', { max: 64 }) as string,
    cps_version: checkText(c['cpsVersion'], 'consent.cpsVersion', { max: 64 }) as string,
    ct_disclosure_version: checkText(c['ctDisclosureVersion'], 'consent.ctDisclosureVersion', { max: 64 }) as string,
    agreed_at: agreedAt,
    confirmation_method: method,
    confirmation_reference: checkText(c['confirmationReference'], 'consent.confirmationReference', { max: 200, optional: true }),
  };
}

/**
 * SPEC §5.1 (AT 4, AT 5, AR 9–10): an operator applies for a usage FQDN for
 * one of its subscribers. Malformed requests are errors; a well-formed
 * application is screened and the decision — accepted or refused with
 * reasons — is stored with the consent record, audited and notified, in one
 * transaction, and returned.
 */
export async function applyForUsageFqdn(d: RegistryDeps, operator: OperatorRow, input: ApplicationInput, actor: Actor): Promise<ApplicationDecision> {
  await refuseApplicationWhileSuspended(d, operator, input.fqdn, actor); // SPEC §8, AR 16
  if (typeof input.subscriberId !== 'string') throw new ShomeiError('malformed', 'subscriberId is required');
  if (typeof input.fqdn !== 'string' || input.fqdn.length === 0 || input.fqdn.length > 1024) throw new ShomeiError('malformed', 'fqdn must be a non-empty string');
  if (!isUsagePeriod(input.period)) throw new ShomeiError('malformed', 'period must be "1m" or "1y"');
  const period: UsagePeriod = input.period;
  const nowIso = d.clock.now().toISOString();
  const consent = checkConsent(input.consent, nowIso);
  const subscriberId = input.subscriberId;
  const screening = screenUsageFqdn(input.fqdn, {
    tldAllowList: d.config.registry.tldAllowList,
    tldBlockList: d.config.registry.tldBlockList,
    blockedNames: d.config.policy.blockedNames,
    additionalTlds: d.config.policy.additionalTlds,
  });
  const fqdnInput = input.fqdn;
  return d.sa.transaction(async (tx) => {
    await loadSubscriber(tx, subscriberId, operator.id);
    await checkConsentVersions(tx, consent, nowIso);
    const reasons: ApplicationReason[] = [...screening.reasons];
    if (screening.fqdn !== null) {
      const live = await tx.listLiveUsageFqdnsOfSubscriber(subscriberId);
      const dup = live.find((u) => u.fqdn === screening.fqdn);
      if (dup) reasons.push({ code: 'duplicate', detail: `${dup.fqdn} is already registered for this subscriber (${dup.id}, ${dup.status})` });
    }
    const decision = reasons.length === 0 ? 'accepted' : 'refused';
    const consentRow: ConsentRecordRow = { id: `cons_${randomId(9)}`, subscriber_id: subscriberId, operator_id: operator.id, recorded_at: nowIso, ...consent };
    await tx.insertConsentRecord(consentRow);
    let usage: UsageFqdnRow | null = null;
    if (decision === 'accepted') {
      usage = {
        id: `fq_${randomId(9)}`,
        subscriber_id: subscriberId,
        operator_id: operator.id,
        fqdn: screening.fqdn as string,
        status: 'applied',
        period,
        continuation_period: period,
        applied_at: nowIso,
        start_date: null,
        expiry_date: null,
        termination_notice_at: null,
        termination_notice_by: null,
        ended_on: null,
        end_reason: null,
        ending_soon_notified_for: null,
        updated_at: nowIso,
      };
      await tx.insertUsageFqdn(usage);
    }
    const applicationId = `app_${randomId(9)}`;
    await tx.insertFqdnApplication({
      id: applicationId,
      operator_id: operator.id,
      subscriber_id: subscriberId,
      fqdn_input: fqdnInput,
      fqdn: screening.fqdn,
      period,
      decision,
      reasons: JSON.stringify(reasons),
      usage_fqdn_id: usage?.id ?? null,
      consent_id: consentRow.id,
      decided_at: nowIso,
    });
    await tx.appendAudit({
      at: nowIso,
      actor: actorString(actor),
      action: decision === 'accepted' ? 'usage-fqdn.applied' : 'usage-fqdn.refused',
      objectType: usage ? 'usage-fqdn' : 'application',
      objectId: usage?.id ?? applicationId,
      details: { application: applicationId, fqdn: screening.fqdn ?? fqdnInput, period, reasons, consent: consentRow.id },
    });
    await recordNotification(tx, {
      kind: decision === 'accepted' ? 'application.accepted' : 'application.refused',
      operatorId: operator.id,
      subscriberId,
      subjectType: 'application',
      subjectId: applicationId,
      payload: { fqdn: screening.fqdn ?? fqdnInput, period, reasons, usageFqdnId: usage?.id ?? null },
      atIso: nowIso,
    });
    return { applicationId, decision, reasons, usageFqdn: usage ? usageFqdnView(usage) : null };
  });
}
