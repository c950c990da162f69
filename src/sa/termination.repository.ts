import type { Executor } from './executor.js';
import type { OperatorTerminationRow } from './schema.js';

/** Contract termination and hand-over (AR 19, AT 7). */

export async function getOperatorTermination(db: Executor, operatorId: string): Promise<OperatorTerminationRow | undefined> {
  return db.selectFrom('operator_terminations').selectAll().where('operator_id', '=', operatorId).executeTakeFirst();
}
