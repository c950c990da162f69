import type { CertificateRow, CertificateWithOperator, Repositories } from '../sa/index.js';
import { recordNotification } from './notifications.js';

/** RFC 5280 §5.3.1 CRLReason keyCompromise. */
export const KEY_COMPROMISE = 1;

/** Who revokes, when, and through which door — recorded in the audit trail and the notification. */
export interface RevocationContext {
  atIso: string;
  /** Audit actor: `account:<id>`, `key:<spki prefix>`, `admin:<name>`. */
  actor: string;
  /** 'acme' | 'admin' | 'operator' | 'revocation-job'. */
  via: string;
  /** Extra audit and notification details (e.g. `{ job: 'rj_…' }`). */
  details?: Record<string, unknown>;
}

/**
 * How the key came to be blocked (`blocked_keys.reason`): proven by a request
 * signed with the key itself, or decided by CA staff.
 */
export type KeyBlockBasis = 'keyCompromise' | 'admin';

export interface KeyCompromiseOutcome {
  /** What happened to the certificate named in the request. */
  certificate: 'revoked' | 'reason-changed' | 'unchanged';
  /** The key was blocked now (false: it already was). */
  keyBlocked: boolean;
  /** Other unexpired certificates with the same key, revoked now with reason keyCompromise. */
  alsoRevoked: string[];
  /** Other unexpired, already revoked certificates with the key whose reason became keyCompromise. */
  alsoReasonChanged: string[];
}

/** True when a key-compromise request changed nothing (the caller answers alreadyRevoked). */
export function changedNothing(o: KeyCompromiseOutcome): boolean {
  return o.certificate === 'unchanged' && !o.keyBlocked && o.alsoRevoked.length === 0 && o.alsoReasonChanged.length === 0;
}

/** SPEC §10: revocations are notified via the managing operator (certificates of unbound accounts have none). */
async function notifyRevoked(tx: Repositories, cert: CertificateRow, operatorId: string | null | undefined, payload: Record<string, unknown>, atIso: string): Promise<void> {
  if (cert.subscriber_id === null) return;
  const op = operatorId !== undefined ? operatorId : ((await tx.getSubscriber(cert.subscriber_id))?.operator_id ?? null);
  await recordNotification(tx, { kind: 'certificate.revoked', operatorId: op, subscriberId: cert.subscriber_id, subjectType: 'certificate', subjectId: cert.serial, payload, atIso });
}

/**
 * Revoke one certificate with its audit event and `certificate.revoked`
 * notification (call inside a transaction). False when it was already revoked.
 * `operatorId` undefined = look it up from the certificate's subscriber.
 */
export async function revokeAndNotify(tx: Repositories, cert: CertificateRow, reason: number, c: RevocationContext, operatorId?: string | null): Promise<boolean> {
  const done = await tx.recordRevocation({ serial: cert.serial, reason, atIso: c.atIso, actor: c.actor, details: { via: c.via, ...(c.details ?? {}) } });
  if (done) await notifyRevoked(tx, cert, operatorId, { reason, via: c.via, ...(c.details ?? {}) }, c.atIso);
  return done;
}

/**
 * One certificate to keyCompromise: revoke it, or — already revoked for
 * another reason — change the reason (BR §7.2.2: "SHOULD update the
 * revocation reason" on evidence of key compromise; the revocation date stays).
 */
async function toKeyCompromise(tx: Repositories, cert: CertificateRow, c: RevocationContext, operatorId: string | null | undefined, extra: Record<string, unknown>): Promise<KeyCompromiseOutcome['certificate']> {
  const ctx = { ...c, details: { ...(c.details ?? {}), ...extra } };
  if (cert.revoked_at === null && (await revokeAndNotify(tx, cert, KEY_COMPROMISE, ctx, operatorId))) return 'revoked';
  // Revoked meanwhile, or before: read what is stored now.
  const now = cert.revoked_at === null ? await tx.getCertificate(cert.serial) : cert;
  if (!now || now.revoked_at === null || now.revocation_reason === KEY_COMPROMISE) return 'unchanged';
  const changed = await tx.recordRevocationReasonChange({
    serial: cert.serial,
    reason: KEY_COMPROMISE,
    previousReason: now.revocation_reason,
    atIso: c.atIso,
    actor: c.actor,
    details: { via: c.via, revokedAt: now.revoked_at, ...ctx.details },
  });
  if (!changed) return 'unchanged';
  await notifyRevoked(tx, cert, operatorId, { reason: KEY_COMPROMISE, previousReason: now.revocation_reason, revokedAt: now.revoked_at, via: c.via, ...ctx.details }, c.atIso);
  return 'reason-changed';
}

/**
 * Key compromise proven with the key (RFC 8555 §7.6 revokeCert signed with
 * the certificate key) or decided by CA staff — BR §4.9.1.1 items 3–4,
 * MRSP §6.1.1: in the caller's transaction, revoke `cert` with reason
 * keyCompromise (or change an earlier reason to it), block its key so no
 * certificate or account may use it again, and revoke every other unexpired
 * certificate with that key — whoever's they are — each with its audit event
 * and notification. Idempotent: a second call changes nothing.
 */
export async function revokeForKeyCompromise(tx: Repositories, cert: CertificateRow, c: RevocationContext, basis: KeyBlockBasis): Promise<KeyCompromiseOutcome> {
  const certificate = await toKeyCompromise(tx, cert, c, (cert as Partial<CertificateWithOperator>).operator_id, { cause: 'keyCompromise' });
  const keyBlocked = await tx.recordBlockedKey(
    { spki_sha256: cert.spki_sha256, reason: basis, source_serial: cert.serial, blocked_at: c.atIso, actor: c.actor },
    { via: c.via, ...(c.details ?? {}) },
  );
  const out: KeyCompromiseOutcome = { certificate, keyBlocked, alsoRevoked: [], alsoReasonChanged: [] };
  for (const other of await tx.listUnexpiredCertificatesWithKey(cert.spki_sha256, c.atIso)) {
    if (other.serial === cert.serial || (other.revoked_at !== null && other.revocation_reason === KEY_COMPROMISE)) continue;
    const r = await toKeyCompromise(tx, other, c, other.operator_id, { cause: 'keyCompromise', sourceSerial: cert.serial });
    if (r === 'revoked') out.alsoRevoked.push(other.serial);
    else if (r === 'reason-changed') out.alsoReasonChanged.push(other.serial);
  }
  return out;
}
