import { ShomeiError } from '../core/errors.js';
import type { Repositories } from '../sa/index.js';

/**
 * BR §4.9.1.1 / §6.1.1.3 and MRSP §6.1.1: a key reported compromised (proven
 * with the key itself, or decided by CA staff) is blocked, and no certificate
 * or ACME account may use it again. `spkiSha256` is the SHA-256 (hex) of the
 * DER SubjectPublicKeyInfo. Stops a subscriber — or whoever holds the leaked
 * key — from getting a fresh certificate for it, or from hiding it behind a new
 * account (newAccount, keyChange). Pass a transaction's repositories to make
 * the check part of the change it guards.
 */
export async function assertKeyNotBlocked(repos: Repositories, spkiSha256: string, what: 'certificate' | 'account'): Promise<void> {
  const blocked = await repos.getBlockedKey(spkiSha256.toLowerCase());
  if (!blocked) return;
  const day = blocked.blocked_at.slice(0, 10);
  const use = what === 'certificate' ? 'in a certificate' : 'as an ACME account key';
  throw new ShomeiError(
    'badPublicKey',
    `The key (SPKI SHA-256 ${blocked.spki_sha256}) was reported compromised on ${day} and may not be used again ${use}; generate a new key`,
  );
}
