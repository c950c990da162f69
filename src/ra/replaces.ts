/**
 * The `replaces` field of newOrder (RFC 9773 §5): the CertID of a certificate
 * the new order is meant to replace. Each check is its own function; the
 * whole set runs inside the order-creation transaction with the replaced
 * certificate locked, so of two concurrent orders replacing one certificate
 * only the first is accepted.
 */
import { ShomeiError } from '../core/errors.js';
import { certIdSerialHex, formatCertId, parseCertId, type CertId } from '../ca/cert-id.js';
import type { AccountRow, CertificateRow, Repositories } from '../sa/index.js';
import { issuedUnderKey } from './renewal-info.js';
import { orderStatus } from './status.js';

/** RFC 9773 §5: `replaces` is optional; when present it is a CertID string (§4.1), else `malformed`. */
export function parseReplacesField(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new ShomeiError('malformed', '"replaces" must be a CertID string (RFC 9773 §5)');
  return formatCertId(parseCertId(value));
}

/**
 * The replaced certificate, locked for the rest of the transaction. A CertID
 * this CA did not issue (unknown serial, or another issuer's key identifier)
 * is `notFound` (404), as Let's Encrypt answers.
 */
async function lockReplacedCertificate(tx: Repositories, id: CertId, dialect: 'sqlite' | 'postgres'): Promise<CertificateRow> {
  const cert = await tx.getReplacedCertificateForUpdate(certIdSerialHex(id), dialect);
  if (cert === undefined || !issuedUnderKey(cert, id.keyIdentifier)) {
    throw new ShomeiError('notFound', '"replaces" names no certificate issued by this CA');
  }
  return cert;
}

/** RFC 9773 §5: the replaced certificate must have been issued to the same account (else `unauthorized`, as Let's Encrypt). */
function checkSameAccount(cert: CertificateRow, account: AccountRow): void {
  if (cert.account_id !== account.id) {
    throw new ShomeiError('unauthorized', 'The certificate named by "replaces" was not issued to this account');
  }
}

/** RFC 9773 §5: the new order must share at least one identifier with the replaced certificate (else `malformed`). */
function checkSharedIdentifier(cert: CertificateRow, names: readonly string[]): void {
  const held = new Set(JSON.parse(cert.names) as string[]);
  if (!names.some((n) => held.has(n))) {
    throw new ShomeiError('malformed', 'The order shares no identifier with the certificate named by "replaces"');
  }
}

/**
 * RFC 9773 §5: a certificate already claimed by another order that is not
 * invalid (pending, ready, processing or valid; an expired one counts as
 * invalid) cannot be replaced again: `alreadyReplaced` (409).
 */
async function checkNotAlreadyReplaced(tx: Repositories, certId: string, now: Date): Promise<void> {
  for (const o of await tx.listOrdersReplacingCertId(certId)) {
    const live = o.status === 'pending' || o.status === 'ready' ? orderStatus(o, await tx.getAuthorizationsForOrder(o.id), now) : o.status;
    if (live !== 'invalid') {
      throw new ShomeiError('alreadyReplaced', `The certificate named by "replaces" is already replaced by order ${o.id} (${live})`);
    }
  }
}

/**
 * RFC 9773 §5 checks of a `replaces` CertID (already parsed by
 * parseReplacesField) against the account and the order's names. Call inside
 * the transaction that inserts the order.
 */
export async function checkReplacement(
  tx: Repositories,
  o: { account: AccountRow; names: readonly string[]; certId: string; now: Date; dialect: 'sqlite' | 'postgres' },
): Promise<void> {
  const cert = await lockReplacedCertificate(tx, parseCertId(o.certId), o.dialect);
  checkSameAccount(cert, o.account);
  checkSharedIdentifier(cert, o.names);
  await checkNotAlreadyReplaced(tx, o.certId, o.now);
}
