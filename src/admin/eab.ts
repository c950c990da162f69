import { randomBytes } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import { b64u, randomId } from '../core/ids.js';
import type { SecretBox } from '../core/secret-box.js';
import type { StorageAuthority } from '../sa/index.js';

export interface EabCredentials {
  kid: string;
  /** base64url HMAC key — shown once, stored only sealed. */
  hmacKey: string;
}

/**
 * Mint External Account Binding credentials (RFC 8555 §7.3.4): a key id and a
 * 256-bit HMAC key. The key is sealed before it is stored and returned only
 * to the caller; the audit event records the kid, never the key.
 */
export async function createEabCredentials(
  deps: { sa: StorageAuthority; box: SecretBox; clock: Clock },
  opts: { label?: string; actor?: string } = {},
): Promise<EabCredentials> {
  const kid = `kid-${randomId(12)}`;
  const key = randomBytes(32);
  const now = deps.clock.now().toISOString();
  await deps.sa.transaction(async (tx) => {
    await tx.insertEabKey({
      kid,
      hmac_key_sealed: deps.box.seal(key, `eab:${kid}`),
      label: opts.label ?? null,
      created_at: now,
      revoked_at: null,
    });
    await tx.appendAudit({
      at: now,
      actor: opts.actor ?? 'admin:cli',
      action: 'eab.created',
      objectType: 'eab',
      objectId: kid,
      details: { label: opts.label ?? null },
    });
  });
  return { kid, hmacKey: b64u(key) };
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
