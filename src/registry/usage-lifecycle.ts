import { addLocalDays, localDateOf } from '../core/calendar.js';
import type { Config } from '../config/schema.js';
import type { Repositories, UsageFqdnRow } from '../sa/index.js';
import { newFeeLine } from './fees.js';
import { checkNamesForSubscriber, namesAllowedBy, resolveCoverage, type Coverage } from './issuance-policy.js';
import { recordNotification } from './notifications.js';
import { suspensionEndingUsage } from './suspension-effects.js';
import { firstExpiry, nextExpiry, type UsagePeriod } from './usage-period.js';
import type { RegistryDeps } from './types.js';

const SYSTEM = 'system:usage-lifecycle';

/**
 * SPEC §5.3 at issuance, inside the transaction that stores the certificate:
 * link the certificate to every usage FQDN allowing one of its names, and
 * start each not-yet-started usage FQDN it is charged to — start date = the
 * issue date in the CA time zone, first expiry from the chosen period, and
 * the first chargeable period booked as a fee line.
 */
export async function recordIssuanceForSubscriber(
  tx: Repositories,
  config: Config,
  c: { serial: string; subscriberId: string; names: readonly string[]; issuedAt: Date; actor: string },
): Promise<void> {
  const nowIso = c.issuedAt.toISOString();
  // Lock every usage FQDN the names rely on, then check them again: an end of
  // usage committed meanwhile is seen here and refuses the certificate, and
  // one that comes later (it locks the row too) waits for this transaction and
  // then finds the certificate to revoke. Without the lock, on PostgreSQL, a
  // usage FQDN could end between the check and the commit and leave this
  // certificate unrevoked. (SQLite transactions already hold the write lock.)
  const dialect = config.database.url.startsWith('sqlite:') ? 'sqlite' : 'postgres';
  const relied = resolveCoverage(c.names, await tx.listLiveUsageFqdnsOfSubscriber(c.subscriberId)).all;
  for (const u of [...relied].sort((a, b) => (a.id < b.id ? -1 : 1))) await tx.getUsageFqdnForUpdate(u.id, dialect);
  const coverage: Coverage = await checkNamesForSubscriber(tx, c.subscriberId, c.names, c.issuedAt);
  await tx.linkCertificateUsageFqdns(c.serial, coverage.all.map((u) => u.id));
  const startDate = localDateOf(c.issuedAt, config.timeZone);
  const toStart = new Map([...coverage.primary.values()].filter((u) => u.status === 'applied').map((u) => [u.id, u]));
  for (const u of toStart.values()) {
    const period = u.period as UsagePeriod;
    const expiry = firstExpiry(startDate, period);
    const started = await tx.updateUsageFqdn(u.id, { status: 'applied' }, { status: 'active', start_date: startDate, expiry_date: expiry }, nowIso);
    if (!started) continue;
    await tx.insertFeeLine(
      newFeeLine(config, {
        operatorId: u.operator_id,
        kind: 'registration',
        accrualDate: startDate,
        nowIso,
        usage: { id: u.id, subscriberId: u.subscriber_id, fqdn: u.fqdn, period, periodStart: startDate, periodEnd: expiry },
      }),
    );
    await tx.appendAudit({ at: nowIso, actor: c.actor, action: 'usage-fqdn.started', objectType: 'usage-fqdn', objectId: u.id, details: { certificate: c.serial, startDate, expiryDate: expiry, period } });
    await recordNotification(tx, { kind: 'usage-fqdn.started', operatorId: u.operator_id, subscriberId: u.subscriber_id, subjectType: 'usage-fqdn', subjectId: u.id, payload: { fqdn: u.fqdn, startDate, expiryDate: expiry }, atIso: nowIso });
  }
  const operatorId = coverage.all[0]?.operator_id ?? null;
  await recordNotification(tx, { kind: 'certificate.issued', operatorId, subscriberId: c.subscriberId, subjectType: 'certificate', subjectId: c.serial, payload: { names: c.names }, atIso: nowIso });
}

/** Continue one expired period (AT 10 automatic continuation) and book its fee. */
async function continueUsage(tx: Repositories, config: Config, u: UsageFqdnRow, nowIso: string): Promise<boolean> {
  const old = u.expiry_date as string;
  const period = u.continuation_period as UsagePeriod;
  const periodStart = addLocalDays(old, 1);
  const expiry = nextExpiry(old, period);
  if (!(await tx.updateUsageFqdn(u.id, { status: 'active', expiry_date: old }, { expiry_date: expiry }, nowIso))) return false;
  await tx.insertFeeLine(
    newFeeLine(config, {
      operatorId: u.operator_id,
      kind: 'continuation',
      accrualDate: periodStart,
      nowIso,
      usage: { id: u.id, subscriberId: u.subscriber_id, fqdn: u.fqdn, period, periodStart, periodEnd: expiry },
    }),
  );
  await tx.appendAudit({ at: nowIso, actor: SYSTEM, action: 'usage-fqdn.continued', objectType: 'usage-fqdn', objectId: u.id, details: { before: { expiryDate: old }, after: { expiryDate: expiry }, period } });
  await recordNotification(tx, { kind: 'usage-fqdn.continued', operatorId: u.operator_id, subscriberId: u.subscriber_id, subjectType: 'usage-fqdn', subjectId: u.id, payload: { fqdn: u.fqdn, periodStart, expiryDate: expiry, period }, atIso: nowIso });
  return true;
}

/**
 * SPEC §5.4 (AT 12): end a usage FQDN and revoke, in the same transaction,
 * every unexpired certificate of the subscriber that holds one of its names
 * no other live usage FQDN of the subscriber still allows — multi-domain
 * certificates included.
 */
export async function endUsage(
  tx: Repositories,
  config: Config,
  u: UsageFqdnRow,
  e: { endedOn: string; reason: string; nowIso: string; actor: string; expect: Partial<Pick<UsageFqdnRow, 'status' | 'expiry_date'>> },
): Promise<{ ended: boolean; revoked: string[] }> {
  if (!(await tx.updateUsageFqdn(u.id, e.expect, { status: 'ended', ended_on: e.endedOn, end_reason: e.reason }, e.nowIso))) return { ended: false, revoked: [] };
  await tx.appendAudit({ at: e.nowIso, actor: e.actor, action: 'usage-fqdn.ended', objectType: 'usage-fqdn', objectId: u.id, details: { before: { status: u.status }, after: { status: 'ended', endedOn: e.endedOn }, reason: e.reason } });
  const stillLive = (await tx.listLiveUsageFqdnsOfSubscriber(u.subscriber_id)).filter((x) => x.id !== u.id);
  const ending = new Set(namesAllowedBy(u.fqdn));
  const reasonCode = config.registry.endOfUsageRevocationReason;
  const revoked: string[] = [];
  for (const cert of await tx.listLiveCertificatesOfUsageFqdn(u.id, e.nowIso)) {
    const names = JSON.parse(cert.names) as string[];
    const orphaned = names.filter((n) => ending.has(n) && resolveCoverage([n], stillLive).uncovered.length > 0);
    if (orphaned.length === 0) {
      // Kept: from now on it is held under the other live usage FQDNs allowing its names, so
      // it is revoked when the last of them ends (they may have been registered after it was issued).
      const linked = new Set(await tx.listUsageFqdnIdsOfCertificate(cert.serial));
      await tx.linkCertificateUsageFqdns(cert.serial, resolveCoverage(names, stillLive).all.filter((x) => !linked.has(x.id)).map((x) => x.id));
      continue;
    }
    const done = await tx.recordRevocation({ serial: cert.serial, reason: reasonCode, atIso: e.nowIso, actor: e.actor, details: { cause: 'usage FQDN ended', usageFqdn: u.id, fqdn: u.fqdn } });
    if (!done) continue;
    revoked.push(cert.serial);
    await recordNotification(tx, { kind: 'certificate.revoked', operatorId: u.operator_id, subscriberId: u.subscriber_id, subjectType: 'certificate', subjectId: cert.serial, payload: { reason: reasonCode, cause: 'usage-fqdn-ended', fqdn: u.fqdn }, atIso: e.nowIso });
  }
  await recordNotification(tx, { kind: 'usage-fqdn.ended', operatorId: u.operator_id, subscriberId: u.subscriber_id, subjectType: 'usage-fqdn', subjectId: u.id, payload: { fqdn: u.fqdn, endedOn: e.endedOn, reason: e.reason, revokedCertificates: revoked }, atIso: e.nowIso });
  return { ended: true, revoked };
}

export interface DayReport {
  day: string;
  continued: number;
  ended: number;
  revoked: number;
}

/**
 * The day-boundary work for local date `day` (SPEC §5.3–§5.4): every active
 * usage FQDN whose expiry date is before `day` either ends (termination
 * notice filed) or continues for another period. Each FQDN is handled in its
 * own transaction with compare-and-set updates, so a rerun, or a second
 * instance doing the same day, changes nothing twice.
 */
export async function processUsageDay(d: RegistryDeps, day: string): Promise<DayReport> {
  const report: DayReport = { day, continued: 0, ended: 0, revoked: 0 };
  for (;;) {
    const due = await d.sa.repos.listUsageFqdnsExpiredBefore(day, 100);
    if (due.length === 0) return report;
    let progressed = false;
    for (const u of due) {
      const nowIso = d.clock.now().toISOString();
      await d.sa.transaction(async (tx) => {
        const fresh = await tx.getUsageFqdnForUpdate(u.id, d.sa.dialect);
        if (!fresh || fresh.status !== 'active' || fresh.expiry_date === null || fresh.expiry_date >= day) return;
        // A notice ends the usage at the expiry date it was filed before (SPEC §5.3). One filed
        // after that date — the day boundary passed, this job had not run yet — finds the usage
        // already continued, and ends it at the next expiry.
        const noticeDay = fresh.termination_notice_at === null ? null : localDateOf(new Date(fresh.termination_notice_at), d.config.timeZone);
        const byNotice = noticeDay !== null && noticeDay <= fresh.expiry_date;
        // SPEC §8 (AR 16): an expiry date falling within the managing operator's suspension ends the
        // usage without a notice — suspended at 00:00 of the next local day, when it would continue.
        const suspension = byNotice ? undefined : await suspensionEndingUsage(tx, fresh, d.config.timeZone);
        if (byNotice || suspension !== undefined) {
          const r = await endUsage(tx, d.config, fresh, {
            endedOn: fresh.expiry_date,
            reason: byNotice ? 'termination-notice' : 'operator-suspended',
            nowIso,
            actor: SYSTEM,
            expect: { status: 'active', expiry_date: fresh.expiry_date },
          });
          if (r.ended) {
            report.ended += 1;
            report.revoked += r.revoked.length;
            progressed = true;
          }
        } else if (await continueUsage(tx, d.config, fresh, nowIso)) {
          report.continued += 1;
          progressed = true;
        }
      });
    }
    // Rows another instance already handled drop out of the next query; stop if nothing moved.
    if (!progressed) return report;
  }
}
