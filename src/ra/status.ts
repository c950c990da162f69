import type { AuthorizationRow, OrderRow } from '../sa/index.js';

export type AuthzStatus = AuthorizationRow['status'] | 'expired';
export type OrderStatus = OrderRow['status'];

/** RFC 8555 §7.1.6: a pending or valid authorization past its expiry is `expired`. */
export function authorizationStatus(a: AuthorizationRow, now: Date): AuthzStatus {
  if ((a.status === 'pending' || a.status === 'valid') && a.expires_at <= now.toISOString()) return 'expired';
  return a.status;
}

/**
 * RFC 8555 §7.1.6 order state machine. The stored status is authoritative for
 * processing/valid/invalid; pending vs ready vs invalid is derived from the
 * order's expiry and its authorizations.
 */
export function orderStatus(o: OrderRow, authzs: AuthorizationRow[], now: Date): OrderStatus {
  if (o.status === 'processing' || o.status === 'valid' || o.status === 'invalid') return o.status;
  if (o.expires_at <= now.toISOString()) return 'invalid';
  let allValid = true;
  for (const a of authzs) {
    const s = authorizationStatus(a, now);
    if (s === 'invalid' || s === 'deactivated' || s === 'revoked' || s === 'expired') return 'invalid';
    if (s !== 'valid') allValid = false;
  }
  return allValid && authzs.length > 0 ? 'ready' : 'pending';
}
