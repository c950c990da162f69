import type { OperatorRow } from '../sa/index.js';
import { authenticateAdmin, createAdminToken, listAdminTokens, revokeAdminToken } from './admin-tokens.js';
import { applyForUsageFqdn, type ApplicationInput } from './applications.js';
import { getManagedCertificate, listManagedCertificates, revokeManagedCertificate } from './certificates.js';
import { declareCompromised, issueCredentials, listCredentials, revokeCredentials } from './credentials.js';
import { authenticateOperator, issueOperatorApiKey, listOperatorApiKeys, revokeOperatorApiKey } from './operator-keys.js';
import { designateOperator, getOperator, listOperators, recordPayment, updateOperator, type DesignateOperatorInput } from './operators.js';
import { buildStatement } from './statements.js';
import { createSubscriber, getSubscriber, listSubscribers, updateSubscriber, type SubscriberInput } from './subscribers.js';
import { processUsageDay } from './usage-lifecycle.js';
import { changeContinuationPeriod, fileTerminationNotice, getUsageFqdn, listUsageFqdns, withdrawTerminationNotice } from './usage-fqdns.js';
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
  constructor(readonly deps: RegistryDeps) {}

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
}
