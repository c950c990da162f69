import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { addDays, calendarDateIn, computeValidity, validitySeconds, type ValidityPolicy } from '../../../src/ca/validity.js';

const jst: ValidityPolicy = { validityDays: 90, backdateSeconds: 0, timeZone: 'Asia/Tokyo' };

interface Row {
  name: string;
  now: string;
  policy?: Partial<ValidityPolicy>;
  notBefore: string;
  notAfter: string;
}

// SPEC §2: last valid day = issue date (CA time zone) + validityDays, ending 23:59:59 local.
const rows: Row[] = [
  {
    name: 'JST day boundary: 14:59:59Z is still 21 Nov in Tokyo',
    now: '2026-11-21T14:59:59Z',
    notBefore: '2026-11-21T14:59:59Z',
    notAfter: '2027-02-19T14:59:59Z',
  },
  {
    name: 'JST day boundary: 15:00:00Z is already 22 Nov in Tokyo',
    now: '2026-11-21T15:00:00Z',
    notBefore: '2026-11-21T15:00:00Z',
    notAfter: '2027-02-20T14:59:59Z',
  },
  {
    name: 'month end: 31 Jan + 1 day = 1 Feb',
    now: '2027-01-31T03:00:00Z',
    policy: { validityDays: 1 },
    notBefore: '2027-01-31T03:00:00Z',
    notAfter: '2027-02-01T14:59:59Z',
  },
  {
    name: 'month end in a common year: 31 Jan + 29 days = 1 Mar',
    now: '2027-01-31T03:00:00Z',
    policy: { validityDays: 29 },
    notBefore: '2027-01-31T03:00:00Z',
    notAfter: '2027-03-01T14:59:59Z',
  },
  {
    name: 'leap year: 31 Jan 2028 + 29 days = 29 Feb',
    now: '2028-01-31T03:00:00Z',
    policy: { validityDays: 29 },
    notBefore: '2028-01-31T03:00:00Z',
    notAfter: '2028-02-29T14:59:59Z',
  },
  {
    name: 'year end: 31 Dec (JST) + 1 day = 1 Jan',
    now: '2026-12-31T14:59:59Z',
    policy: { validityDays: 1 },
    notBefore: '2026-12-31T14:59:59Z',
    notAfter: '2027-01-01T14:59:59Z',
  },
  {
    name: 'year end: 15:00Z on 31 Dec is 1 Jan in Tokyo',
    now: '2026-12-31T15:00:00Z',
    notBefore: '2026-12-31T15:00:00Z',
    notAfter: '2027-04-01T14:59:59Z',
  },
  {
    name: 'backdate, and milliseconds dropped (X.509 has 1 s resolution)',
    now: '2026-11-21T00:00:00.750Z',
    policy: { backdateSeconds: 3600 },
    notBefore: '2026-11-20T23:00:00Z',
    notAfter: '2027-02-19T14:59:59Z',
  },
  {
    name: 'UTC zone',
    now: '2026-11-21T23:59:59Z',
    policy: { timeZone: 'UTC' },
    notBefore: '2026-11-21T23:59:59Z',
    notAfter: '2027-02-19T23:59:59Z',
  },
  {
    name: 'DST zone: issued in EST, last day in EDT',
    now: '2027-01-15T12:00:00Z',
    policy: { timeZone: 'America/New_York' },
    notBefore: '2027-01-15T12:00:00Z',
    notAfter: '2027-04-16T03:59:59Z',
  },
  {
    name: 'BR §6.3.2 cap: 90 days asked after 2029-03-15 (47 days max)',
    now: '2029-03-15T00:00:00Z',
    notBefore: '2029-03-15T00:00:00Z',
    notAfter: '2029-04-30T23:59:59Z',
  },
  {
    name: 'BR §6.3.2 cap counts from the backdated notBefore',
    now: '2029-03-15T01:00:00Z',
    policy: { backdateSeconds: 3600 },
    notBefore: '2029-03-15T00:00:00Z',
    notAfter: '2029-04-30T23:59:59Z',
  },
  {
    name: 'BR §6.3.2 cap: 200 days from 2026-03-15 would exceed 200 × 86400 s by the partial last day',
    now: '2026-03-15T00:00:00Z',
    policy: { validityDays: 200 },
    notBefore: '2026-03-15T00:00:00Z',
    notAfter: '2026-09-30T23:59:59Z',
  },
  {
    name: 'no cap one second before 2026-03-15 (398 days max)',
    now: '2026-03-14T23:59:59Z',
    policy: { validityDays: 200 },
    notBefore: '2026-03-14T23:59:59Z',
    notAfter: '2026-10-01T14:59:59Z', // 08:59:59 JST on 15 Mar + 200 days
  },
];

for (const r of rows) {
  test(`computeValidity — ${r.name}`, () => {
    const v = computeValidity(new Date(r.now), { ...jst, ...r.policy });
    assert.equal(v.notBefore.toISOString(), new Date(r.notBefore).toISOString());
    assert.equal(v.notAfter.toISOString(), new Date(r.notAfter).toISOString());
  });
}

test('capped validity is exactly the BR maximum, counted inclusively', () => {
  const v = computeValidity(new Date('2029-06-01T05:06:07Z'), { ...jst, validityDays: 200 });
  assert.equal(validitySeconds(v), 47 * 86400);
});

test('uncapped default validity stays within the maximum in force', () => {
  const v = computeValidity(new Date('2026-11-21T00:00:00Z'), jst);
  assert.ok(validitySeconds(v) > 90 * 86400);
  assert.ok(validitySeconds(v) <= 200 * 86400);
});

test('an explicit maximum overrides the BR table', () => {
  const v = computeValidity(new Date('2026-11-21T00:00:00Z'), jst, 10);
  assert.equal(v.notAfter.toISOString(), '2026-11-30T23:59:59.000Z');
});

test('calendarDateIn and addDays', () => {
  assert.deepEqual(calendarDateIn(new Date('2026-11-21T15:00:00Z'), 'Asia/Tokyo'), { year: 2026, month: 11, day: 22 });
  assert.deepEqual(calendarDateIn(new Date('2026-11-21T15:00:00Z'), 'UTC'), { year: 2026, month: 11, day: 21 });
  assert.deepEqual(addDays({ year: 2026, month: 12, day: 31 }, 60), { year: 2027, month: 3, day: 1 });
});

test('validityDays below 1 is refused', () => {
  assert.throws(() => computeValidity(new Date('2026-11-21T00:00:00Z'), { ...jst, validityDays: 0 }));
});
