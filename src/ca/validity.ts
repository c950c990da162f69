/**
 * Certificate validity period (SPEC §2, BR §6.3.2, RFC 5280 §4.1.2.5).
 *
 * - notBefore = signing time (whole seconds) − backdate. BR §7.1.2.7:
 *   notBefore within 48 h of signing; the config caps backdating at 1 h.
 * - Last valid day = issue date + validityDays, where "date" is the calendar
 *   date in the CA's IANA time zone (default Asia/Tokyo); notAfter is 23:59:59
 *   of that day in that zone.
 * - RFC 5280 validity is inclusive of both ends, so the BR §6.3.2 period is
 *   notAfter − notBefore + 1 s; it is capped at brMaxValidityDays × 86400 s.
 *
 * Pure functions: time comes in as an argument.
 */
import { brMaxValidityDays } from '../config/schema.js';

export interface ValidityPolicy {
  validityDays: number;
  backdateSeconds: number;
  /** IANA time zone that defines "date". */
  timeZone: string;
}

export interface ValidityPeriod {
  notBefore: Date;
  notAfter: Date;
}

export interface CalendarDate {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Wall-clock fields of instant `at` in `timeZone`. */
function wallClock(at: Date, timeZone: string): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number> {
  const out = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const p of formatter(timeZone).formatToParts(at)) {
    if (p.type in out) out[p.type as keyof typeof out] = Number(p.value);
  }
  return out;
}

/** Offset of `timeZone` from UTC at instant `at`, in milliseconds (Tokyo: +9 h). */
export function zoneOffsetMs(at: Date, timeZone: string): number {
  const w = wallClock(at, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** The calendar date of instant `at` in `timeZone`. */
export function calendarDateIn(at: Date, timeZone: string): CalendarDate {
  const w = wallClock(at, timeZone);
  return { year: w.year, month: w.month, day: w.day };
}

/** `date` + `days` calendar days (handles month and year ends, leap years). */
export function addDays(date: CalendarDate, days: number): CalendarDate {
  const t = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** The instant at which the wall clock in `timeZone` shows the given local time. */
export function zonedTimeToInstant(
  date: CalendarDate,
  hour: number,
  minute: number,
  second: number,
  timeZone: string,
): Date {
  const naive = Date.UTC(date.year, date.month - 1, date.day, hour, minute, second);
  // Two passes settle the offset across a DST change between the guess and the answer.
  const first = naive - zoneOffsetMs(new Date(naive), timeZone);
  const second_ = naive - zoneOffsetMs(new Date(first), timeZone);
  return new Date(second_);
}

/** The validity period of a certificate signed at `now` (see the file comment). */
export function computeValidity(
  now: Date,
  policy: ValidityPolicy,
  maxValidityDays: number = brMaxValidityDays(now),
): ValidityPeriod {
  if (!Number.isInteger(policy.validityDays) || policy.validityDays < 1) {
    throw new Error('validityDays must be a positive integer');
  }
  const signedAt = Math.floor(now.getTime() / 1000) * 1000; // X.509 times have 1 s resolution
  const notBefore = new Date(signedAt - policy.backdateSeconds * 1000);
  const issueDate = calendarDateIn(now, policy.timeZone);
  const lastDay = addDays(issueDate, policy.validityDays);
  let notAfter = zonedTimeToInstant(lastDay, 23, 59, 59, policy.timeZone);
  // BR §6.3.2: validity period (inclusive, so + 1 s) ≤ the maximum in force.
  const maxMs = maxValidityDays * 86_400_000;
  if (notAfter.getTime() - notBefore.getTime() + 1000 > maxMs) {
    notAfter = new Date(notBefore.getTime() + maxMs - 1000);
  }
  return { notBefore, notAfter };
}

/** Validity period in seconds as BR §6.3.2 counts it (inclusive of both ends). */
export function validitySeconds(p: ValidityPeriod): number {
  return (p.notAfter.getTime() - p.notBefore.getTime()) / 1000 + 1;
}
