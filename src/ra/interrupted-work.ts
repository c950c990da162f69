import type { AuthorizationRow, ChallengeRow, OrderRow } from '../sa/index.js';
import type { StoredError } from './challenges.js';
import type { RaDeps } from './types.js';

/**
 * Validation and issuance run inside one instance; if it dies (crash, kill,
 * power loss) the challenge or order it was working on stays `processing`.
 * After this long — far beyond any validation (redirects × timeouts) or
 * signing — such work is taken as interrupted and fails cleanly, so clients
 * stop polling and start over instead of waiting forever.
 */
export const INTERRUPTED_AFTER_MS = 10 * 60_000;

function isStale(since: string | null, now: Date): boolean {
  return since !== null && new Date(since).getTime() + INTERRUPTED_AFTER_MS <= now.getTime();
}

/** Fail an order stuck in `processing`; true when this call failed it. */
export async function failInterruptedOrder(d: RaDeps, order: OrderRow): Promise<boolean> {
  const now = d.clock.now();
  if (order.status !== 'processing' || !isStale(order.updated_at, now)) return false;
  const error: StoredError = { kind: 'serverInternal', detail: 'Issuance was interrupted; please create a new order' };
  return d.sa.transaction(async (tx) => {
    const done = await tx.transitionOrder(order.id, ['processing'], { status: 'invalid', error: JSON.stringify(error) }, now.toISOString());
    if (done) {
      await tx.appendAudit({ at: now.toISOString(), actor: 'system', action: 'order.interrupted', objectType: 'order', objectId: order.id });
    }
    return done;
  });
}

/** Fail the authorization of a challenge stuck in `processing`; true when this call failed it. */
export async function failInterruptedChallenge(d: RaDeps, ch: ChallengeRow, authz: AuthorizationRow): Promise<boolean> {
  const now = d.clock.now();
  if (ch.status !== 'processing' || !isStale(ch.processing_since, now)) return false;
  const error: StoredError = { kind: 'serverInternal', detail: 'Validation was interrupted; please create a new order' };
  return d.sa.transaction(async (tx) => {
    const done = await tx.transitionChallenge(ch.id, 'processing', { status: 'invalid', error: JSON.stringify(error) });
    if (done) {
      await tx.transitionAuthorization(authz.id, ['pending'], { status: 'invalid' });
      await tx.appendAudit({ at: now.toISOString(), actor: 'system', action: 'authorization.interrupted', objectType: 'authorization', objectId: authz.id });
    }
    return done;
  });
}
