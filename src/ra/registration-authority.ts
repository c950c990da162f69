import type { JWK } from 'jose';
import type { AccountRow } from '../sa/index.js';
import { changeAccountKey, createAccount, updateAccount, type NewAccountInput } from './accounts.js';
import { deactivateAuthorization, getAuthorization, getChallenge, respondToChallenge, type AuthorizationView } from './challenges.js';
import { finalizeOrder } from './finalize.js';
import { createOrder, getOrder } from './orders.js';
import { getRenewalInfo } from './renewal-info.js';
import { revokeCertificate, type RevocationAuthority } from './revocation.js';
import type { RaDeps } from './types.js';

/**
 * The registration authority: account, order, authorization and revocation
 * policy. Front ends (the ACME WFE now, the operator API later) call it; it
 * calls the VA, the CA and the SA.
 */
export class RegistrationAuthority {
  readonly #inflight = new Set<Promise<void>>();
  constructor(readonly deps: RaDeps) {}

  createAccount(input: NewAccountInput) {
    return createAccount(this.deps, input);
  }
  updateAccount(account: AccountRow, payload: { contact?: unknown; status?: unknown }) {
    return updateAccount(this.deps, account, payload);
  }
  changeAccountKey(account: AccountRow, newJwk: JWK) {
    return changeAccountKey(this.deps, account, newJwk);
  }
  createOrder(account: AccountRow, payload: { identifiers?: unknown; notBefore?: unknown; notAfter?: unknown; replaces?: unknown }) {
    return createOrder(this.deps, account, payload);
  }
  getOrder(orderId: string, accountId: string) {
    return getOrder(this.deps, orderId, accountId);
  }
  finalizeOrder(account: AccountRow, orderId: string, payload: { csr?: unknown }) {
    return finalizeOrder(this.deps, account, orderId, payload, (p) => this.#track(p));
  }
  getAuthorization(id: string, accountId: string) {
    return getAuthorization(this.deps, id, accountId);
  }
  deactivateAuthorization(view: AuthorizationView, account: AccountRow) {
    return deactivateAuthorization(this.deps, view, account);
  }
  getChallenge(id: string, accountId: string) {
    return getChallenge(this.deps, id, accountId);
  }
  respondToChallenge(account: AccountRow, challengeId: string) {
    return respondToChallenge(this.deps, account, challengeId, (p) => this.#track(p));
  }
  /** RFC 9773 §4.2: renewal information of the certificate a CertID names. */
  getRenewalInfo(certId: string) {
    return getRenewalInfo(this.deps, certId);
  }
  revokeCertificate(payload: { certificate?: unknown; reason?: unknown }, who: RevocationAuthority) {
    return revokeCertificate(this.deps, payload, who);
  }

  /** Wait for background validations (graceful shutdown, tests). */
  async drain(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight]);
  }

  #track(p: Promise<void>): void {
    const wrapped = p.catch((err: unknown) => this.deps.logger.error({ err }, 'background validation failed'));
    this.#inflight.add(wrapped);
    void wrapped.finally(() => this.#inflight.delete(wrapped));
  }
}
