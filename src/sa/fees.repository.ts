import type { Executor } from './executor.js';
import type { FeeLineRow, PaymentRow } from './schema.js';

/**
 * Add a fee line. A period of a usage FQDN is charged once: a second insert
 * for the same (usage FQDN, period start) is ignored and returns false.
 */
export async function insertFeeLine(db: Executor, row: FeeLineRow): Promise<boolean> {
  const res = await db
    .insertInto('fee_lines')
    .values(row)
    .onConflict((oc) => oc.columns(['usage_fqdn_id', 'period_start']).doNothing())
    .executeTakeFirst();
  return (res.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

/** Fee lines of an operator accrued in [fromDate, toDate] (local dates, inclusive). */
export async function listFeeLines(db: Executor, operatorId: string, fromDate: string, toDate: string): Promise<FeeLineRow[]> {
  return db
    .selectFrom('fee_lines')
    .selectAll()
    .where('operator_id', '=', operatorId)
    .where('accrual_date', '>=', fromDate)
    .where('accrual_date', '<=', toDate)
    .orderBy('accrual_date')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function listFeeLinesOfUsageFqdn(db: Executor, usageFqdnId: string): Promise<FeeLineRow[]> {
  return db.selectFrom('fee_lines').selectAll().where('usage_fqdn_id', '=', usageFqdnId).orderBy('accrual_date').execute();
}

/** Sum of fee totals of an operator accrued up to `toDate` inclusive. */
export async function sumFeesUpTo(db: Executor, operatorId: string, toDate: string): Promise<number> {
  const r = await db
    .selectFrom('fee_lines')
    .select((eb) => eb.fn.sum<string | number | null>('total').as('s'))
    .where('operator_id', '=', operatorId)
    .where('accrual_date', '<=', toDate)
    .executeTakeFirst();
  return Number(r?.s ?? 0);
}

export async function insertPayment(db: Executor, row: PaymentRow): Promise<void> {
  await db.insertInto('payments').values(row).execute();
}

export async function listPayments(db: Executor, operatorId: string, fromDate?: string, toDate?: string): Promise<PaymentRow[]> {
  let q = db.selectFrom('payments').selectAll().where('operator_id', '=', operatorId);
  if (fromDate !== undefined) q = q.where('received_on', '>=', fromDate);
  if (toDate !== undefined) q = q.where('received_on', '<=', toDate);
  return q.orderBy('received_on').orderBy('recorded_at').execute();
}

export async function sumPaymentsUpTo(db: Executor, operatorId: string, toDate: string): Promise<number> {
  const r = await db
    .selectFrom('payments')
    .select((eb) => eb.fn.sum<string | number | null>('amount').as('s'))
    .where('operator_id', '=', operatorId)
    .where('received_on', '<=', toDate)
    .executeTakeFirst();
  return Number(r?.s ?? 0);
}
