import { ShomeiError } from '../core/errors.js';
import { canonicalSerialHex } from '../core/serial-number.js';
import type { ManagedCertificateRow } from '../sa/index.js';
import { changedNothing, KEY_COMPROMISE, revokeForKeyCompromise } from './key-compromise.js';
import { recordNotification } from './notifications.js';
import { certificateSummary, type CertificateSummary } from './usage-fqdn-view.js';
import { actorString, decodeCursor, encodeCursor, type Actor, type Page, type RegistryDeps } from './types.js';

/** SPEC §7: reasons a subscriber or operator may give; the CA may also use 9 (privilegeWithdrawn). */
export const OPERATOR_REVOCATION_REASONS: readonly number[] = [0, 1, 3, 4, 5];
export const CA_REVOCATION_REASONS: readonly number[] = [0, 1, 3, 4, 5, 9];

export interface ManagedCertificateView extends CertificateSummary {
  subscriberId: string;
  operatorId: string;
  usageFqdnIds?: string[];
  pem?: string;
}

function toPem(derB64: string): string {
  const lines = derB64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

function view(r: ManagedCertificateRow): ManagedCertificateView {
  return { ...certificateSummary(r), subscriberId: r.subscriber_id as string, operatorId: r.operator_id };
}

function serialOf(s: string): string {
  if (!/^[0-9a-fA-F:]{1,80}$/.test(s)) throw new ShomeiError('notFound', 'No such certificate');
  return canonicalSerialHex(s.replace(/:/g, ''));
}

async function loadManaged(d: RegistryDeps, operatorId: string | undefined, serial: string): Promise<ManagedCertificateRow> {
  const row = await d.sa.repos.getManagedCertificate(serialOf(serial));
  if (!row || (operatorId !== undefined && row.operator_id !== operatorId)) throw new ShomeiError('notFound', 'No such certificate');
  return row;
}

export async function listManagedCertificates(
  d: RegistryDeps,
  operatorId: string | undefined,
  q: { subscriberId?: string | undefined; usageFqdnId?: string | undefined; cursor?: string | undefined; limit?: number | undefined },
): Promise<Page<ManagedCertificateView>> {
  const limit = q.limit ?? 100;
  const c = decodeCursor(q.cursor, 2);
  const rows = await d.sa.repos.listManagedCertificates({
    operatorId,
    subscriberId: q.subscriberId,
    usageFqdnId: q.usageFqdnId,
    after: c ? { issuedAt: c[0] as string, serial: c[1] as string } : undefined,
    limit: limit + 1,
  });
  const items = rows.slice(0, limit).map(view);
  const last = rows.length > limit ? items[items.length - 1] : undefined;
  return { items, next: last ? encodeCursor([last.issuedAt, last.serial]) : null };
}

/** One certificate with its PEM and the usage FQDNs it covers. */
export async function getManagedCertificate(d: RegistryDeps, operatorId: string | undefined, serial: string): Promise<ManagedCertificateView> {
  const row = await loadManaged(d, operatorId, serial);
  return { ...view(row), usageFqdnIds: await d.sa.repos.listUsageFqdnIdsOfCertificate(row.serial), pem: toPem(row.der) };
}

/**
 * SPEC §7 (AT 11): revocation requested via the managing operator, with a
 * reason the subscriber may choose (0, 1, 3, 4, 5); admins may also use 9.
 */
export async function revokeManagedCertificate(
  d: RegistryDeps,
  operatorId: string | undefined,
  serial: string,
  input: { reason?: unknown },
  actor: Actor,
): Promise<ManagedCertificateView> {
  const allowed = actor.kind === 'admin' ? CA_REVOCATION_REASONS : OPERATOR_REVOCATION_REASONS;
  const reason = input.reason ?? 0;
  if (typeof reason !== 'number' || !allowed.includes(reason)) {
    throw new ShomeiError('badRevocationReason', `Revocation reason ${JSON.stringify(reason)} is not allowed; use one of ${allowed.join(', ')}`);
  }
  const row = await loadManaged(d, operatorId, serial);
  const nowIso = d.clock.now().toISOString();
  if (actor.kind === 'admin' && reason === KEY_COMPROMISE) {
    // BR §4.9.1.1 / MRSP §6.1.1: the CA decided the key is compromised — every certificate
    // with it goes and the key is blocked (an operator's reason 1 revokes only this one).
    await d.sa.transaction(async (tx) => {
      const out = await revokeForKeyCompromise(tx, row, { atIso: nowIso, actor: actorString(actor), via: actor.kind }, 'admin');
      if (changedNothing(out)) throw new ShomeiError('alreadyRevoked', 'Certificate is already revoked for keyCompromise and its key is blocked');
    });
    return getManagedCertificate(d, operatorId, row.serial);
  }
  await d.sa.transaction(async (tx) => {
    const done = await tx.recordRevocation({ serial: row.serial, reason, atIso: nowIso, actor: actorString(actor), details: { via: actor.kind } });
    if (!done) throw new ShomeiError('alreadyRevoked', 'Certificate is already revoked');
    await recordNotification(tx, { kind: 'certificate.revoked', operatorId: row.operator_id, subscriberId: row.subscriber_id, subjectType: 'certificate', subjectId: row.serial, payload: { reason, via: actor.kind }, atIso: nowIso });
  });
  return getManagedCertificate(d, operatorId, row.serial);
}
