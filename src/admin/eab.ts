import { randomBytes } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import { b64u, randomId } from '../core/ids.js';
import type { SecretBox } from '../core/secret-box.js';
import type { EabKeyRow, StorageAuthority } from '../sa/index.js';

export interface EabCredentials {
  kid: string;
  /** base64url HMAC key — shown once, stored only sealed. */
  hmacKey: string;
}

/**
 * New External Account Binding credentials (RFC 8555 §7.3.4): a key id and a
 * 256-bit HMAC key, and the row that stores the key sealed. The caller stores
 * the row (with its audit event) and hands the credentials out once.
 */
export function newEabCredentials(
  box: SecretBox,
  nowIso: string,
  opts: { label?: string | null; subscriberId?: string | null } = {},
): { row: EabKeyRow; credentials: EabCredentials } {
  const kid = `kid-${randomId(12)}`;
  const key = randomBytes(32);
  const row: EabKeyRow = {
    kid,
    hmac_key_sealed: box.seal(key, `eab:${kid}`),
    label: opts.label ?? null,
    created_at: nowIso,
    revoked_at: null,
    subscriber_id: opts.subscriberId ?? null,
    compromised_at: null,
  };
  return { row, credentials: { kid, hmacKey: b64u(key) } };
}

/**
 * Mint plain admin EAB credentials, bound to no subscriber (`shomei eab
 * create`). Accounts bound with them may order only when
 * `registry.allowUnboundAccounts` is on. The audit event records the kid, never the key.
 */
export async function createEabCredentials(
  deps: { sa: StorageAuthority; box: SecretBox; clock: Clock },
  opts: { label?: string; actor?: string } = {},
): Promise<EabCredentials> {
  const now = deps.clock.now().toISOString();
  const { row, credentials } = newEabCredentials(deps.box, now, { label: opts.label ?? null });
  await deps.sa.transaction(async (tx) => {
    await tx.insertEabKey(row);
    await tx.appendAudit({
      at: now,
      actor: opts.actor ?? 'admin:cli',
      action: 'eab.created',
      objectType: 'eab',
      objectId: row.kid,
      details: { label: opts.label ?? null },
    });
  });
  return credentials;
}

export async function revokeEabCredentials(
  deps: { sa: StorageAuthority; clock: Clock },
  kid: string,
  actor = 'admin:cli',
): Promise<boolean> {
  const now = deps.clock.now().toISOString();
  return deps.sa.transaction(async (tx) => {
    const done = await tx.revokeEabKey(kid, now);
    if (done) await tx.appendAudit({ at: now, actor, action: 'eab.revoked', objectType: 'eab', objectId: kid });
    return done;
  });
}
