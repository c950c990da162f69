import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { localDateOf } from '../../../src/core/calendar.js';
import {
  continuationStart,
  expiryChain,
  firstExpiry,
  isUsagePeriod,
  nextExpiry,
  USAGE_PERIODS,
  type UsagePeriod,
} from '../../../src/registry/usage-period.js';

// SPEC §5.3 / AT 10: first expiry = last day of the month after the start
// month (1m) or of the same month next year (1y).
describe('firstExpiry (SPEC §5.3)', () => {
  const rows: [start: string, period: UsagePeriod, expiry: string, why: string][] = [
    ['2026-01-31', '1m', '2026-02-28', 'SPEC example: 31 Jan → end of Feb (28 days)'],
    ['2026-01-31', '1y', '2027-01-31', 'SPEC example: 31 Jan → end of Jan next year'],
    ['2028-02-29', '1y', '2029-02-28', 'SPEC example: leap day → end of Feb in a common year'],
    ['2028-02-29', '1m', '2028-03-31', 'leap day, 1 month → end of March (31 days)'],
    ['2027-02-28', '1y', '2028-02-29', 'start 28 Feb 2027 → end of Feb 2028, a leap year'],
    ['2027-02-28', '1m', '2027-03-31', 'start 28 Feb 2027, 1 month'],
    ['2028-01-15', '1m', '2028-02-29', 'into a leap February'],
    ['2099-02-10', '1y', '2100-02-28', '2100 is not a leap year'],
    ['1999-02-10', '1y', '2000-02-29', '2000 is a leap year'],
    ['2026-03-01', '1m', '2026-04-30', 'into a 30-day month'],
    ['2026-05-31', '1m', '2026-06-30', 'from a 31st into a 30-day month'],
    ['2026-06-30', '1m', '2026-07-31', 'from a 30-day month into a 31-day month'],
    ['2026-04-01', '1y', '2027-04-30', '1 year, 30-day month'],
    ['2026-11-01', '1m', '2026-12-31', 'November → December'],
    ['2026-12-15', '1m', '2027-01-31', 'December → January of the next year'],
    ['2026-12-31', '1m', '2027-01-31', 'last day of December → January'],
    ['2026-12-01', '1y', '2027-12-31', '1 year from December'],
  ];
  for (const [start, period, expiry, why] of rows) {
    test(`${start} ${period} → ${expiry} (${why})`, () => assert.equal(firstExpiry(start, period), expiry));
  }
});

// SPEC §5.3 automatic continuation: last day of the next month (1m) or of the
// same month next year (1y) after the old expiry; the new period starts the day after.
describe('nextExpiry and continuationStart (SPEC §5.3)', () => {
  const rows: [oldExpiry: string, period: UsagePeriod, next: string, start: string, why: string][] = [
    ['2026-02-28', '1m', '2026-03-31', '2026-03-01', 'end of Feb → end of Mar'],
    ['2026-03-31', '1m', '2026-04-30', '2026-04-01', '31-day → 30-day month'],
    ['2026-04-30', '1m', '2026-05-31', '2026-05-01', '30-day → 31-day month'],
    ['2026-12-31', '1m', '2027-01-31', '2027-01-01', 'December → January'],
    ['2027-01-31', '1m', '2027-02-28', '2027-02-01', 'January → February, common year'],
    ['2028-01-31', '1m', '2028-02-29', '2028-02-01', 'January → February, leap year'],
    ['2028-02-29', '1y', '2029-02-28', '2028-03-01', 'leap February → common February'],
    ['2027-02-28', '1y', '2028-02-29', '2027-03-01', 'common February → leap February'],
    ['2099-02-28', '1y', '2100-02-28', '2099-03-01', '2100 is not leap'],
    ['2026-12-31', '1y', '2027-12-31', '2027-01-01', '1 year from December'],
    ['2026-06-30', '1y', '2027-06-30', '2026-07-01', '1 year, 30-day month'],
  ];
  for (const [oldExpiry, period, next, start, why] of rows) {
    test(`${oldExpiry} ${period} → ${next}, continuation from ${start} (${why})`, () => {
      assert.equal(nextExpiry(oldExpiry, period), next);
      assert.equal(continuationStart(oldExpiry), start);
    });
  }
});

describe('start date in the CA time zone (SPEC §2 date, §5.3)', () => {
  const rows: [issuedAt: string, startDate: string, expiry1m: string, why: string][] = [
    ['2026-03-31T14:59:59Z', '2026-03-31', '2026-04-30', '23:59:59 JST on 31 Mar: started in March'],
    ['2026-03-31T15:00:00Z', '2026-04-01', '2026-05-31', '00:00:00 JST on 1 Apr: started in April'],
    ['2026-12-31T14:59:59Z', '2026-12-31', '2027-01-31', '23:59:59 JST on New Year’s Eve'],
    ['2026-12-31T15:00:00Z', '2027-01-01', '2027-02-28', 'New Year 00:00 JST'],
  ];
  for (const [issuedAt, startDate, expiry1m, why] of rows) {
    test(`issued ${issuedAt} → start ${startDate}, 1m expiry ${expiry1m} (${why})`, () => {
      const start = localDateOf(new Date(issuedAt), 'Asia/Tokyo');
      assert.equal(start, startDate);
      assert.equal(firstExpiry(start, '1m'), expiry1m);
    });
  }
});

describe('expiryChain over several years (SPEC §5.3 continuation)', () => {
  // Worked by hand from SPEC §5.3:
  //   start 2026-11-20
  //   1m: month after Nov 2026 = Dec 2026                  → 2026-12-31
  //   1m: Jan 2027                                         → 2027-01-31  (year boundary)
  //   1m: Feb 2027, common year                            → 2027-02-28
  //   1y: Feb 2028, leap year (period changed to 1 year)   → 2028-02-29
  //   1y: Feb 2029, common year                            → 2029-02-28
  //   1m: Mar 2029 (period changed back to 1 month)        → 2029-03-31
  //   1m: Apr 2029, 30 days                                → 2029-04-30
  //   1y: Apr 2030                                         → 2030-04-30
  //   1m: May 2030                                         → 2030-05-31
  //   1y: May 2031                                         → 2031-05-31
  // Each continuation starts the day after the previous expiry:
  //   2027-01-01, 2027-02-01, 2027-03-01, 2028-03-01, 2029-03-01,
  //   2029-04-01, 2029-05-01, 2030-05-01, 2030-06-01.
  const periods: UsagePeriod[] = ['1m', '1m', '1m', '1y', '1y', '1m', '1m', '1y', '1m', '1y'];
  const expiries = [
    '2026-12-31', '2027-01-31', '2027-02-28', '2028-02-29', '2029-02-28',
    '2029-03-31', '2029-04-30', '2030-04-30', '2030-05-31', '2031-05-31',
  ];
  const starts = [
    '2027-01-01', '2027-02-01', '2027-03-01', '2028-03-01', '2029-03-01',
    '2029-04-01', '2029-05-01', '2030-05-01', '2030-06-01',
  ];
  test('chain of expiries', () => assert.deepEqual(expiryChain('2026-11-20', periods), expiries));
  test('continuation starts', () => assert.deepEqual(expiries.slice(0, -1).map(continuationStart), starts));
  test('the chain agrees with firstExpiry / nextExpiry step by step', () => {
    let previous = firstExpiry('2026-11-20', periods[0] as UsagePeriod);
    assert.equal(previous, expiries[0]);
    for (let i = 1; i < periods.length; i++) {
      previous = nextExpiry(previous, periods[i] as UsagePeriod);
      assert.equal(previous, expiries[i]);
    }
  });
  test('SPEC examples as chains', () => {
    assert.deepEqual(expiryChain('2026-01-31', ['1m', '1m', '1m']), ['2026-02-28', '2026-03-31', '2026-04-30']);
    assert.deepEqual(expiryChain('2028-02-29', ['1y', '1y', '1y', '1y']), ['2029-02-28', '2030-02-28', '2031-02-28', '2032-02-29']);
    assert.deepEqual(expiryChain('2026-01-31', []), []);
  });
});

describe('usage periods and invalid input', () => {
  test('USAGE_PERIODS and isUsagePeriod', () => {
    assert.deepEqual([...USAGE_PERIODS], ['1m', '1y']);
    for (const p of USAGE_PERIODS) assert.equal(isUsagePeriod(p), true);
  });
  for (const bad of ['1M', '1d', '12m', 'month', '', null, undefined, 1, ['1m']]) {
    test(`isUsagePeriod(${JSON.stringify(bad)}) is false`, () => assert.equal(isUsagePeriod(bad), false));
  }
  const invalid: [() => unknown, string][] = [
    [() => firstExpiry('2026-02-30', '1m'), 'nonexistent start date'],
    [() => firstExpiry('2026-2-1', '1m'), 'malformed start date'],
    [() => firstExpiry('2026-01-31', '1w' as UsagePeriod), 'unknown period'],
    [() => nextExpiry('2026-13-31', '1y'), 'malformed old expiry'],
    [() => nextExpiry('2026-01-31', 'year' as UsagePeriod), 'unknown period'],
    [() => continuationStart('2026-02-29'), 'nonexistent old expiry'],
    [() => continuationStart('9999-12-31'), 'past year 9999'],
    [() => firstExpiry('9999-12-01', '1m'), 'past year 9999'],
    [() => expiryChain('2026-02-30', []), 'malformed start even without periods'],
    [() => expiryChain('2026-01-31', ['1m', 'x' as UsagePeriod]), 'unknown period in a chain'],
  ];
  for (const [fn, why] of invalid) {
    test(`refuses: ${why}`, () => assert.throws(fn, RangeError));
  }
});
