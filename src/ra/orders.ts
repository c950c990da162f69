import { ShomeiError } from '../core/errors.js';
import { randomId } from '../core/ids.js';
import { baseDomain, isWildcard } from '../core/identifiers.js';
import { brMaxDcvReuseDays } from '../config/schema.js';
import type { AccountRow, AuthorizationRow, ChallengeRow, OrderRow } from '../sa/index.js';
import { checkOrderIdentifiers } from './identifier-policy.js';
import { orderStatus, type OrderStatus } from './status.js';
import { failInterruptedOrder } from './interrupted-work.js';
import { checkReplacement, parseReplacesField } from './replaces.js';
import { checkOrderNamesForAccount } from './subscriber-policy.js';
import type { RaDeps } from './types.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export interface OrderView {
  order: OrderRow;
  status: OrderStatus;
  authorizations: AuthorizationRow[];
}

/** How long a validated authorization stays reusable: the setting, capped by BR §4.2.1. */
export function authzReuseMs(d: RaDeps, now: Date): number {
  return Math.min(d.config.acme.authzReuseDays, brMaxDcvReuseDays(now)) * DAY;
}

/** RFC 8555 §8: challenges offered for an identifier; wildcards only by dns-01 (BR 3.2.2.4.7). */
export function challengeTypesFor(wildcard: boolean): ChallengeRow['type'][] {
  return wildcard ? ['dns-01'] : ['http-01', 'dns-01', 'tls-alpn-01'];
}

function newAuthorization(accountId: string, name: string, now: Date, expires: Date) {
  const wildcard = isWildcard(name);
  const authz: AuthorizationRow = {
    id: randomId(12),
    account_id: accountId,
    identifier: baseDomain(name),
    wildcard: wildcard ? 1 : 0,
    status: 'pending',
    expires_at: expires.toISOString(),
    created_at: now.toISOString(),
    validated_at: null,
    validated_method: null,
  };
  // RFC 8555 §8.1 / BR 3.2.2.4.7: tokens carry 128 bits of CSPRNG entropy, one per challenge.
  const challenges: ChallengeRow[] = challengeTypesFor(wildcard).map((type) => ({
    id: randomId(12),
    authz_id: authz.id,
    type,
    token: randomId(16),
    status: 'pending',
    processing_since: null,
    validated_at: null,
    error: null,
    records: null,
  }));
  return { authz, challenges };
}

/** RFC 8555 §7.4: create an order, reusing the account's live authorizations. */
export async function createOrder(
  d: RaDeps,
  account: AccountRow,
  payload: { identifiers?: unknown; notBefore?: unknown; notAfter?: unknown; replaces?: unknown },
): Promise<OrderView> {
  if (payload.notBefore !== undefined || payload.notAfter !== undefined) {
    throw new ShomeiError('malformed', 'notBefore and notAfter are not supported; validity is set by the CA profile');
  }
  const names = checkOrderIdentifiers(payload.identifiers, { additionalTlds: d.config.policy.additionalTlds, blockedNames: d.config.policy.blockedNames });
  const replaces = parseReplacesField(payload.replaces);
  const now = d.clock.now();
  let expires = new Date(now.getTime() + d.config.acme.orderLifetimeHours * HOUR);
  const validMinExpires = new Date(now.getTime() + DAY);
  return d.sa.transaction(async (tx) => {
    await checkOrderNamesForAccount(d, tx, account, names);
    if (replaces !== undefined) await checkReplacement(tx, { account, names, certId: replaces, now, dialect: d.sa.dialect });
    const authzs: AuthorizationRow[] = [];
    const fresh: ReturnType<typeof newAuthorization>[] = [];
    for (const name of names) {
      const reuse = await tx.findReusableAuthorization({
        accountId: account.id,
        identifier: baseDomain(name),
        wildcard: isWildcard(name),
        nowIso: now.toISOString(),
        validMinExpiresIso: validMinExpires.toISOString(),
      });
      if (reuse) {
        authzs.push(reuse);
        continue;
      }
      const n = newAuthorization(account.id, name, now, expires);
      fresh.push(n);
      authzs.push(n.authz);
    }
    // The order cannot outlive any of its authorizations.
    for (const a of authzs) if (new Date(a.expires_at) < expires) expires = new Date(a.expires_at);
    const order: OrderRow = {
      id: randomId(12),
      account_id: account.id,
      status: 'pending',
      expires_at: expires.toISOString(),
      identifiers: JSON.stringify(names),
      not_before: null,
      not_after: null,
      error: null,
      certificate_serial: null,
      replaces: replaces ?? null,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    };
    for (const n of fresh) await tx.insertAuthorization(n.authz);
    await tx.insertChallenges(fresh.flatMap((n) => n.challenges));
    await tx.insertOrder(order);
    await tx.linkOrderAuthorizations(authzs.map((a, i) => ({ order_id: order.id, authz_id: a.id, position: i })));
    await tx.appendAudit({
      at: now.toISOString(),
      actor: `account:${account.id}`,
      action: 'order.created',
      objectType: 'order',
      objectId: order.id,
      details: { names, reusedAuthorizations: authzs.length - fresh.length, ...(replaces !== undefined ? { replaces } : {}) },
    });
    return { order, status: orderStatus(order, authzs, now), authorizations: authzs };
  });
}

/** Load an order the account owns; anyone else's order is simply not found. */
export async function getOrder(d: RaDeps, orderId: string, accountId?: string): Promise<OrderView> {
  let order = await d.sa.repos.getOrder(orderId);
  if (!order || (accountId !== undefined && order.account_id !== accountId)) {
    throw new ShomeiError('notFound', 'No such order');
  }
  if (await failInterruptedOrder(d, order)) order = (await d.sa.repos.getOrder(orderId)) ?? order;
  const authorizations = await d.sa.repos.getAuthorizationsForOrder(order.id);
  return { order, status: orderStatus(order, authorizations, d.clock.now()), authorizations };
}

export function orderNames(order: OrderRow): string[] {
  return JSON.parse(order.identifiers) as string[];
}
