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
import { addDays, calendarDateIn, zonedTimeToInstant } from '../core/calendar.js';

// The calendar helpers moved to src/core/calendar.ts; re-exported for existing importers.
export { addDays, calendarDateIn, zonedTimeToInstant, zoneOffsetMs, type CalendarDate } from '../core/calendar.js';

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
