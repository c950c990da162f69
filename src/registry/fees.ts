import { randomId } from '../core/ids.js';
import type { Config } from '../config/schema.js';
import type { FeeKind, FeeLineRow } from '../sa/index.js';
import type { UsagePeriod } from './usage-period.js';

/**
 * Fees owed by operators (SPEC §9, AR 2, AR 12): the one-time contract fee
 * and one fee per chargeable usage period (registration = first period,
 * continuation = each following one, same price per period kind). Amounts
 * are whole currency units; consumption tax is computed per line and rounded
 * down. Nothing is ever refunded, so lines are only ever added.
 */
export function unitPrice(config: Config, kind: FeeKind, period: UsagePeriod | null): number {
  if (kind === 'contract') return config.fees.contractFee;
  return period === '1y' ? config.fees.yearlyPeriodFee : config.fees.monthlyPeriodFee;
}

export function taxOn(amount: number, ratePercent: number): number {
  return Math.floor((amount * ratePercent) / 100);
}

export function newFeeLine(
  config: Config,
  l: {
    operatorId: string;
    kind: FeeKind;
    accrualDate: string;
    nowIso: string;
    usage?: { id: string; subscriberId: string; fqdn: string; period: UsagePeriod; periodStart: string; periodEnd: string };
  },
): FeeLineRow {
  const price = unitPrice(config, l.kind, l.usage?.period ?? null);
  const rate = config.fees.taxRatePercent;
  const tax = taxOn(price, rate);
  return {
    id: `fee_${randomId(12)}`,
    operator_id: l.operatorId,
    kind: l.kind,
    usage_fqdn_id: l.usage?.id ?? null,
    subscriber_id: l.usage?.subscriberId ?? null,
    fqdn: l.usage?.fqdn ?? null,
    period: l.usage?.period ?? null,
    period_start: l.usage?.periodStart ?? null,
    period_end: l.usage?.periodEnd ?? null,
    accrual_date: l.accrualDate,
    unit_price: price,
    tax_rate_percent: rate,
    tax,
    total: price + tax,
    currency: config.fees.currency,
    created_at: l.nowIso,
  };
}
