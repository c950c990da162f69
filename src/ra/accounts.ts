import { calculateJwkThumbprint, type JWK } from 'jose';
import { ShomeiError } from '../core/errors.js';
import { randomId } from '../core/ids.js';
import { jwkToSpki, publicJwk, sha256Hex } from '../core/keys.js';
import { isUniqueViolation, type AccountRow } from '../sa/index.js';
import { assertKeyNotBlocked } from './blocked-keys.js';
import { checkContacts } from './contacts.js';
import { checkEabBinding } from './subscriber-policy.js';
import type { RaDeps } from './types.js';

export interface NewAccountInput {
  jwk: JWK;
  contact: unknown;
  termsOfServiceAgreed: unknown;
  /** The EAB kid, already verified by the front end (RFC 8555 §7.3.4). */
  eabKid: string;
}

export function thumbprint(jwk: JWK): Promise<string> {
  return calculateJwkThumbprint(publicJwk(jwk), 'sha256');
}

/** RFC 8555 §7.3: create an account. Returns `created: false` when the key already has one. */
export async function createAccount(d: RaDeps, input: NewAccountInput): Promise<{ account: AccountRow; created: boolean }> {
  const tp = await thumbprint(input.jwk);
  const existing = await d.sa.repos.getAccountByThumbprint(tp);
  if (existing) return { account: existing, created: false };
  // AT 21: the terms in force now (the directory's termsOfService); null version when none is published.
  const terms = await d.sa.repos.currentPolicyDocument('terms', d.clock.now().toISOString());
  if (input.termsOfServiceAgreed !== true) {
    throw new ShomeiError('malformed', 'You must agree to the terms of service (termsOfServiceAgreed: true)', {
      extra: { instance: terms?.url ?? d.config.acme.termsOfService },
    });
  }
  const contact = checkContacts(input.contact);
  await checkEabBinding(d, input.eabKid);
  const now = d.clock.now().toISOString();
  const row: AccountRow = {
    id: randomId(12),
    jwk_thumbprint: tp,
    jwk: JSON.stringify(publicJwk(input.jwk)),
    status: 'valid',
    contact: JSON.stringify(contact),
    tos_agreed: 1,
    terms_version: terms?.version ?? null,
    eab_kid: input.eabKid,
    created_at: now,
    updated_at: now,
  };
  try {
    await d.sa.transaction(async (tx) => {
      // BR §4.9.1.1 / MRSP §6.1.1: a key reported compromised may not come back as an account key.
      await assertKeyNotBlocked(tx, sha256Hex(jwkToSpki(input.jwk)), 'account');
      await tx.insertAccount(row);
      await tx.appendAudit({
        at: now,
        actor: `account:${row.id}`,
        action: 'account.created',
        objectType: 'account',
        objectId: row.id,
        details: { eabKid: input.eabKid, contact, termsVersion: row.terms_version },
      });
    });
  } catch (e) {
    // Two concurrent newAccount calls with one key: the loser returns the winner's account.
    if (isUniqueViolation(e)) {
      const winner = await d.sa.repos.getAccountByThumbprint(tp);
      if (winner) return { account: winner, created: false };
    }
    throw e;
  }
  return { account: row, created: true };
}

/** RFC 8555 §7.3.2 / §7.3.6: update contact, or deactivate. */
export async function updateAccount(
  d: RaDeps,
  account: AccountRow,
  payload: { contact?: unknown; status?: unknown },
): Promise<AccountRow> {
  const now = d.clock.now().toISOString();
  if (payload.status !== undefined && payload.status !== 'deactivated') {
    throw new ShomeiError('malformed', 'the only status a client may set on an account is "deactivated"');
  }
  const contact = payload.contact !== undefined ? checkContacts(payload.contact) : undefined;
  return d.sa.transaction(async (tx) => {
    const patch: { contact?: string; status?: 'deactivated' } = {};
    if (contact !== undefined) patch.contact = JSON.stringify(contact);
    if (payload.status === 'deactivated') {
      patch.status = 'deactivated';
      // §7.3.6: the server SHOULD cancel pending authorizations of a deactivated account.
      await tx.deactivateAuthorizationsOfAccount(account.id);
    }
    if (Object.keys(patch).length > 0) {
      await tx.updateAccount(account.id, patch, now);
      await tx.appendAudit({
        at: now,
        actor: `account:${account.id}`,
        action: patch.status === 'deactivated' ? 'account.deactivated' : 'account.updated',
        objectType: 'account',
        objectId: account.id,
        details: { contact: contact ?? null },
      });
    }
    const fresh = await tx.getAccountById(account.id);
    if (!fresh) throw new ShomeiError('accountDoesNotExist', 'account vanished');
    return fresh;
  });
}

/** RFC 8555 §7.3.5: replace the account key. A key already bound elsewhere → 409 with that account. */
export async function changeAccountKey(d: RaDeps, account: AccountRow, newJwk: JWK): Promise<AccountRow> {
  const tp = await thumbprint(newJwk);
  const other = await d.sa.repos.getAccountByThumbprint(tp);
  if (other) {
    throw new ShomeiError('conflict', 'the new key is already in use by an account', {
      extra: { location: other.id },
    });
  }
  const now = d.clock.now().toISOString();
  try {
    return await d.sa.transaction(async (tx) => {
      // The new key may not be one reported compromised (BR §4.9.1.1 / MRSP §6.1.1).
      await assertKeyNotBlocked(tx, sha256Hex(jwkToSpki(newJwk)), 'account');
      await tx.updateAccount(account.id, { jwk: JSON.stringify(publicJwk(newJwk)), jwk_thumbprint: tp }, now);
      await tx.appendAudit({
        at: now,
        actor: `account:${account.id}`,
        action: 'account.key-changed',
        objectType: 'account',
        objectId: account.id,
        details: { oldThumbprint: account.jwk_thumbprint, newThumbprint: tp },
      });
      const fresh = await tx.getAccountById(account.id);
      if (!fresh) throw new ShomeiError('accountDoesNotExist', 'account vanished');
      return fresh;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new ShomeiError('conflict', 'the new key is already in use by an account');
    throw e;
  }
}
