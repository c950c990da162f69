import type { Clock } from '../core/clock.js';
import type { StorageAuthority } from '../sa/index.js';
import type { Job } from './job-runner.js';

export const RETENTION_JOB = 'retention';

/** Audit events purged per transaction (each moves the chain anchor). */
const AUDIT_BATCH = 5000;
const DAY_MS = 86_400_000;

export type RetentionJobResult =
  | { ran: false; nextRunAt: string }
  | {
      ran: true;
      /** Audit events older than this went. */
      auditCutoff: string;
      auditEventsPurged: number;
      anchorSeq: number;
      notificationEventsPurged: number;
      sentMessagesPurged: number;
      usedNoncesPurged: number;
    };

/** `years` calendar years before `at` (UTC; 29 Feb falls back to 1 Mar). */
export function yearsBefore(at: Date, years: number): Date {
  const d = new Date(at.getTime());
  d.setUTCFullYear(d.getUTCFullYear() - years);
  return d;
}

/**
 * AR 10 / BR 5.5.2: records are kept `records.retentionYears` (at least 7)
 * years; this job purges ONLY what is past its period:
 *  - audit events older than the retention period, from the start of the
 *    chain, moving the chain anchor to the last one purged in the same
 *    transaction (so the rest still verifies), and recording the purge as an
 *    audit event of its own;
 *  - notification events older than the retention period (with their outbox
 *    messages), and delivered outbox messages older than
 *    `records.sentMessageDays`;
 *  - used nonces past their lifetime.
 * Never certificates, consent records, fee lines, payments, applications,
 * usage FQDNs, subscribers or operators: they are the CA's records, kept
 * "7 years after the contract ends" (AR 10), which is a decision for later.
 * Runs at most once a day (progress in job_progress).
 */
export function retentionJob(deps: { sa: StorageAuthority; clock: Clock; config: { records: { retentionYears: number; sentMessageDays: number } } }): Job {
  return {
    name: RETENTION_JOB,
    async run(ctx): Promise<RetentionJobResult> {
      const started = deps.clock.now();
      const last = await deps.sa.repos.getJobProgress(RETENTION_JOB);
      if (last !== undefined) {
        const due = new Date(new Date(last).getTime() + DAY_MS);
        if (due.getTime() > started.getTime()) return { ran: false, nextRunAt: due.toISOString() };
      }
      const nowIso = started.toISOString();
      const { retentionYears, sentMessageDays } = deps.config.records;
      const auditCutoff = yearsBefore(started, retentionYears).toISOString();

      let auditEventsPurged = 0;
      let anchorSeq = 0;
      for (;;) {
        if (!(await ctx.renewLease())) break;
        const batch = await deps.sa.transaction(async (tx) => {
          const out = await tx.purgeAuditPrefix(auditCutoff, AUDIT_BATCH);
          if (out.purged > 0) {
            await tx.appendAudit({
              at: nowIso,
              actor: 'system:retention',
              channel: 'system',
              action: 'audit.purged',
              objectType: 'audit-chain',
              objectId: 'audit',
              details: { purged: out.purged, anchorSeq: out.anchorSeq, olderThan: auditCutoff, retentionYears },
            });
          }
          return out;
        });
        anchorSeq = batch.anchorSeq;
        auditEventsPurged += batch.purged;
        if (batch.purged < AUDIT_BATCH) break;
      }

      const { notificationEventsPurged, sentMessagesPurged } = await deps.sa.transaction(async (tx) => ({
        sentMessagesPurged: await tx.purgeSentNotificationMessages(new Date(started.getTime() - sentMessageDays * DAY_MS).toISOString()),
        notificationEventsPurged: await tx.purgeNotificationEvents(auditCutoff),
      }));
      const usedNoncesPurged = await deps.sa.repos.purgeUsedNonces(nowIso);
      await deps.sa.repos.setJobProgress(RETENTION_JOB, nowIso, deps.clock.now().toISOString());
      return { ran: true, auditCutoff, auditEventsPurged, anchorSeq, notificationEventsPurged, sentMessagesPurged, usedNoncesPurged };
    },
  };
}
