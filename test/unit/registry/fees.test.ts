import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { validateConfig } from '../../../src/config/load.js';
import { newFeeLine, taxOn, unitPrice } from '../../../src/registry/fees.js';

const defaults = validateConfig({});
const custom = validateConfig({ fees: { currency: 'USD', contractFee: 1000, monthlyPeriodFee: 333, yearlyPeriodFee: 3333, taxRatePercent: 8 } });

// SPEC §9 / AR 2: contract fee once; one fee per chargeable period, the same
// for registration and continuation, priced per period kind; tax per line, rounded down.
describe('unitPrice: per fee kind and period kind (SPEC §9)', () => {
  const rows: [config: typeof defaults, kind: 'contract' | 'registration' | 'continuation', period: '1m' | '1y' | null, price: number][] = [
    [defaults, 'contract', null, 250000],
    [defaults, 'registration', '1m', 500],
    [defaults, 'continuation', '1m', 500],
    [defaults, 'registration', '1y', 5000],
    [defaults, 'continuation', '1y', 5000],
    [custom, 'contract', null, 1000],
    [custom, 'registration', '1m', 333],
    [custom, 'continuation', '1y', 3333],
  ];
  for (const [config, kind, period, price] of rows) {
    test(`${config === defaults ? 'defaults' : 'custom'}: ${kind} ${period ?? ''} → ${price}`, () => assert.equal(unitPrice(config, kind, period), price));
  }

  test('registration and continuation of the same period kind cost the same', () => {
    for (const p of ['1m', '1y'] as const) assert.equal(unitPrice(custom, 'registration', p), unitPrice(custom, 'continuation', p));
  });
});

describe('taxOn: consumption tax per line, rounded down', () => {
  const rows: [amount: number, rate: number, tax: number][] = [
    [500, 10, 50],
    [5000, 10, 500],
    [250000, 10, 25000],
    [555, 10, 55], // 55.5
    [559, 10, 55], // 55.9
    [999, 8, 79], // 79.92
    [333, 8, 26], // 26.64
    [3333, 8, 266], // 266.64
    [1, 10, 0],
    [19, 5, 0], // 0.95
    [20, 5, 1],
    [0, 10, 0],
    [12345, 0, 0],
    [101, 100, 101],
    [7, 33, 2], // 2.31
    [9_007_199_254_740, 10, 900_719_925_474], // large amounts stay exact
  ];
  for (const [amount, rate, tax] of rows) test(`${amount} at ${rate}% → ${tax}`, () => assert.equal(taxOn(amount, rate), tax));

  test('rounded per line, not on the sum: two lines of 555 at 10% carry 55 + 55, not 111', () => {
    assert.equal(taxOn(555, 10) + taxOn(555, 10), 110);
    assert.equal(taxOn(1110, 10), 111);
  });
});

describe('newFeeLine', () => {
  const usage = { id: 'fq_1', subscriberId: 'sub_1', fqdn: 'example.jp', period: '1y' as const, periodStart: '2027-01-01', periodEnd: '2027-12-31' };

  test('a continuation line of a usage FQDN: price of its period, tax rounded down, total = price + tax, currency', () => {
    const l = newFeeLine(custom, { operatorId: 'op_1', kind: 'continuation', accrualDate: '2027-01-01', nowIso: '2026-12-31T15:00:00.000Z', usage });
    assert.match(l.id, /^fee_/);
    assert.deepEqual(
      { ...l, id: 'x' },
      {
        id: 'x',
        operator_id: 'op_1',
        kind: 'continuation',
        usage_fqdn_id: 'fq_1',
        subscriber_id: 'sub_1',
        fqdn: 'example.jp',
        period: '1y',
        period_start: '2027-01-01',
        period_end: '2027-12-31',
        accrual_date: '2027-01-01',
        unit_price: 3333,
        tax_rate_percent: 8,
        tax: 266,
        total: 3599,
        currency: 'USD',
        created_at: '2026-12-31T15:00:00.000Z',
      },
    );
  });

  test('a monthly registration at the default prices: 500 + 50 = 550 JPY', () => {
    const l = newFeeLine(defaults, { operatorId: 'op_1', kind: 'registration', accrualDate: '2026-12-01', nowIso: '2026-11-30T15:30:00.000Z', usage: { ...usage, period: '1m' } });
    assert.deepEqual([l.unit_price, l.tax_rate_percent, l.tax, l.total, l.currency], [500, 10, 50, 550, 'JPY']);
  });

  test('the contract fee line belongs to no usage FQDN', () => {
    const l = newFeeLine(defaults, { operatorId: 'op_1', kind: 'contract', accrualDate: '2026-11-21', nowIso: '2026-11-21T03:00:00.000Z' });
    assert.deepEqual(
      [l.usage_fqdn_id, l.subscriber_id, l.fqdn, l.period, l.period_start, l.period_end, l.unit_price, l.tax, l.total],
      [null, null, null, null, null, null, 250000, 25000, 275000],
    );
  });

  test('every line gets its own id', () => {
    const ids = new Set(Array.from({ length: 50 }, () => newFeeLine(defaults, { operatorId: 'op_1', kind: 'contract', accrualDate: '2026-11-21', nowIso: 'x' }).id));
    assert.equal(ids.size, 50);
  });
});
