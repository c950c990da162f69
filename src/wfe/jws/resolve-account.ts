import type { JWK } from 'jose';
import { ShomeiError } from '../../core/errors.js';
import type { AccountRow, StorageAuthority } from '../../sa/index.js';
import type { AcmeUrls } from '../urls.js';

/**
 * RFC 8555 §6.2 / §7.3.6: `kid` must be the URL of an existing account of this
 * server (accountDoesNotExist otherwise), and the account must be valid — a
 * deactivated or revoked account is refused (unauthorized), so a retired key
 * can do nothing more.
 */
export async function resolveAccount(kid: string, urls: AcmeUrls, sa: StorageAuthority): Promise<{ account: AccountRow; jwk: JWK }> {
  const id = urls.accountIdFromKid(kid);
  const account = id === undefined ? undefined : await sa.repos.getAccountById(id);
  if (!account) throw new ShomeiError('accountDoesNotExist', `No account with kid ${kid.slice(0, 200)}`);
  if (account.status !== 'valid') throw new ShomeiError('unauthorized', `Account is ${account.status}`);
  return { account, jwk: JSON.parse(account.jwk) as JWK };
}
