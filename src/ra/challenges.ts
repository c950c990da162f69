import type { JWK } from 'jose';
import { ShomeiError, isShomeiError } from '../core/errors.js';
import type { AccountRow, AuthorizationRow, ChallengeRow } from '../sa/index.js';
import { authorizationStatus, type AuthzStatus } from './status.js';
import { authzReuseMs } from './orders.js';
import { thumbprint } from './accounts.js';
import { failInterruptedChallenge } from './interrupted-work.js';
import type { RaDeps } from './types.js';

export interface AuthorizationView {
  authz: AuthorizationRow;
  status: AuthzStatus;
  challenges: ChallengeRow[];
}

/** The error stored on a failed challenge (turned into a problem document by the WFE). */
export interface StoredError {
  kind: ShomeiError['kind'];
  detail: string;
}

export async function getAuthorization(d: RaDeps, id: string, accountId: string): Promise<AuthorizationView> {
  let authz = await d.sa.repos.getAuthorization(id);
  if (!authz || authz.account_id !== accountId) throw new ShomeiError('notFound', 'No such authorization');
  let challenges = await d.sa.repos.getChallengesForAuthorizations([authz.id]);
  const stuck = challenges.find((c) => c.status === 'processing');
  if (stuck && (await failInterruptedChallenge(d, stuck, authz))) {
    authz = (await d.sa.repos.getAuthorization(id)) ?? authz;
    challenges = await d.sa.repos.getChallengesForAuthorizations([authz.id]);
  }
  return { authz, status: authorizationStatus(authz, d.clock.now()), challenges };
}

/** A challenge of the account, failing it first if its validation was interrupted. */
export async function getChallenge(d: RaDeps, id: string, accountId: string): Promise<{ challenge: ChallengeRow; authz: AuthorizationRow }> {
  const challenge = await d.sa.repos.getChallenge(id);
  const authz = challenge ? await d.sa.repos.getAuthorization(challenge.authz_id) : undefined;
  if (!challenge || !authz || authz.account_id !== accountId) throw new ShomeiError('notFound', 'No such challenge');
  if (await failInterruptedChallenge(d, challenge, authz)) {
    return { challenge: (await d.sa.repos.getChallenge(id)) ?? challenge, authz };
  }
  return { challenge, authz };
}

/** RFC 8555 §7.5.2: the client deactivates an authorization it holds. */
export async function deactivateAuthorization(d: RaDeps, view: AuthorizationView, account: AccountRow): Promise<AuthorizationView> {
  if (view.status !== 'pending' && view.status !== 'valid') {
    throw new ShomeiError('malformed', `an authorization in state "${view.status}" cannot be deactivated`);
  }
  const now = d.clock.now().toISOString();
  await d.sa.transaction(async (tx) => {
    await tx.transitionAuthorization(view.authz.id, ['pending', 'valid'], { status: 'deactivated' });
    await tx.appendAudit({
      at: now,
      actor: `account:${account.id}`,
      channel: 'acme',
      action: 'authorization.deactivated',
      objectType: 'authorization',
      objectId: view.authz.id,
    });
  });
  return getAuthorization(d, view.authz.id, account.id);
}

export async function keyAuthorization(token: string, jwk: JWK): Promise<string> {
  return `${token}.${await thumbprint(jwk)}`;
}

/**
 * RFC 8555 §7.5.1: the client says a challenge is ready. Moves it to
 * `processing` (once — a compare-and-set) and validates in the background.
 * Returns the challenge id whose state the caller should report.
 */
export async function respondToChallenge(
  d: RaDeps,
  account: AccountRow,
  challengeId: string,
  track: (p: Promise<void>) => void,
): Promise<{ challenge: ChallengeRow; authz: AuthorizationRow }> {
  const { challenge, authz } = await getChallenge(d, challengeId, account.id);
  const status = authorizationStatus(authz, d.clock.now());
  // An answer to a challenge of a finished authorization changes nothing (RFC 8555 §7.5.1).
  if (status !== 'pending' || challenge.status !== 'pending') return { challenge, authz };
  const nowIso = d.clock.now().toISOString();
  // SPEC §11: the account's request to validate is audited with the move to processing.
  const moved = await d.sa.transaction(async (tx) => {
    if (!(await tx.transitionChallenge(challenge.id, 'pending', { status: 'processing', processing_since: nowIso }))) return false;
    await tx.appendAudit({ at: nowIso, actor: `account:${account.id}`, channel: 'acme', action: 'challenge.processing', objectType: 'authorization', objectId: authz.id, details: { challenge: challenge.id, type: challenge.type } });
    return true;
  });
  if (moved) track(runValidation(d, account, authz, challenge));
  const fresh = await d.sa.repos.getChallenge(challenge.id);
  return { challenge: fresh ?? challenge, authz };
}

async function runValidation(d: RaDeps, account: AccountRow, authz: AuthorizationRow, ch: ChallengeRow): Promise<void> {
  const jwk = JSON.parse(account.jwk) as JWK;
  const keyAuth = await keyAuthorization(ch.token, jwk);
  const name = authz.wildcard === 1 ? `*.${authz.identifier}` : authz.identifier;
  try {
    // BR 3.2.2.8: CAA is checked when validating (and re-checked at finalize when stale).
    // Both lookups run at once; a validation failure is reported before a CAA one.
    const caa = d.va.checkCaa({ name, accountUri: d.accountUri(account.id), method: ch.type });
    caa.catch(() => undefined);
    const records = await d.va.validate({ type: ch.type, domain: authz.identifier, token: ch.token, keyAuthorization: keyAuth });
    await caa;
    const now = d.clock.now();
    const expires = new Date(now.getTime() + authzReuseMs(d, now));
    await d.sa.transaction(async (tx) => {
      await tx.transitionChallenge(ch.id, 'processing', {
        status: 'valid',
        validated_at: now.toISOString(),
        records: JSON.stringify(records),
      });
      await tx.transitionAuthorization(authz.id, ['pending'], {
        status: 'valid',
        validated_at: now.toISOString(),
        validated_method: ch.type,
        expires_at: expires.toISOString(),
      });
      await tx.appendAudit({
        at: now.toISOString(),
        actor: 'va',
        channel: 'acme',
        action: 'authorization.validated',
        objectType: 'authorization',
        objectId: authz.id,
        details: { name, method: ch.type, records },
      });
    });
  } catch (e) {
    const err: StoredError = isShomeiError(e)
      ? { kind: e.kind, detail: e.detail }
      : { kind: 'serverInternal', detail: 'validation failed due to an internal error' };
    if (!isShomeiError(e)) d.logger.error({ err: e, challenge: ch.id }, 'validation crashed');
    const now = d.clock.now().toISOString();
    await d.sa.transaction(async (tx) => {
      await tx.transitionChallenge(ch.id, 'processing', { status: 'invalid', error: JSON.stringify(err) });
      await tx.transitionAuthorization(authz.id, ['pending'], { status: 'invalid' });
      await tx.appendAudit({
        at: now,
        actor: 'va',
        channel: 'acme',
        action: 'authorization.failed',
        objectType: 'authorization',
        objectId: authz.id,
        details: { name, method: ch.type, error: err },
      });
    });
  }
}
