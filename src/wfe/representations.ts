import type { AccountRow, ChallengeRow } from '../sa/index.js';
import type { AuthorizationView } from '../ra/challenges.js';
import type { OrderView } from '../ra/orders.js';
import { orderNames } from '../ra/orders.js';
import { storedProblem } from './problem.js';
import type { AcmeUrls } from './urls.js';

/** RFC 8555 §7.1.2 account object. */
export function accountJson(a: AccountRow, urls: AcmeUrls) {
  return {
    status: a.status,
    contact: JSON.parse(a.contact) as string[],
    termsOfServiceAgreed: a.tos_agreed === 1,
    orders: urls.accountOrders(a.id),
    createdAt: a.created_at,
  };
}

/** RFC 8555 §7.1.3 order object. */
export function orderJson(v: OrderView, urls: AcmeUrls) {
  const o = v.order;
  const error = storedProblem(o.error);
  return {
    status: v.status,
    expires: o.expires_at,
    identifiers: orderNames(o).map((value) => ({ type: 'dns', value })),
    authorizations: v.authorizations.map((a) => urls.authz(a.id)),
    finalize: urls.finalize(o.id),
    ...(o.not_before !== null ? { notBefore: o.not_before } : {}),
    ...(o.not_after !== null ? { notAfter: o.not_after } : {}),
    ...(error ? { error } : {}),
    // RFC 9773 §5: an accepted `replaces` is reflected in the order object.
    ...(o.replaces !== null ? { replaces: o.replaces } : {}),
    ...(v.status === 'valid' && o.certificate_serial !== null ? { certificate: urls.certificate(o.certificate_serial) } : {}),
  };
}

/** RFC 8555 §8 challenge object. */
export function challengeJson(c: ChallengeRow, urls: AcmeUrls) {
  const error = storedProblem(c.error);
  return {
    type: c.type,
    url: urls.challenge(c.id),
    status: c.status,
    token: c.token,
    ...(c.validated_at !== null ? { validated: c.validated_at } : {}),
    ...(error ? { error } : {}),
  };
}

/** RFC 8555 §7.1.4 authorization object: wildcard orders get the base name and `wildcard: true`. */
export function authorizationJson(v: AuthorizationView, urls: AcmeUrls) {
  const a = v.authz;
  // Once valid, only the challenge that succeeded is listed (as Boulder does).
  const challenges = v.status === 'valid' ? v.challenges.filter((c) => c.status === 'valid') : v.challenges;
  return {
    identifier: { type: 'dns', value: a.identifier },
    status: v.status,
    expires: a.expires_at,
    challenges: challenges.map((c) => challengeJson(c, urls)),
    ...(a.wildcard === 1 ? { wildcard: true } : {}),
  };
}
