/**
 * Calendar dates in an IANA time zone (SPEC §2 "date" = the calendar date in
 * the CA's time zone, default Asia/Tokyo; SPEC §5.3 usage periods).
 *
 * Two representations:
 * - `CalendarDate` — `{ year, month (1–12), day }`, used by the certificate
 *   validity arithmetic (src/ca/validity.ts);
 * - `LocalDate` — the ISO 8601 calendar date string `YYYY-MM-DD` (years
 *   0001–9999), used wherever a date is stored or compared (usage periods,
 *   billing months). ISO strings of one length sort chronologically, so
 *   `a < b` compares two LocalDates.
 *
 * Pure functions: time comes in as an argument. Date arithmetic is done on
 * UTC midnights, which have no DST, so adding days never drifts.
 */

export interface CalendarDate {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
}

/** An ISO calendar date `YYYY-MM-DD` (no time, no zone). */
export type LocalDate = string;

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
      era: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Wall-clock fields of instant `at` in `timeZone`. */
function wallClock(at: Date, timeZone: string): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number> {
  if (Number.isNaN(at.getTime())) throw new RangeError('Invalid Date');
  const out = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  let bc = false;
  for (const p of formatter(timeZone).formatToParts(at)) {
    if (p.type in out) out[p.type as keyof typeof out] = Number(p.value);
    else if (p.type === 'era') bc = p.value === 'BC';
  }
  if (bc) out.year = 1 - out.year; // proleptic Gregorian: 1 BC is year 0
  return out;
}

/**
 * Milliseconds since the epoch of UTC midnight of the given (possibly
 * overflowing) date. Unlike `Date.UTC` it does not map years 0–99 to 1900–1999.
 */
function utcMidnight(year: number, month: number, day: number): number {
  const t = new Date(0);
  t.setUTCFullYear(year, month - 1, day);
  return t.getTime();
}

/** Offset of `timeZone` from UTC at instant `at`, in milliseconds (Tokyo: +9 h). */
export function zoneOffsetMs(at: Date, timeZone: string): number {
  const w = wallClock(at, timeZone);
  const asUtc = utcMidnight(w.year, w.month, w.day) + ((w.hour * 60 + w.minute) * 60 + w.second) * 1000;
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** The calendar date of instant `at` in `timeZone`. */
export function calendarDateIn(at: Date, timeZone: string): CalendarDate {
  const w = wallClock(at, timeZone);
  return { year: w.year, month: w.month, day: w.day };
}

/** `date` + `days` calendar days (handles month and year ends, leap years). */
export function addDays(date: CalendarDate, days: number): CalendarDate {
  const t = new Date(utcMidnight(date.year, date.month, date.day + days));
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
  const naive = utcMidnight(date.year, date.month, date.day) + ((hour * 60 + minute) * 60 + second) * 1000;
  // Two passes settle the offset across a DST change between the guess and the answer.
  const first = naive - zoneOffsetMs(new Date(naive), timeZone);
  const second_ = naive - zoneOffsetMs(new Date(first), timeZone);
  return new Date(second_);
}

// ---------------------------------------------------------------------------
// ISO local dates (`YYYY-MM-DD`) and months (`YYYY-MM`)

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Number of days of `month` (1–12) of `year` (Gregorian: 2000 is leap, 2100 is not). */
export function lastDayOfMonth(year: number, month: number): number {
  if (!Number.isInteger(year) || !Number.isInteger(month) || month < 1 || month > 12) {
    throw new RangeError(`No such month: ${year}-${month}`);
  }
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function isValidCalendarDate(d: CalendarDate): boolean {
  return (
    Number.isInteger(d.year) &&
    Number.isInteger(d.month) &&
    Number.isInteger(d.day) &&
    d.year >= 1 &&
    d.year <= 9999 &&
    d.month >= 1 &&
    d.month <= 12 &&
    d.day >= 1 &&
    d.day <= lastDayOfMonth(d.year, d.month)
  );
}

/** Parses `YYYY-MM-DD`; throws RangeError on malformed or nonexistent dates (2026-02-30). */
export function parseLocalDate(s: string): CalendarDate {
  const m = typeof s === 'string' ? LOCAL_DATE.exec(s) : null;
  if (m === null) throw new RangeError(`Not a YYYY-MM-DD date: ${JSON.stringify(s)}`);
  const d = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  if (!isValidCalendarDate(d)) throw new RangeError(`No such date: ${s}`);
  return d;
}

/** Formats a calendar date as `YYYY-MM-DD`; throws RangeError if it does not exist or is outside years 1–9999. */
export function formatLocalDate(d: CalendarDate): LocalDate {
  if (!isValidCalendarDate(d)) throw new RangeError(`No such date: ${JSON.stringify(d)}`);
  return `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

/** True when `s` is an existing calendar date written `YYYY-MM-DD`. */
export function isLocalDate(s: unknown): s is LocalDate {
  if (typeof s !== 'string') return false;
  const m = LOCAL_DATE.exec(s);
  return m !== null && isValidCalendarDate({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) });
}

/** The calendar date (`YYYY-MM-DD`) of instant `at` in `timeZone`. */
export function localDateOf(at: Date, timeZone: string): LocalDate {
  return formatLocalDate(calendarDateIn(at, timeZone));
}

/** `d` + `n` calendar days (`n` may be negative; must be an integer). */
export function addLocalDays(d: LocalDate, n: number): LocalDate {
  if (!Number.isInteger(n)) throw new RangeError(`Not a whole number of days: ${n}`);
  return formatLocalDate(addDays(parseLocalDate(d), n));
}

/**
 * The instant at which day `d` begins in `timeZone` (normally 00:00:00 local).
 * Where the clocks jump over midnight (e.g. a DST change at 00:00), it is the
 * first instant whose local date is `d`.
 */
export function startOfLocalDay(d: LocalDate, timeZone: string): Date {
  const date = parseLocalDate(d);
  const target = dayKey(date);
  const dayAt = (ms: number): number => dayKey(calendarDateIn(new Date(ms), timeZone));
  const guess = zonedTimeToInstant(date, 0, 0, 0, timeZone).getTime();
  if (dayAt(guess) === target && dayAt(guess - 1000) < target) return new Date(guess);
  // Midnight does not exist (or exists twice) in this zone on that day: search,
  // in whole seconds, for the first instant whose local date is not before d.
  // UTC offsets lie within ±15 h, so d begins within (midnight UTC − 15 h, midnight UTC + 15 h].
  const midnightUtc = utcMidnight(date.year, date.month, date.day) / 1000;
  let lo = midnightUtc - 15 * 3600; // local date before d
  let hi = midnightUtc + 15 * 3600; // local date d or later
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (dayAt(mid * 1000) >= target) hi = mid;
    else lo = mid;
  }
  return new Date(hi * 1000);
}

/** A number that orders calendar dates chronologically. */
function dayKey(d: CalendarDate): number {
  return (d.year * 100 + d.month) * 100 + d.day;
}

/** The month (`YYYY-MM`) of a local date. */
export function monthOf(d: LocalDate): string {
  parseLocalDate(d);
  return d.slice(0, 7);
}

/** True when `s` is a month written `YYYY-MM` (years 0001–9999). */
export function isMonth(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const m = MONTH.exec(s);
  if (m === null) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  return year >= 1 && month >= 1 && month <= 12;
}

/** First and last day of a month given as `YYYY-MM`; throws RangeError on anything else. */
export function monthBounds(month: string): { first: LocalDate; last: LocalDate } {
  if (!isMonth(month)) throw new RangeError(`Not a YYYY-MM month: ${JSON.stringify(month)}`);
  const year = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return {
    first: formatLocalDate({ year, month: m, day: 1 }),
    last: formatLocalDate({ year, month: m, day: lastDayOfMonth(year, m) }),
  };
}
