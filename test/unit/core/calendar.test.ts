import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import {
  addLocalDays,
  formatLocalDate,
  isLocalDate,
  isMonth,
  lastDayOfMonth,
  localDateOf,
  monthBounds,
  monthOf,
  parseLocalDate,
  startOfLocalDay,
} from '../../../src/core/calendar.js';

describe('lastDayOfMonth', () => {
  const rows: [year: number, month: number, last: number, why: string][] = [
    [2026, 1, 31, '31-day month'],
    [2026, 2, 28, 'February, common year'],
    [2028, 2, 29, 'February, leap year (divisible by 4)'],
    [2100, 2, 28, 'February 2100: divisible by 100, not by 400 → common'],
    [2000, 2, 29, 'February 2000: divisible by 400 → leap'],
    [2026, 4, 30, '30-day month (April)'],
    [2026, 6, 30, '30-day month (June)'],
    [2026, 9, 30, '30-day month (September)'],
    [2026, 11, 30, '30-day month (November)'],
    [2026, 12, 31, 'December'],
  ];
  for (const [year, month, last, why] of rows) {
    test(`${year}-${month} → ${last} (${why})`, () => assert.equal(lastDayOfMonth(year, month), last));
  }
  for (const [year, month] of [[2026, 0], [2026, 13], [2026, 1.5]] as const) {
    test(`refuses month ${month}`, () => assert.throws(() => lastDayOfMonth(year, month), RangeError));
  }
});

describe('parseLocalDate / formatLocalDate / isLocalDate', () => {
  const valid: [string, { year: number; month: number; day: number }][] = [
    ['2026-01-31', { year: 2026, month: 1, day: 31 }],
    ['2028-02-29', { year: 2028, month: 2, day: 29 }],
    ['2000-02-29', { year: 2000, month: 2, day: 29 }],
    ['2026-12-31', { year: 2026, month: 12, day: 31 }],
    ['0001-01-01', { year: 1, month: 1, day: 1 }],
    ['9999-12-31', { year: 9999, month: 12, day: 31 }],
  ];
  for (const [s, d] of valid) {
    test(`${s} round-trips`, () => {
      assert.deepEqual(parseLocalDate(s), d);
      assert.equal(formatLocalDate(d), s);
      assert.equal(isLocalDate(s), true);
    });
  }
  const invalid: [unknown, string][] = [
    ['2026-02-30', 'nonexistent day'],
    ['2026-02-29', '29 Feb in a common year'],
    ['2100-02-29', '29 Feb 2100 (not leap)'],
    ['2026-04-31', '31st of a 30-day month'],
    ['2026-13-01', 'month 13'],
    ['2026-00-10', 'month 0'],
    ['2026-01-00', 'day 0'],
    ['0000-01-01', 'year 0'],
    ['2026-1-05', 'unpadded month'],
    ['26-01-05', 'two-digit year'],
    ['2026/01/05', 'slashes'],
    ['2026-01-05T00:00:00Z', 'a timestamp'],
    [' 2026-01-05', 'leading space'],
    ['', 'empty'],
    [20260105, 'a number'],
    [null, 'null'],
  ];
  for (const [s, why] of invalid) {
    test(`refuses ${JSON.stringify(s)} (${why})`, () => {
      assert.equal(isLocalDate(s), false);
      assert.throws(() => parseLocalDate(s as string), RangeError);
    });
  }
  test('formatLocalDate refuses nonexistent dates and years outside 1–9999', () => {
    assert.throws(() => formatLocalDate({ year: 2026, month: 2, day: 29 }), RangeError);
    assert.throws(() => formatLocalDate({ year: 0, month: 1, day: 1 }), RangeError);
    assert.throws(() => formatLocalDate({ year: 10000, month: 1, day: 1 }), RangeError);
  });
});

describe('addLocalDays', () => {
  const rows: [string, number, string, string][] = [
    ['2026-01-31', 1, '2026-02-01', '31-day month end'],
    ['2026-02-28', 1, '2026-03-01', 'February end, common year'],
    ['2028-02-28', 1, '2028-02-29', 'into leap day'],
    ['2028-02-29', 1, '2028-03-01', 'out of leap day'],
    ['2100-02-28', 1, '2100-03-01', '2100 is not leap'],
    ['2000-02-28', 1, '2000-02-29', '2000 is leap'],
    ['2026-04-30', 1, '2026-05-01', '30-day month end'],
    ['2026-12-31', 1, '2027-01-01', 'December → January'],
    ['2027-01-01', -1, '2026-12-31', 'backwards over the year end'],
    ['2026-03-01', -1, '2026-02-28', 'backwards into February'],
    ['2026-01-01', 365, '2027-01-01', 'a common year'],
    ['2028-01-01', 366, '2029-01-01', 'a leap year'],
    ['2026-05-05', 0, '2026-05-05', 'zero days'],
  ];
  for (const [d, n, want, why] of rows) {
    test(`${d} + ${n} = ${want} (${why})`, () => assert.equal(addLocalDays(d, n), want));
  }
  test('refuses fractional days, malformed dates and leaving years 1–9999', () => {
    assert.throws(() => addLocalDays('2026-01-01', 0.5), RangeError);
    assert.throws(() => addLocalDays('2026-02-30', 1), RangeError);
    assert.throws(() => addLocalDays('9999-12-31', 1), RangeError);
  });
});

describe('localDateOf and startOfLocalDay (time-zone boundary)', () => {
  const rows: [instant: string, zone: string, date: string, why: string][] = [
    ['2026-03-31T14:59:59Z', 'Asia/Tokyo', '2026-03-31', '23:59:59 JST is still 31 Mar'],
    ['2026-03-31T15:00:00Z', 'Asia/Tokyo', '2026-04-01', '00:00:00 JST is already 1 Apr'],
    ['2026-03-31T15:00:00Z', 'UTC', '2026-03-31', 'the same instant in UTC'],
    ['2026-12-31T15:00:00Z', 'Asia/Tokyo', '2027-01-01', 'year end in Tokyo'],
    ['2026-01-01T04:59:59Z', 'America/New_York', '2025-12-31', 'west of UTC the date lags'],
    ['2028-02-29T15:00:00Z', 'Asia/Tokyo', '2028-03-01', 'leap day ends at 15:00Z in Tokyo'],
  ];
  for (const [instant, zone, date, why] of rows) {
    test(`${instant} in ${zone} is ${date} (${why})`, () => assert.equal(localDateOf(new Date(instant), zone), date));
  }
  test('localDateOf refuses an invalid Date', () => {
    assert.throws(() => localDateOf(new Date(Number.NaN), 'Asia/Tokyo'), RangeError);
  });

  const starts: [date: string, zone: string, instant: string, why: string][] = [
    ['2026-04-01', 'Asia/Tokyo', '2026-03-31T15:00:00Z', 'JST = UTC+9'],
    ['2026-04-01', 'UTC', '2026-04-01T00:00:00Z', 'UTC'],
    ['2026-03-08', 'America/New_York', '2026-03-08T05:00:00Z', 'DST starts at 02:00 that day; midnight is still EST'],
    ['2026-11-01', 'America/New_York', '2026-11-01T04:00:00Z', 'DST ends at 02:00 that day; midnight is still EDT'],
    // Chile starts DST at 24:00 on Saturday: 00:00 on Sunday 2026-09-06 does
    // not exist (clocks go from 23:59:59 −04 to 01:00 −03 at 04:00Z).
    ['2026-09-06', 'America/Santiago', '2026-09-06T04:00:00Z', 'midnight skipped by DST: the day begins at 01:00 −03'],
  ];
  for (const [date, zone, instant, why] of starts) {
    test(`${date} begins in ${zone} at ${instant} (${why})`, () => {
      const t = startOfLocalDay(date, zone);
      assert.equal(t.toISOString(), new Date(instant).toISOString());
      // Independently of the expected value: t is in `date`, one second earlier is not.
      assert.equal(localDateOf(t, zone), date);
      assert.equal(localDateOf(new Date(t.getTime() - 1000), zone), addLocalDays(date, -1));
    });
  }
  test('startOfLocalDay refuses malformed dates', () => {
    assert.throws(() => startOfLocalDay('2026-02-30', 'Asia/Tokyo'), RangeError);
  });
});

describe('months', () => {
  const rows: [month: string, first: string, last: string, why: string][] = [
    ['2026-01', '2026-01-01', '2026-01-31', '31 days'],
    ['2026-02', '2026-02-01', '2026-02-28', 'February, common year'],
    ['2028-02', '2028-02-01', '2028-02-29', 'February, leap year'],
    ['2100-02', '2100-02-01', '2100-02-28', 'February 2100, not leap'],
    ['2000-02', '2000-02-01', '2000-02-29', 'February 2000, leap'],
    ['2026-04', '2026-04-01', '2026-04-30', '30 days'],
    ['2026-12', '2026-12-01', '2026-12-31', 'December'],
  ];
  for (const [month, first, last, why] of rows) {
    test(`monthBounds(${month}) = ${first}..${last} (${why})`, () => {
      assert.equal(isMonth(month), true);
      assert.deepEqual(monthBounds(month), { first, last });
      assert.equal(monthOf(first), month);
      assert.equal(monthOf(last), month);
    });
  }
  for (const bad of ['2026-13', '2026-00', '2026-1', '0000-01', '2026-01-01', '202601', '', 'abcd-ef']) {
    test(`refuses month ${JSON.stringify(bad)}`, () => {
      assert.equal(isMonth(bad), false);
      assert.throws(() => monthBounds(bad), RangeError);
    });
  }
  test('monthOf refuses malformed dates', () => {
    assert.throws(() => monthOf('2026-02-30'), RangeError);
    assert.throws(() => monthOf('2026-02'), RangeError);
  });
});
