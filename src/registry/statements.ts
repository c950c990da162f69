import { ShomeiError } from '../core/errors.js';
import { addLocalDays, isMonth, monthBounds } from '../core/calendar.js';
import { csvText } from '../core/csv.js';
import type { FeeLineRow, PaymentRow } from '../sa/index.js';
import type { RegistryDeps } from './types.js';

export interface StatementLine {
  date: string;
  kind: FeeLineRow['kind'];
  fqdn: string | null;
  subscriberId: string | null;
  usageFqdnId: string | null;
  period: string | null;
  periodStart: string | null;
  periodEnd: string | null;
  unitPrice: number;
  taxRatePercent: number;
  tax: number;
  total: number;
}

export interface Statement {
  operatorId: string;
  operatorName: string;
  month: string;
  currency: string;
  lines: StatementLine[];
  subtotal: number;
  tax: number;
  total: number;
  /** Fees minus payments before the month began. */
  openingBalance: number;
  payments: { receivedOn: string; amount: number; reference: string | null }[];
  paymentsTotal: number;
  /** What the operator owes at the end of the month (opening + total − payments). */
  closingBalance: number;
}

function line(f: FeeLineRow): StatementLine {
  return {
    date: f.accrual_date,
    kind: f.kind,
    fqdn: f.fqdn,
    subscriberId: f.subscriber_id,
    usageFqdnId: f.usage_fqdn_id,
    period: f.period,
    periodStart: f.period_start,
    periodEnd: f.period_end,
    unitPrice: f.unit_price,
    taxRatePercent: f.tax_rate_percent,
    tax: f.tax,
    total: f.total,
  };
}

/** SPEC §9: the monthly statement of one operator — fee lines accrued in the month, payments received, balances. */
export async function buildStatement(d: RegistryDeps, operatorId: string, month: string): Promise<Statement> {
  if (!isMonth(month)) throw new ShomeiError('malformed', `month must be YYYY-MM, got "${month}"`);
  const { first, last } = monthBounds(month);
  const dayBefore = addLocalDays(first, -1);
  // One transaction: a payment recorded meanwhile cannot make the statement disagree with itself.
  const { op, fees, payments, feesBefore, paidBefore } = await d.sa.transaction(async (tx) => ({
    op: await tx.getOperator(operatorId),
    fees: await tx.listFeeLines(operatorId, first, last),
    payments: await tx.listPayments(operatorId, first, last),
    feesBefore: await tx.sumFeesUpTo(operatorId, dayBefore),
    paidBefore: await tx.sumPaymentsUpTo(operatorId, dayBefore),
  }));
  if (!op) throw new ShomeiError('notFound', 'No such operator');
  const lines = fees.map(line);
  const subtotal = lines.reduce((s, l) => s + l.unitPrice, 0);
  const tax = lines.reduce((s, l) => s + l.tax, 0);
  const paymentsTotal = payments.reduce((s, p: PaymentRow) => s + p.amount, 0);
  const openingBalance = feesBefore - paidBefore;
  return {
    operatorId,
    operatorName: op.name,
    month,
    currency: d.config.fees.currency,
    lines,
    subtotal,
    tax,
    total: subtotal + tax,
    openingBalance,
    payments: payments.map((p) => ({ receivedOn: p.received_on, amount: p.amount, reference: p.reference })),
    paymentsTotal,
    closingBalance: openingBalance + subtotal + tax - paymentsTotal,
  };
}

const CSV_COLUMNS = ['date', 'kind', 'fqdn', 'subscriber_id', 'usage_fqdn_id', 'period', 'period_start', 'period_end', 'unit_price', 'tax_rate_percent', 'tax', 'total', 'currency'];

/** The statement as CSV: one row per line item, then summary rows (kind = subtotal / tax / total / …). */
export function statementCsv(s: Statement): string {
  const rows: (string | number | null)[][] = [CSV_COLUMNS];
  for (const l of s.lines) {
    rows.push([l.date, l.kind, l.fqdn, l.subscriberId, l.usageFqdnId, l.period, l.periodStart, l.periodEnd, l.unitPrice, l.taxRatePercent, l.tax, l.total, s.currency]);
  }
  const summary = (kind: string, amount: number) => rows.push([s.month, kind, null, null, null, null, null, null, null, null, null, amount, s.currency]);
  summary('subtotal', s.subtotal);
  summary('tax', s.tax);
  summary('total', s.total);
  summary('opening_balance', s.openingBalance);
  summary('payments', s.paymentsTotal);
  summary('closing_balance', s.closingBalance);
  return csvText(rows);
}
