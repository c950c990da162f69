import type { OperatorRow } from '../sa/index.js';
import { installNotificationPolicy } from '../notify/outbox.js';
import { authenticateAdmin, createAdminToken, listAdminTokens, revokeAdminToken } from './admin-tokens.js';
import { applyForUsageFqdn, type ApplicationInput } from './applications.js';
import { getManagedCertificate, listManagedCertificates, revokeManagedCertificate } from './certificates.js';
import { declareCompromised, issueCredentials, listCredentials, revokeCredentials } from './credentials.js';
import { authenticateOperator, issueOperatorApiKey, listOperatorApiKeys, revokeOperatorApiKey } from './operator-keys.js';
import { designateOperator, getOperator, listOperators, recordPayment, updateOperator, type DesignateOperatorInput } from './operators.js';
import { buildStatement } from './statements.js';
import { buildOperatorReport } from './operator-report.js';
import { cancelMaintenance, emergencyStop, endMaintenance, getMaintenance, listMaintenance, resumeService, scheduleMaintenance } from './maintenance.js';
import { currentPolicyDocuments, listPolicyDocuments, listSubscriberConsents, publishPolicyDocument } from './policy-documents.js';
import { createSubscriber, getSubscriber, listSubscribers, updateSubscriber, type SubscriberInput } from './subscribers.js';
import { processUsageDay } from './usage-lifecycle.js';
import { changeContinuationPeriod, fileTerminationNotice, getUsageFqdn, listUsageFqdns, withdrawTerminationNotice } from './usage-fqdns.js';
import { buildHandoverPackage } from './handover-package.js';
import { createHandoverDemand, getTermination, lapseHandoverDemands, listHandoverDemands, markHandoverDemandFulfilled, terminateOperator } from './terminations.js';
import { applyDueTerminations } from './transfers.js';
import { listContactAttempts, recordContactAttempt } from './contact-attempts.js';
import { issueCorrectionNotice, listCorrectionNotices, resolveCorrectionNotice } from './correction-notices.js';
import { listOperatorStandings, listSuspensions, liftSuspension, operatorStanding, suspendImmediately, suspendOperator } from './suspensions.js';
import type { Actor, RegistryDeps } from './types.js';

type Scope = string | undefined;
type ListQuery = { cursor?: string | undefined; limit?: number | undefined };

/**
 * The agency channel (SPEC §3–§5, §9): operators, their keys, subscribers,
 * ACME credentials, usage FQDNs and their lifecycle, fees. Front ends (the
 * operator API, the admin API and CLI) call it. `scope` is the operator the
 * caller acts as — its own records only; `undefined` means CA staff (all).
 */
export class Registry {
  constructor(readonly deps: RegistryDeps) {
    installNotificationPolicy(deps.config.notifications); // recipients of recordNotification (src/notify/outbox.ts)
  }

  // Operators (admin)
  designateOperator = (input: DesignateOperatorInput, actor: Actor) => designateOperator(this.deps, input, actor);
  updateOperator = (id: string, input: DesignateOperatorInput, actor: Actor) => updateOperator(this.deps, id, input, actor);
  getOperator = (id: string) => getOperator(this.deps, id);
  listOperators = () => listOperators(this.deps);
  recordPayment = (operatorId: string, input: { amount?: unknown; receivedOn?: unknown; reference?: unknown }, actor: Actor) => recordPayment(this.deps, operatorId, input, actor);
  issueOperatorApiKey = (operatorId: string, input: { label?: unknown; allowedCidrs?: unknown; clientCertSha256?: unknown }, actor: Actor) =>
    issueOperatorApiKey(this.deps, operatorId, input, actor);
  listOperatorApiKeys = (operatorId: string) => listOperatorApiKeys(this.deps, operatorId);
  revokeOperatorApiKey = (operatorId: string, keyId: string, actor: Actor) => revokeOperatorApiKey(this.deps, operatorId, keyId, actor);
  authenticateOperator = (req: { token: string | undefined; remoteAddress: string; clientCertSha256: string | null }) => authenticateOperator(this.deps, req);

  // Admin tokens
  createAdminToken = (input: { name?: unknown }, actor: Actor) => createAdminToken(this.deps, input, actor);
  listAdminTokens = () => listAdminTokens(this.deps);
  revokeAdminToken = (id: string, actor: Actor) => revokeAdminToken(this.deps, id, actor);
  authenticateAdmin = (token: string | undefined) => authenticateAdmin(this.deps, token);

  // Subscribers and their ACME credentials
  createSubscriber = (operatorId: string, input: SubscriberInput, actor: Actor) => createSubscriber(this.deps, operatorId, input, actor);
  updateSubscriber = (scope: Scope, id: string, input: SubscriberInput, actor: Actor) => updateSubscriber(this.deps, scope, id, input, actor);
  getSubscriber = (scope: Scope, id: string) => getSubscriber(this.deps, scope, id);
  listSubscribers = (scope: Scope, q: ListQuery) => listSubscribers(this.deps, scope, q);
  issueCredentials = (scope: Scope, subscriberId: string, input: { label?: unknown }, actor: Actor) => issueCredentials(this.deps, scope, subscriberId, input, actor);
  listCredentials = (scope: Scope, subscriberId: string) => listCredentials(this.deps, scope, subscriberId);
  revokeCredentials = (scope: Scope, subscriberId: string | undefined, kid: string, actor: Actor) => revokeCredentials(this.deps, scope, subscriberId, kid, actor);
  declareCompromised = (kid: string, actor: Actor) => declareCompromised(this.deps, kid, actor);

  // Usage FQDNs
  applyForUsageFqdn = (operator: OperatorRow, input: ApplicationInput, actor: Actor) => applyForUsageFqdn(this.deps, operator, input, actor);
  getUsageFqdn = (scope: Scope, id: string) => getUsageFqdn(this.deps, scope, id);
  listUsageFqdns = (scope: Scope, q: ListQuery & { subscriberId?: string | undefined; status?: string | undefined }) => listUsageFqdns(this.deps, scope, q);
  fileTerminationNotice = (scope: Scope, id: string, input: { unavoidable?: unknown; note?: unknown }, actor: Actor) => fileTerminationNotice(this.deps, scope, id, input, actor);
  withdrawTerminationNotice = (scope: Scope, id: string, actor: Actor) => withdrawTerminationNotice(this.deps, scope, id, actor);
  changeContinuationPeriod = (scope: Scope, id: string, input: { continuationPeriod?: unknown }, actor: Actor) => changeContinuationPeriod(this.deps, scope, id, input, actor);
  processUsageDay = (day: string) => processUsageDay(this.deps, day);

  // Certificates and fees
  listCertificates = (scope: Scope, q: ListQuery & { subscriberId?: string | undefined; usageFqdnId?: string | undefined }) => listManagedCertificates(this.deps, scope, q);
  getCertificate = (scope: Scope, serial: string) => getManagedCertificate(this.deps, scope, serial);
  revokeCertificate = (scope: Scope, serial: string, input: { reason?: unknown }, actor: Actor) => revokeManagedCertificate(this.deps, scope, serial, input, actor);
  statement = (operatorId: string, month: string) => buildStatement(this.deps, operatorId, month);

  // Operator governance (AR 16–17): contact attempts, correction notices, suspensions, standing
  recordContactAttempt = (operatorId: string, input: { attemptedAt?: unknown; method?: unknown; outcome?: unknown; note?: unknown }, actor: Actor) => recordContactAttempt(this.deps, operatorId, input, actor);
  listContactAttempts = (operatorId: string) => listContactAttempts(this.deps, operatorId);
  issueCorrectionNotice = (operatorId: string, input: { ground?: unknown; detail?: unknown; correctionDays?: unknown }, actor: Actor) => issueCorrectionNotice(this.deps, operatorId, input, actor);
  listCorrectionNotices = (q: { operatorId?: string | undefined; status?: string | undefined }) => listCorrectionNotices(this.deps, q);
  resolveCorrectionNotice = (operatorId: string, noticeId: string, resolution: 'corrected' | 'withdrawn', input: { note?: unknown }, actor: Actor) => resolveCorrectionNotice(this.deps, operatorId, noticeId, resolution, input, actor);
  suspendOperator = (operatorId: string, input: { startsAt?: unknown; endsAt?: unknown; reason?: unknown; noticeId?: unknown }, actor: Actor) => suspendOperator(this.deps, operatorId, input, actor);
  suspendImmediately = (operatorId: string, input: { reason?: unknown }, actor: Actor) => suspendImmediately(this.deps, operatorId, input, actor);
  liftSuspension = (operatorId: string, suspensionId: string, input: { note?: unknown }, actor: Actor) => liftSuspension(this.deps, operatorId, suspensionId, input, actor);
  listSuspensions = (operatorId: string) => listSuspensions(this.deps, operatorId);
  operatorStanding = (operatorId: string) => operatorStanding(this.deps, operatorId);
  listOperatorStandings = (q: { unreachable?: boolean | undefined; suspended?: boolean | undefined }) => listOperatorStandings(this.deps, q);

  // Contract termination and hand-over (AR 19, AT 7)
  terminateOperator = (operatorId: string, input: { effectiveAt?: unknown; reason?: unknown; successorOperatorId?: unknown }, actor: Actor) => terminateOperator(this.deps, operatorId, input, actor);
  getTermination = (operatorId: string) => getTermination(this.deps, operatorId);
  createHandoverDemand = (operatorId: string, input: { deadline?: unknown; items?: unknown }, actor: Actor) => createHandoverDemand(this.deps, operatorId, input, actor);
  listHandoverDemands = (operatorId: string) => listHandoverDemands(this.deps, operatorId);
  markHandoverDemandFulfilled = (operatorId: string, demandId: string, actor: Actor) => markHandoverDemandFulfilled(this.deps, operatorId, demandId, actor);
  lapseHandoverDemands = (day: string) => lapseHandoverDemands(this.deps, day, { kind: 'system', job: 'termination' });
  applyDueTerminations = () => applyDueTerminations(this.deps);
  buildHandoverPackage = (operatorId: string, actor: Actor) => buildHandoverPackage(this.deps, operatorId, actor);
  operatorReport = (operatorId: string, from: unknown, to: unknown) => buildOperatorReport(this.deps, operatorId, from, to);

  // Maintenance windows, emergency stops (AT 18) and policy document versions (AT 21)
  scheduleMaintenance = (input: { reason?: unknown; startsAt?: unknown; endsAt?: unknown }, actor: Actor) => scheduleMaintenance(this.deps, input, actor);
  cancelMaintenance = (id: string, actor: Actor) => cancelMaintenance(this.deps, id, actor);
  endMaintenance = (id: string, actor: Actor) => endMaintenance(this.deps, id, actor);
  emergencyStop = (input: { reason?: unknown; endsAt?: unknown }, actor: Actor) => emergencyStop(this.deps, input, actor);
  resumeService = (actor: Actor) => resumeService(this.deps, actor);
  listMaintenance = (q: { state?: string | undefined } = {}) => listMaintenance(this.deps, q);
  getMaintenance = (id: string) => getMaintenance(this.deps, id);
  publishPolicyDocument = (input: { kind?: unknown; version?: unknown; url?: unknown; sha256?: unknown; effectiveAt?: unknown }, actor: Actor) => publishPolicyDocument(this.deps, input, actor);
  listPolicyDocuments = (q: { kind?: string | undefined } = {}) => listPolicyDocuments(this.deps, q);
  currentPolicyDocuments = () => currentPolicyDocuments(this.deps);
  listSubscriberConsents = (scope: Scope, subscriberId: string) => listSubscriberConsents(this.deps, scope, subscriberId);
}
