import type { CertificateRow, UsageFqdnRow } from '../sa/index.js';
import { namesAllowedBy } from './issuance-policy.js';

export interface UsageFqdnView {
  id: string;
  subscriberId: string;
  operatorId: string;
  fqdn: string;
  /** Names certificates may hold for it (SPEC §5.2). */
  allowedNames: string[];
  /** applied (not started) → active → ended. */
  status: UsageFqdnRow['status'];
  period: string;
  continuationPeriod: string;
  appliedAt: string;
  startDate: string | null;
  expiryDate: string | null;
  terminationNotice: { filedAt: string; filedBy: string | null } | null;
  endedOn: string | null;
  endReason: string | null;
  certificates?: CertificateSummary[];
}

export interface CertificateSummary {
  serial: string;
  names: string[];
  notBefore: string;
  notAfter: string;
  issuedAt: string;
  revokedAt: string | null;
  revocationReason: number | null;
}

export function certificateSummary(c: CertificateRow): CertificateSummary {
  return {
    serial: c.serial,
    names: JSON.parse(c.names) as string[],
    notBefore: c.not_before,
    notAfter: c.not_after,
    issuedAt: c.issued_at,
    revokedAt: c.revoked_at,
    revocationReason: c.revocation_reason,
  };
}

export function usageFqdnView(r: UsageFqdnRow, certificates?: CertificateRow[]): UsageFqdnView {
  const v: UsageFqdnView = {
    id: r.id,
    subscriberId: r.subscriber_id,
    operatorId: r.operator_id,
    fqdn: r.fqdn,
    allowedNames: namesAllowedBy(r.fqdn),
    status: r.status,
    period: r.period,
    continuationPeriod: r.continuation_period,
    appliedAt: r.applied_at,
    startDate: r.start_date,
    expiryDate: r.expiry_date,
    terminationNotice: r.termination_notice_at === null ? null : { filedAt: r.termination_notice_at, filedBy: r.termination_notice_by },
    endedOn: r.ended_on,
    endReason: r.end_reason,
  };
  if (certificates) v.certificates = certificates.map(certificateSummary);
  return v;
}
