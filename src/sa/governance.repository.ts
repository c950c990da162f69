import type { Executor } from './executor.js';
import type { OperatorSuspensionRow } from './schema.js';

/** Operator governance (AR 16–17): correction notices, suspensions, contact attempts. */

export async function listOperatorSuspensions(db: Executor, operatorId: string): Promise<OperatorSuspensionRow[]> {
  return db.selectFrom('operator_suspensions').selectAll().where('operator_id', '=', operatorId).orderBy('starts_at').orderBy('id').execute();
}
