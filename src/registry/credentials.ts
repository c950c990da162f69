import { ShomeiError } from '../core/errors.js';
import { newEabCredentials, type EabCredentials } from '../admin/eab.js';
import type { EabKeyRow } from '../sa/index.js';
import { checkText } from './contacts.js';
import { recordNotification } from './notifications.js';
import { loadSubscriber } from './subscribers.js';
import { actorString, type Actor, type RegistryDeps } from './types.js';

export interface CredentialView {
  kid: string;
  subscriberId: string | null;
  label: string | null;
  createdAt: string;
  revokedAt: string | null;
  compromisedAt: string | null;
}

export function credentialView(r: EabKeyRow): CredentialView {
  return { kid: r.kid, subscriberId: r.subscriber_id, label: r.label, createdAt: r.created_at, revokedAt: r.revoked_at, compromisedAt: r.compromised_at };
}

/** AT 5: the CA issues ACME credentials for a subscriber and delivers them via the operator. The HMAC key is returned once. */
export async function issueCredentials(
  d: RegistryDeps,
  operatorId: string | undefined,
  subscriberId: string,
  input: { label?: unknown },
  actor: Actor,
): Promise<{ credential: CredentialView; secret: EabCredentials }> {
  const label = checkText(input.label, 'label', { optional: true });
  const nowIso = d.clock.now().toISOString();
  const { row, credentials } = newEabCredentials(d.box, nowIso, { label, subscriberId });
  await d.sa.transaction(async (tx) => {
    const sub = await loadSubscriber(tx, subscriberId, operatorId);
    await tx.insertEabKey(row);
    await tx.appendAudit({ at: nowIso, actor: actorString(actor), action: 'eab.created', objectType: 'eab', objectId: row.kid, details: { subscriber: subscriberId, label } });
    await recordNotification(tx, { kind: 'credential.issued', operatorId: sub.operator_id, subscriberId, subjectType: 'eab', subjectId: row.kid, payload: { kid: row.kid }, atIso: nowIso });
  });
  return { credential: credentialView(row), secret: credentials };
}

export async function listCredentials(d: RegistryDeps, operatorId: string | undefined, subscriberId: string): Promise<CredentialView[]> {
  await loadSubscriber(d.sa.repos, subscriberId, operatorId);
  return (await d.sa.repos.listEabKeysOfSubscriber(subscriberId)).map(credentialView);
}

async function loadCredential(d: RegistryDeps, operatorId: string | undefined, subscriberId: string | undefined, kid: string): Promise<EabKeyRow> {
  const row = await d.sa.repos.getEabKey(kid);
  const sub = row?.subscriber_id === null || row === undefined ? undefined : await d.sa.repos.getSubscriber(row.subscriber_id);
  const visible =
    row !== undefined &&
    (subscriberId === undefined || row.subscriber_id === subscriberId) &&
    (operatorId === undefined || sub?.operator_id === operatorId);
  if (!visible) throw new ShomeiError('notFound', 'No such ACME credentials');
  return row;
}

/**
 * Revoke credentials: no new ACME account can be bound with them. Accounts
 * already bound keep working (SPEC §4) — use `declareCompromised` to stop them too.
 */
export async function revokeCredentials(d: RegistryDeps, operatorId: string | undefined, subscriberId: string | undefined, kid: string, actor: Actor): Promise<CredentialView> {
  const row = await loadCredential(d, operatorId, subscriberId, kid);
  const nowIso = d.clock.now().toISOString();
  await d.sa.transaction(async (tx) => {
    if (!(await tx.revokeEabKey(kid, nowIso))) throw new ShomeiError('conflict', 'The credentials are already revoked');
    await tx.appendAudit({ at: nowIso, actor: actorString(actor), action: 'eab.revoked', objectType: 'eab', objectId: kid, details: { subscriber: row.subscriber_id } });
    const sub = row.subscriber_id === null ? undefined : await tx.getSubscriber(row.subscriber_id);
    await recordNotification(tx, { kind: 'credential.revoked', operatorId: sub?.operator_id ?? null, subscriberId: row.subscriber_id, subjectType: 'eab', subjectId: kid, payload: { kid }, atIso: nowIso });
  });
  return credentialView((await d.sa.repos.getEabKey(kid)) as EabKeyRow);
}

/**
 * SPEC §4 / AT 5 (admin only): credentials reported leaked. Revokes them and
 * deactivates every ACME account bound with them (and those accounts'
 * pending/valid authorizations) in one transaction; the subscriber then gets
 * new credentials through the operator.
 */
export async function declareCompromised(d: RegistryDeps, kid: string, actor: Actor): Promise<{ credential: CredentialView; deactivatedAccounts: string[] }> {
  const row = await loadCredential(d, undefined, undefined, kid);
  const nowIso = d.clock.now().toISOString();
  const deactivated = await d.sa.transaction(async (tx) => {
    if (!(await tx.markEabKeyCompromised(kid, nowIso))) throw new ShomeiError('conflict', 'The credentials are already marked compromised');
    const ids = await tx.deactivateAccountsOfEabKey(kid, nowIso);
    for (const id of ids) {
      await tx.deactivateAuthorizationsOfAccount(id);
      await tx.appendAudit({ at: nowIso, actor: actorString(actor), action: 'account.deactivated', objectType: 'account', objectId: id, details: { cause: 'credentials compromised', kid } });
    }
    await tx.appendAudit({ at: nowIso, actor: actorString(actor), action: 'eab.compromised', objectType: 'eab', objectId: kid, details: { subscriber: row.subscriber_id, deactivatedAccounts: ids } });
    const sub = row.subscriber_id === null ? undefined : await tx.getSubscriber(row.subscriber_id);
    await recordNotification(tx, { kind: 'credential.compromised', operatorId: sub?.operator_id ?? null, subscriberId: row.subscriber_id, subjectType: 'eab', subjectId: kid, payload: { kid, deactivatedAccounts: ids }, atIso: nowIso });
    return ids;
  });
  return { credential: credentialView((await d.sa.repos.getEabKey(kid)) as EabKeyRow), deactivatedAccounts: deactivated };
}
