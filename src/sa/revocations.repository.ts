import { appendAudit } from './audit.repository.js';
import { revokeCertificate } from './certificates.repository.js';
import type { Executor } from './executor.js';

/**
 * Store a revocation with its audit event (call inside a transaction).
 * False when the certificate was already revoked (nothing written).
 */
export async function recordRevocation(
  db: Executor,
  r: { serial: string; reason: number; atIso: string; actor: string; details?: Record<string, unknown> },
): Promise<boolean> {
  const done = await revokeCertificate(db, r.serial, r.reason, r.atIso);
  if (!done) return false;
  await appendAudit(db, {
    at: r.atIso,
    actor: r.actor,
    action: 'certificate.revoked',
    objectType: 'certificate',
    objectId: r.serial,
    details: { reason: r.reason, ...(r.details ?? {}) },
  });
  return true;
}
