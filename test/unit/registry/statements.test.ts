import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { validateConfig } from '../../../src/config/load.js';
import { isShomeiError } from '../../../src/core/errors.js';
import { newFeeLine } from '../../../src/registry/fees.js';
import { buildStatement, statementCsv, type Statement, type StatementLine } from '../../../src/registry/statements.js';
import type { RegistryDeps } from '../../../src/registry/types.js';
import type { FeeLineRow, PaymentRow } from '../../../src/sa/index.js';
import { parseCsv } from '../../support/csv-parse.js';

const HEADER = 'date,kind,fqdn,subscriber_id,usage_fqdn_id,period,period_start,period_end,unit_price,tax_rate_percent,tax,total,currency';

function line(over: Partial<StatementLine> = {}): StatementLine {
  return {
    date: '2026-12-01',
    kind: 'registration',
    fqdn: 'example.jp',
    subscriberId: 'sub_1',
    usageFqdnId: 'fq_1',
    period: '1m',
    periodStart: '2026-12-01',
    periodEnd: '2027-01-31',
    unitPrice: 500,
    taxRatePercent: 10,
    tax: 50,
    total: 550,
    ...over,
  };
}

function statement(lines: StatementLine[], over: Partial<Statement> = {}): Statement {
  const subtotal = lines.reduce((s, l) => s + l.unitPrice, 0);
  const tax = lines.reduce((s, l) => s + l.tax, 0);
  return {
    operatorId: 'op_1',
    operatorName: 'Example Reseller',
    month: '2026-12',
    currency: 'JPY',
    lines,
    subtotal,
    tax,
    total: subtotal + tax,
    openingBalance: 0,
    payments: [],
    paymentsTotal: 0,
    closingBalance: subtotal + tax,
    ...over,
  };
}


describe('statementCsv (SPEC §9)', () => {
  test('header, one row per line item, then the summary rows; CRLF line ends', () => {
    const s = statement([line(), line({ kind: 'continuation', fqdn: 'other.jp', usageFqdnId: 'fq_2', period: '1y', periodStart: '2026-12-01', periodEnd: '2027-12-31', unitPrice: 5000, tax: 500, total: 5500 })], {
      openingBalance: 1100,
      payments: [{ receivedOn: '2026-12-10', amount: 1100, reference: 'wire 42' }],
      paymentsTotal: 1100,
      closingBalance: 6050,
    });
    const csv = statementCsv(s);
    assert.ok(csv.endsWith('\r\n'));
    assert.equal(csv.split('\r\n').length, 1 + 2 + 6 + 1);
    assert.deepEqual(csv.split('\r\n'), [
      HEADER,
      '2026-12-01,registration,example.jp,sub_1,fq_1,1m,2026-12-01,2027-01-31,500,10,50,550,JPY',
      '2026-12-01,continuation,other.jp,sub_1,fq_2,1y,2026-12-01,2027-12-31,5000,10,500,5500,JPY',
      '2026-12,subtotal,,,,,,,,,,5500,JPY',
      '2026-12,tax,,,,,,,,,,550,JPY',
      '2026-12,total,,,,,,,,,,6050,JPY',
      '2026-12,opening_balance,,,,,,,,,,1100,JPY',
      '2026-12,payments,,,,,,,,,,1100,JPY',
      '2026-12,closing_balance,,,,,,,,,,6050,JPY',
      '',
    ]);
  });

  test('an empty month still has the header and all six summary rows, with zeros', () => {
    const rows = parseCsv(statementCsv(statement([])));
    assert.deepEqual(rows[0], HEADER.split(','));
    assert.deepEqual(
      rows.slice(1).map((r) => [r[0], r[1], r[11], r[12]]),
      ['subtotal', 'tax', 'total', 'opening_balance', 'payments', 'closing_balance'].map((k) => ['2026-12', k, '0', 'JPY']),
    );
  });

  test('a credit balance stays a plain negative number (numbers are never defused)', () => {
    const rows = parseCsv(statementCsv(statement([], { openingBalance: -550, closingBalance: -550 })));
    assert.equal(rows.find((r) => r[1] === 'closing_balance')?.[11], '-550');
  });

  test('RFC 4180 escaping: commas, quotes and line breaks are quoted, quotes doubled; null is empty', () => {
    const cases: [value: string, encoded: string][] = [
      ['a,b.example.jp', '"a,b.example.jp"'],
      ['say "hi"', '"say ""hi"""'],
      ['two\nlines', '"two\nlines"'],
      ['cr\rhere', '"cr\rhere"'],
      ['plain', 'plain'],
    ];
    for (const [value, encoded] of cases) {
      const csv = statementCsv(statement([line({ fqdn: value, usageFqdnId: null, period: null })]));
      const dataRow = csv.slice(HEADER.length + 2);
      assert.ok(dataRow.startsWith(`2026-12-01,registration,${encoded},sub_1,,,2026-12-01,`), `${JSON.stringify(value)} → ${JSON.stringify(dataRow.slice(0, 60))}`);
      assert.equal(parseCsv(csv)[1]?.[2], value, 'reads back as the same text');
    }
  });

  test('formula injection: text starting with = + - @ TAB or CR is prefixed with an apostrophe', () => {
    const cases: [value: string, cell: string][] = [
      ['=HYPERLINK("http://x","y")', `'=HYPERLINK("http://x","y")`],
      ['+1+1', `'+1+1`],
      ['-2+3', `'-2+3`],
      ['@SUM(A1:A2)', `'@SUM(A1:A2)`],
      ['\t=1', `'\t=1`],
      ['\r=1', `'\r=1`],
      ['a=b', 'a=b'],
      ['example-1.jp', 'example-1.jp'],
    ];
    for (const [value, cell] of cases) {
      const rows = parseCsv(statementCsv(statement([line({ fqdn: value, subscriberId: value })])));
      assert.equal(rows[1]?.[2], cell, JSON.stringify(value));
      assert.equal(rows[1]?.[3], cell, JSON.stringify(value));
      assert.equal(rows.length, 1 + 1 + 6, 'still one record per line');
    }
  });
});

describe('buildStatement (SPEC §9)', () => {
  const config = validateConfig({});
  const op = { id: 'op_1', name: 'Example Reseller' };
  const fee = (accrualDate: string, period: '1m' | '1y', price?: number): FeeLineRow => {
    const l = newFeeLine(config, {
      operatorId: 'op_1',
      kind: 'registration',
      accrualDate,
      nowIso: `${accrualDate}T00:00:00.000Z`,
      usage: { id: 'fq_1', subscriberId: 'sub_1', fqdn: 'example.jp', period, periodStart: accrualDate, periodEnd: '2027-12-31' },
    });
    return price === undefined ? l : { ...l, unit_price: price, tax: Math.floor(price / 10), total: price + Math.floor(price / 10) };
  };
  const deps = (store: { fees: FeeLineRow[]; payments: PaymentRow[]; operator?: unknown }) => {
    const within = (d: string, from?: string, to?: string) => (from === undefined || d >= from) && (to === undefined || d <= to);
    const tx = {
      getOperator: async (id: string) => (id === op.id ? (store.operator ?? op) : undefined),
      listFeeLines: async (_o: string, from: string, to: string) => store.fees.filter((l) => within(l.accrual_date, from, to)),
      listPayments: async (_o: string, from?: string, to?: string) => store.payments.filter((p) => within(p.received_on, from, to)),
      sumFeesUpTo: async (_o: string, to: string) => store.fees.filter((l) => l.accrual_date <= to).reduce((s, l) => s + l.total, 0),
      sumPaymentsUpTo: async (_o: string, to: string) => store.payments.filter((p) => p.received_on <= to).reduce((s, p) => s + p.amount, 0),
    };
    return { config, sa: { transaction: async <T>(fn: (t: typeof tx) => Promise<T>) => fn(tx) } } as unknown as RegistryDeps;
  };
  const payment = (receivedOn: string, amount: number): PaymentRow =>
    ({ id: `pay_${receivedOn}`, operator_id: 'op_1', amount, currency: 'JPY', received_on: receivedOn, reference: null, recorded_at: `${receivedOn}T00:00:00.000Z` }) as PaymentRow;

  test('lines of the month only; subtotal, per-line tax summed, total; opening and closing balances with payments', async () => {
    const d = deps({
      fees: [fee('2026-11-30', '1m'), fee('2026-12-01', '1m', 555), fee('2026-12-31', '1m', 555), fee('2026-12-15', '1y'), fee('2027-01-01', '1m')],
      payments: [payment('2026-11-30', 200), payment('2026-12-20', 1000), payment('2027-01-05', 9999)],
    });
    const s = await buildStatement(d, 'op_1', '2026-12');
    assert.deepEqual(s.lines.map((l) => [l.date, l.unitPrice, l.tax]).sort(), [
      ['2026-12-01', 555, 55],
      ['2026-12-15', 5000, 500],
      ['2026-12-31', 555, 55],
    ]);
    assert.equal(s.subtotal, 6110);
    assert.equal(s.tax, 610, 'sum of the rounded-down line taxes, not floor(6110 × 10%) = 611');
    assert.equal(s.total, 6720);
    assert.equal(s.openingBalance, 550 - 200);
    assert.deepEqual(s.payments, [{ receivedOn: '2026-12-20', amount: 1000, reference: null }]);
    assert.equal(s.paymentsTotal, 1000);
    assert.equal(s.closingBalance, 350 + 6720 - 1000);
    assert.equal(s.currency, 'JPY');
    assert.equal(s.operatorName, 'Example Reseller');
  });

  test('a malformed month is refused; an unknown operator is not found', async () => {
    const d = deps({ fees: [], payments: [] });
    for (const month of ['2026-13', '2026-1', '202612', 'x']) {
      await assert.rejects(buildStatement(d, 'op_1', month), (e: unknown) => isShomeiError(e) && e.kind === 'malformed', month);
    }
    await assert.rejects(buildStatement(d, 'op_nope', '2026-12'), (e: unknown) => isShomeiError(e) && e.kind === 'notFound');
  });
});
