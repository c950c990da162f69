/**
 * Usage period arithmetic for usage FQDNs (SPEC §5.3, terms AT 10).
 *
 * Dates are `LocalDate`s (`YYYY-MM-DD`), i.e. calendar dates in the CA's time
 * zone: the caller turns the issuance instant of the first certificate into a
 * start date with `localDateOf(issuedAt, timeZone)` (src/core/calendar.ts).
 * Every expiry is the last day of a month, so a period always ends at a
 * month end whatever day it started on.
 *
 * Pure functions, no I/O.
 */
import { addLocalDays, formatLocalDate, lastDayOfMonth, parseLocalDate, type LocalDate } from '../core/calendar.js';

/** Usage period chosen at application (SPEC §5.1): one month or one year. */
export type UsagePeriod = '1m' | '1y';

export const USAGE_PERIODS = ['1m', '1y'] as const satisfies readonly UsagePeriod[];

export function isUsagePeriod(x: unknown): x is UsagePeriod {
  return x === '1m' || x === '1y';
}

function monthsOf(period: UsagePeriod): number {
  switch (period) {
    case '1m':
      return 1;
    case '1y':
      return 12;
    default:
      throw new RangeError(`Unknown usage period: ${JSON.stringify(period)}`);
  }
}

/** Last day of the month `months` months after the month of `d`. */
function lastDayOfMonthAfter(d: LocalDate, months: number): LocalDate {
  const { year, month } = parseLocalDate(d);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return formatLocalDate({ year: y, month: m, day: lastDayOfMonth(y, m) });
}

/**
 * Expiry date of the first period of a usage FQDN (SPEC §5.3, AT 10).
 * `start` is the start date: the date the first certificate covering the FQDN
 * was issued. 1 month → the last day of the month after start's month;
 * 1 year → the last day of the same month of the next year.
 * Examples (SPEC §5.3): 2026-01-31 → 1m 2026-02-28, 1y 2027-01-31;
 * 2028-02-29 → 1y 2029-02-28; 2026-12-15 → 1m 2027-01-31.
 * Throws RangeError on a malformed date or an unknown period.
 */
export function firstExpiry(start: LocalDate, period: UsagePeriod): LocalDate {
  return lastDayOfMonthAfter(start, monthsOf(period));
}

/**
 * Expiry date after an automatic continuation (SPEC §5.3 "Automatic
 * continuation", AT 10): the last day of the next month (1 month) or of the
 * same month of the next year (1 year) after the old expiry. `period` is the
 * continuation period in force at the old expiry (it may have been changed via
 * the operator). Only the old expiry's month matters; expiries are month ends
 * anyway. Example: 2026-12-31 → 1m 2027-01-31; 2028-02-29 → 1y 2029-02-28.
 */
export function nextExpiry(oldExpiry: LocalDate, period: UsagePeriod): LocalDate {
  return lastDayOfMonthAfter(oldExpiry, monthsOf(period));
}

/**
 * First day of a continuation period (SPEC §5.3, AT 10): the day after the old
 * expiry date. Each start and continuation is a chargeable period (SPEC §9).
 */
export function continuationStart(oldExpiry: LocalDate): LocalDate {
  return addLocalDays(oldExpiry, 1);
}

/**
 * The successive expiry dates of a usage FQDN started on `start` (SPEC §5.3,
 * AT 10): `firstExpiry(start, periods[0])`, then `nextExpiry(previous, p)` for
 * each following period `p`. For tests and documentation. Empty `periods` → [].
 */
export function expiryChain(start: LocalDate, periods: readonly UsagePeriod[]): LocalDate[] {
  parseLocalDate(start); // reject a malformed start even when there are no periods
  const out: LocalDate[] = [];
  periods.forEach((p, i) => {
    out.push(i === 0 ? firstExpiry(start, p) : nextExpiry(out[i - 1] as LocalDate, p));
  });
  return out;
}
