import type { Executor } from './executor.js';
import type { MaintenanceWindowRow, PolicyDocumentRow } from './schema.js';

/** Maintenance windows (AT 18) and versioned policy documents (AT 21). */

export async function listMaintenanceWindows(db: Executor): Promise<MaintenanceWindowRow[]> {
  return db.selectFrom('maintenance_windows').selectAll().orderBy('starts_at').orderBy('id').execute();
}

export async function listPolicyDocuments(db: Executor): Promise<PolicyDocumentRow[]> {
  return db.selectFrom('policy_documents').selectAll().orderBy('kind').orderBy('effective_at').orderBy('id').execute();
}
