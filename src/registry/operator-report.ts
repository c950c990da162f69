import { ShomeiError } from '../core/errors.js';
import { addLocalDays, isLocalDate, monthBounds, monthOf, startOfLocalDay } from '../core/calendar.js';
import { csvText, type CsvValue } from '../core/csv.js';
import { buildStatement, type StatementLine } from './statements.js';
import type { RegistryDeps } from './types.js';

/** Longest period one report covers (local days, inclusive). */
export const MAX_REPORT_DAYS = 1830;

const REASON_NAMES: Record<number, string> = {
  0: 'unspecified',
  1: 'keyCompromise',
  3: 'affiliationChanged',
  4: 'superseded',
  5: 'cessationOfOperation',
  6: 'certificateHold',
  9: 'privilegeWithdrawn',
};

export interface ReportApplication {
  decidedAt: string;
  fqdn: string;
  subscriberId: string;
  period: string;
  decision: 'accepted' | 'refused';
  reasons: { code: string; detail: string }[];
  usageFqdnId: string | null;
}

export interface ReportUsageStart {
  usageFqdnId: string;
  fqdn: string;
  subscriberId: string;
  startDate: string;
  expiryDate: string | null;
  period: string;
}

export interface ReportTerminationNotice {
  at: string;
  usageFqdnId: string;
  fqdn: string;
  subscriberId: string;
  by: string;
}

export interface ReportUsageEnded {
  usageFqdnId: string;
  fqdn: string;
  subscriberId: string;
  endedOn: string;
  reason: string | null;
}

export interface ReportCertificate {
  serial: string;
  subscriberId: string | null;
  names: string[];
  issuedAt: string;
  notAfter: string;
  revokedAt: string | null;
  reason: number | null;
  reasonName: string | null;
}

export interface OperatorReport {
  operatorId: string;
  operatorName: string;
  /** Local dates in the CA time zone, both inclusive. */
  from: string;
  to: string;
  timeZone: string;
  currency: string;
  generatedAt: string;
  counts: {
    applicationsAccepted: number;
    applicationsRefused: number;
    usageStarts: number;
    continuations: number;
    terminationNoticesFiled: number;
    terminationNoticesWithdrawn: number;
    usageEnded: number;
    issuances: number;
    revocations: number;
    feeLines: number;
    openNotices: number;
  };
  applications: ReportApplication[];
  usageStarts: ReportUsageStart[];
  /** Fee lines of kind `continuation` accrued in the period (SPEC §5.3). */
  continuations: StatementLine[];
  terminations: {
    noticesFiled: ReportTerminationNotice[];
    noticesWithdrawn: ReportTerminationNotice[];
    ended: ReportUsageEnded[];
  };
  issuances: ReportCertificate[];
  revocations: ReportCertificate[];
  /** The fee lines of the monthly statements (SPEC §9) accrued in the period, with their sums. */
  fees: { lines: StatementLine[]; subtotal: number; tax: number; total: number };
  /** What is open when the report is made (not as of `to`). */
  openNotices: {
    correctionNotices: { id: string; ground: string; detail: string; issuedAt: string; deadline: string }[];
    suspensions: { id: string; kind: string; reason: string; startsAt: string; endsAt: string | null }[];
    handoverDemands: { id: string; demandedAt: string; deadline: string; items: string }[];
    terminationNotices: ReportTerminationNotice[];
    contractTermination: { id: string; effectiveAt: string; reason: string; status: string } | null;
  };
}

function checkPeriod(from: unknown, to: unknown): { from: string; to: string } {
  if (!isLocalDate(from) || !isLocalDate(to)) throw new ShomeiError('malformed', 'from and to must be local dates, YYYY-MM-DD');
  if (from > to) throw new ShomeiError('malformed', `from (${from}) is after to (${to})`);
  if (addLocalDays(from, MAX_REPORT_DAYS - 1) < to) throw new ShomeiError('malformed', `a report covers at most ${MAX_REPORT_DAYS} days`);
  return { from, to };
}

/** The months (YYYY-MM) that [from, to] touches. */
function monthsOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = monthOf(from); ; ) {
    out.push(m);
    if (m >= monthOf(to)) return out;
    m = monthOf(addLocalDays(monthBounds(m).last, 1));
  }
}

function parseJsonArray<T>(text: string): T[] {
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? (v as T[]) : [];
  } catch {
    return [];
  }
}

function certificate(c: { serial: string; subscriber_id: string | null; names: string; issued_at: string; not_after: string; revoked_at: string | null; revocation_reason: number | null }): ReportCertificate {
  const reason = c.revocation_reason === null ? null : Number(c.revocation_reason);
  return {
    serial: c.serial,
    subscriberId: c.subscriber_id,
    names: parseJsonArray<string>(c.names),
    issuedAt: c.issued_at,
    notAfter: c.not_after,
    revokedAt: c.revoked_at,
    reason,
    reasonName: reason === null ? null : (REASON_NAMES[reason] ?? String(reason)),
  };
}

/**
 * AR 15: what an operator did in a period — applications (accepted and
 * refused, with reasons), usage-FQDN starts, continuations, termination
 * notices filed and withdrawn, usage FQDNs ended, certificates issued to and
 * revoked for its subscribers, fees — and the notices open against it now.
 * `from`/`to` are local dates in the CA time zone, both inclusive. Fees come
 * from the monthly statements (src/registry/statements.ts), so the two agree.
 */
export async function buildOperatorReport(d: RegistryDeps, operatorId: string, fromInput: unknown, toInput: unknown): Promise<OperatorReport> {
  const { from, to } = checkPeriod(fromInput, toInput);
  const tz = d.config.timeZone;
  const fromIso = startOfLocalDay(from, tz).toISOString();
  const toIso = startOfLocalDay(addLocalDays(to, 1), tz).toISOString();
  const now = d.clock.now().toISOString();
  const repos = d.sa.repos;
  const op = await repos.getOperator(operatorId);
  if (!op) throw new ShomeiError('notFound', 'No such operator');

  const feeLines: StatementLine[] = [];
  for (const month of monthsOf(from, to)) {
    const s = await buildStatement(d, operatorId, month);
    feeLines.push(...s.lines.filter((l) => l.date >= from && l.date <= to));
  }

  const applications: ReportApplication[] = (await repos.listFqdnApplications({ operatorId, fromIso, toIso })).map((a) => ({
    decidedAt: a.decided_at,
    fqdn: a.fqdn ?? a.fqdn_input,
    subscriberId: a.subscriber_id,
    period: a.period,
    decision: a.decision,
    reasons: parseJsonArray<{ code: string; detail: string }>(a.reasons),
    usageFqdnId: a.usage_fqdn_id,
  }));
  const usageStarts: ReportUsageStart[] = (await repos.listUsageFqdnsStartedBetween(operatorId, from, to)).map((u) => ({
    usageFqdnId: u.id,
    fqdn: u.fqdn,
    subscriberId: u.subscriber_id,
    startDate: u.start_date as string,
    expiryDate: u.expiry_date,
    period: u.period,
  }));
  const noticeEvents = await repos.listUsageFqdnAuditOfOperator(operatorId, ['usage-fqdn.termination-filed', 'usage-fqdn.termination-withdrawn'], fromIso, toIso);
  const notice = (e: (typeof noticeEvents)[number]): ReportTerminationNotice => ({ at: e.at, usageFqdnId: e.object_id, fqdn: e.fqdn, subscriberId: e.subscriber_id, by: e.actor });
  const ended: ReportUsageEnded[] = (await repos.listUsageFqdnsEndedBetween(operatorId, from, to)).map((u) => ({
    usageFqdnId: u.id,
    fqdn: u.fqdn,
    subscriberId: u.subscriber_id,
    endedOn: u.ended_on as string,
    reason: u.end_reason,
  }));
  const issuances = (await repos.listCertificatesIssuedBetween(operatorId, fromIso, toIso)).map(certificate);
  const revocations = (await repos.listCertificatesRevokedBetween(operatorId, fromIso, toIso)).map(certificate);

  const termination = await repos.getOperatorTermination(operatorId);
  const openNotices: OperatorReport['openNotices'] = {
    correctionNotices: (await repos.reportOpenCorrectionNotices(operatorId)).map((n) => ({ id: n.id, ground: n.ground, detail: n.detail, issuedAt: n.issued_at, deadline: n.deadline })),
    suspensions: (await repos.reportSuspensionsInForce(operatorId, now)).map((s) => ({ id: s.id, kind: s.kind, reason: s.reason, startsAt: s.starts_at, endsAt: s.ends_at })),
    handoverDemands: (await repos.reportOpenHandoverDemands(operatorId)).map((h) => ({ id: h.id, demandedAt: h.demanded_at, deadline: h.deadline, items: h.items })),
    terminationNotices: (await repos.reportPendingTerminationNotices(operatorId)).map((u) => ({
      at: u.termination_notice_at as string,
      usageFqdnId: u.id,
      fqdn: u.fqdn,
      subscriberId: u.subscriber_id,
      by: u.termination_notice_by ?? '',
    })),
    contractTermination:
      termination !== undefined && termination.status === 'scheduled'
        ? { id: termination.id, effectiveAt: termination.effective_at, reason: termination.reason, status: termination.status }
        : null,
  };

  const continuations = feeLines.filter((l) => l.kind === 'continuation');
  const noticesFiled = noticeEvents.filter((e) => e.action === 'usage-fqdn.termination-filed').map(notice);
  const noticesWithdrawn = noticeEvents.filter((e) => e.action === 'usage-fqdn.termination-withdrawn').map(notice);
  const subtotal = feeLines.reduce((s, l) => s + l.unitPrice, 0);
  const tax = feeLines.reduce((s, l) => s + l.tax, 0);
  const o = openNotices;
  return {
    operatorId,
    operatorName: op.name,
    from,
    to,
    timeZone: tz,
    currency: d.config.fees.currency,
    generatedAt: now,
    counts: {
      applicationsAccepted: applications.filter((a) => a.decision === 'accepted').length,
      applicationsRefused: applications.filter((a) => a.decision === 'refused').length,
      usageStarts: usageStarts.length,
      continuations: continuations.length,
      terminationNoticesFiled: noticesFiled.length,
      terminationNoticesWithdrawn: noticesWithdrawn.length,
      usageEnded: ended.length,
      issuances: issuances.length,
      revocations: revocations.length,
      feeLines: feeLines.length,
      openNotices: o.correctionNotices.length + o.suspensions.length + o.handoverDemands.length + o.terminationNotices.length + (o.contractTermination === null ? 0 : 1),
    },
    applications,
    usageStarts,
    continuations,
    terminations: { noticesFiled, noticesWithdrawn, ended },
    issuances,
    revocations,
    fees: { lines: feeLines, subtotal, tax, total: subtotal + tax },
    openNotices,
  };
}

export const REPORT_CSV_COLUMNS = ['section', 'date', 'subject_id', 'fqdn', 'subscriber_id', 'kind', 'reason', 'period', 'unit_price', 'tax', 'total', 'currency', 'detail'] as const;

/**
 * The report as one RFC 4180 CSV (formula-defused, src/core/csv.ts) with a
 * `section` column: `count` rows first (kind = counter, total = value), then
 * application, usage-start, continuation, termination-filed,
 * termination-withdrawn, usage-ended, issuance, revocation, fee, fee-sum
 * (kind subtotal / tax / total), and the open notices (correction-notice,
 * suspension, handover-demand, termination-notice, contract-termination).
 */
export function operatorReportCsv(r: OperatorReport): string {
  const rows: CsvValue[][] = [[...REPORT_CSV_COLUMNS]];
  const cur = r.currency;
  const row = (v: Partial<Record<(typeof REPORT_CSV_COLUMNS)[number], CsvValue>>) => rows.push(REPORT_CSV_COLUMNS.map((c) => v[c] ?? null));
  for (const [k, n] of Object.entries(r.counts)) row({ section: 'count', date: r.to, kind: k, total: n });
  for (const a of r.applications) {
    row({
      section: 'application',
      date: a.decidedAt,
      subject_id: a.usageFqdnId,
      fqdn: a.fqdn,
      subscriber_id: a.subscriberId,
      kind: a.decision,
      reason: a.reasons.map((x) => x.code).join('; ') || null,
      period: a.period,
      detail: a.reasons.map((x) => x.detail).join('; ') || null,
    });
  }
  for (const u of r.usageStarts) row({ section: 'usage-start', date: u.startDate, subject_id: u.usageFqdnId, fqdn: u.fqdn, subscriber_id: u.subscriberId, period: u.period, detail: u.expiryDate === null ? null : `expires ${u.expiryDate}` });
  const fee = (section: string, l: StatementLine) =>
    row({ section, date: l.date, subject_id: l.usageFqdnId, fqdn: l.fqdn, subscriber_id: l.subscriberId, kind: l.kind, period: l.period, unit_price: l.unitPrice, tax: l.tax, total: l.total, currency: cur, detail: l.periodStart === null ? null : `${l.periodStart}..${l.periodEnd ?? ''}` });
  for (const l of r.continuations) fee('continuation', l);
  const notice = (section: string, n: ReportTerminationNotice) => row({ section, date: n.at, subject_id: n.usageFqdnId, fqdn: n.fqdn, subscriber_id: n.subscriberId, detail: n.by });
  for (const n of r.terminations.noticesFiled) notice('termination-filed', n);
  for (const n of r.terminations.noticesWithdrawn) notice('termination-withdrawn', n);
  for (const e of r.terminations.ended) row({ section: 'usage-ended', date: e.endedOn, subject_id: e.usageFqdnId, fqdn: e.fqdn, subscriber_id: e.subscriberId, reason: e.reason });
  const cert = (section: string, date: string | null, c: ReportCertificate) =>
    row({ section, date, subject_id: c.serial, fqdn: c.names.join(' '), subscriber_id: c.subscriberId, reason: section === 'revocation' ? c.reasonName : null, kind: section === 'revocation' && c.reason !== null ? String(c.reason) : null, detail: `not after ${c.notAfter}` });
  for (const c of r.issuances) cert('issuance', c.issuedAt, c);
  for (const c of r.revocations) cert('revocation', c.revokedAt, c);
  for (const l of r.fees.lines) fee('fee', l);
  row({ section: 'fee-sum', date: r.to, kind: 'subtotal', total: r.fees.subtotal, currency: cur });
  row({ section: 'fee-sum', date: r.to, kind: 'tax', total: r.fees.tax, currency: cur });
  row({ section: 'fee-sum', date: r.to, kind: 'total', total: r.fees.total, currency: cur });
  const o = r.openNotices;
  for (const n of o.correctionNotices) row({ section: 'correction-notice', date: n.issuedAt, subject_id: n.id, kind: n.ground, detail: `${n.detail} (deadline ${n.deadline})` });
  for (const s of o.suspensions) row({ section: 'suspension', date: s.startsAt, subject_id: s.id, kind: s.kind, reason: s.reason, detail: s.endsAt === null ? 'until corrected' : `until ${s.endsAt}` });
  for (const h of o.handoverDemands) row({ section: 'handover-demand', date: h.demandedAt, subject_id: h.id, detail: `deadline ${h.deadline}: ${h.items}` });
  for (const n of o.terminationNotices) notice('termination-notice', n);
  if (o.contractTermination !== null) {
    const t = o.contractTermination;
    row({ section: 'contract-termination', date: t.effectiveAt, subject_id: t.id, kind: t.status, reason: t.reason });
  }
  return csvText(rows);
}
