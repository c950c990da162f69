import { ShomeiError } from '../core/errors.js';
import type { AccountRow, Repositories } from '../sa/index.js';
import { checkNamesForSubscriber } from '../registry/issuance-policy.js';
import type { RaDeps } from './types.js';

/**
 * SPEC §4–§5.2: an account bound with a subscriber's ACME credentials may
 * order only names of that subscriber's live usage FQDNs. Accounts bound with
 * plain admin EAB credentials (no subscriber) may order only when
 * `registry.allowUnboundAccounts` is on. Returns the subscriber id (null for
 * an allowed unbound account).
 */
export async function checkOrderNamesForAccount(d: RaDeps, tx: Repositories, account: AccountRow, names: readonly string[]): Promise<string | null> {
  const subscriberId = await tx.getSubscriberIdOfAccount(account.id);
  if (subscriberId === null) {
    if (d.config.registry.allowUnboundAccounts) return null;
    throw new ShomeiError('rejectedIdentifier', 'This account is not bound to a subscriber; create it with the ACME credentials your operator issued', {
      subErrors: names.map((value) => new ShomeiError('rejectedIdentifier', `Cannot issue for "${value}": the account is not bound to a subscriber`, { identifier: { type: 'dns', value } })),
    });
  }
  // SPEC §8: usage FQDNs of a suspended operator that have not started cannot start (checked at this moment).
  await checkNamesForSubscriber(tx, subscriberId, names, d.clock.now());
  return subscriberId;
}

/** At newAccount: plain admin EAB credentials bind an account only when unbound accounts are allowed. */
export async function checkEabBinding(d: RaDeps, eabKid: string): Promise<void> {
  if (d.config.registry.allowUnboundAccounts) return;
  const key = await d.sa.repos.getEabKey(eabKid);
  if (key?.subscriber_id === null || key === undefined) {
    throw new ShomeiError('unauthorized', 'These EAB credentials are not issued for a subscriber; ask your operator for ACME credentials');
  }
}
