import { X509Certificate } from 'node:crypto';
import { ShomeiError } from '../core/errors.js';
import { fromB64u, isB64u } from '../core/ids.js';
import { canonicalSerialHex } from '../core/serial-number.js';
import type { AccountRow, CertificateRow } from '../sa/index.js';
import { recordNotification } from '../registry/notifications.js';
import { changedNothing, KEY_COMPROMISE, revokeForKeyCompromise } from '../registry/key-compromise.js';
import type { RaDeps } from './types.js';

/** SPEC §7 / BR 7.2.2: reasons a subscriber may give (unspecified, keyCompromise, affiliationChanged, superseded, cessationOfOperation). */
export const SUBSCRIBER_REASONS: readonly number[] = [0, 1, 3, 4, 5];

export type RevocationAuthority =
  | { kind: 'account'; account: AccountRow }
  /** Signed with the certificate's own key (RFC 8555 §7.6, `jwk` form). */
  | { kind: 'certificate-key'; spkiSha256: string };

export function checkRevocationReason(reason: unknown): number {
  if (reason === undefined) return 0;
  if (typeof reason !== 'number' || !Number.isInteger(reason) || !SUBSCRIBER_REASONS.includes(reason)) {
    throw new ShomeiError('badRevocationReason', `Revocation reason ${JSON.stringify(reason)} is not allowed; use one of ${SUBSCRIBER_REASONS.join(', ')}`);
  }
  return reason;
}

/** Find the stored certificate the request names, byte for byte. */
async function findCertificate(d: RaDeps, certB64u: unknown): Promise<CertificateRow> {
  if (typeof certB64u !== 'string' || certB64u === '' || !isB64u(certB64u)) {
    throw new ShomeiError('malformed', 'certificate must be base64url DER');
  }
  const der = fromB64u(certB64u);
  let serial: string;
  try {
    serial = canonicalSerialHex(new X509Certificate(der).serialNumber);
  } catch {
    throw new ShomeiError('malformed', 'certificate could not be parsed');
  }
  const row = await d.sa.repos.getCertificate(serial);
  if (!row || !Buffer.from(row.der, 'base64').equals(der)) {
    throw new ShomeiError('notFound', 'Certificate was not issued by this CA');
  }
  return row;
}

/** RFC 8555 §7.6: the issuing account, an account holding valid authorizations for every name, or the certificate key. */
async function checkAuthority(d: RaDeps, cert: CertificateRow, who: RevocationAuthority): Promise<string> {
  if (who.kind === 'certificate-key') {
    if (who.spkiSha256 !== cert.spki_sha256) throw new ShomeiError('unauthorized', 'The request is not signed by the certificate key');
    return `key:${who.spkiSha256.slice(0, 16)}`;
  }
  if (who.account.id === cert.account_id) return `account:${who.account.id}`;
  const names = JSON.parse(cert.names) as string[];
  const now = d.clock.now().toISOString();
  for (const name of names) {
    const wildcard = name.startsWith('*.');
    const a = await d.sa.repos.findReusableAuthorization({
      accountId: who.account.id,
      identifier: wildcard ? name.slice(2) : name,
      wildcard,
      nowIso: now,
      validMinExpiresIso: now,
    });
    if (!a || a.status !== 'valid') {
      throw new ShomeiError('unauthorized', `The account neither issued this certificate nor holds a valid authorization for ${name}`);
    }
  }
  return `account:${who.account.id}`;
}

export async function revokeCertificate(
  d: RaDeps,
  payload: { certificate?: unknown; reason?: unknown },
  who: RevocationAuthority,
): Promise<void> {
  const reason = checkRevocationReason(payload.reason);
  const cert = await findCertificate(d, payload.certificate);
  const actor = await checkAuthority(d, cert, who);
  const now = d.clock.now().toISOString();
  if (reason === KEY_COMPROMISE && who.kind === 'certificate-key') {
    // MRSP §6.1.1 / BR §4.9.1.1: signed with the key itself is proof of possession —
    // every certificate with the key goes, and the key is blocked. An account's
    // keyCompromise without that proof revokes only its own certificate (below).
    await d.sa.transaction(async (tx) => {
      const out = await revokeForKeyCompromise(tx, cert, { atIso: now, actor, via: 'acme' }, 'keyCompromise');
      if (changedNothing(out)) throw new ShomeiError('alreadyRevoked', 'Certificate is already revoked for keyCompromise and its key is blocked');
    });
    return;
  }
  await d.sa.transaction(async (tx) => {
    const done = await tx.recordRevocation({ serial: cert.serial, reason, atIso: now, actor });
    if (!done) throw new ShomeiError('alreadyRevoked', 'Certificate is already revoked');
    if (cert.subscriber_id !== null) {
      // SPEC §10: revocations are notified via the managing operator.
      const sub = await tx.getSubscriber(cert.subscriber_id);
      await recordNotification(tx, { kind: 'certificate.revoked', operatorId: sub?.operator_id ?? null, subscriberId: cert.subscriber_id, subjectType: 'certificate', subjectId: cert.serial, payload: { reason, via: 'acme' }, atIso: now });
    }
  });
}
