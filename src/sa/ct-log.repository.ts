import type { Executor } from './executor.js';
import type { CtLogEntryRow, CtLogNodeRow, CtLogRow } from './schema.js';

/** Create the head row of a built-in CT log unless it exists (several instances may start at once). */
export async function ensureCtLog(db: Executor, row: CtLogRow): Promise<void> {
  await db.insertInto('ct_logs').values(row).onConflict((oc) => oc.column('name').doNothing()).execute();
}

export async function getCtLog(db: Executor, name: string): Promise<CtLogRow | undefined> {
  return db.selectFrom('ct_logs').selectAll().where('name', '=', name).executeTakeFirst();
}

/**
 * Read the head row inside the submission transaction with a row lock
 * (PostgreSQL `for update`), so submissions to one log are sequenced one at
 * a time; SQLite transactions already hold the write lock from `begin immediate`.
 */
export async function getCtLogForUpdate(db: Executor, name: string, dialect: 'sqlite' | 'postgres'): Promise<CtLogRow | undefined> {
  const q = db.selectFrom('ct_logs').selectAll().where('name', '=', name);
  return (dialect === 'postgres' ? q.forUpdate() : q).executeTakeFirst();
}

/** Compare-and-set the tree from `fromSize` to the new head; false when another writer moved it. */
export async function advanceCtLog(
  db: Executor,
  name: string,
  fromSize: number,
  to: Pick<CtLogRow, 'tree_size' | 'frontier' | 'root_hash'>,
  nowIso: string,
): Promise<boolean> {
  const res = await db
    .updateTable('ct_logs')
    .set({ ...to, updated_at: nowIso })
    .where('name', '=', name)
    .where('tree_size', '=', fromSize)
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

/**
 * Keep a newly signed tree head unless a newer one (larger tree, or the same
 * tree signed later) is already stored. Returns whether it was stored.
 */
export async function saveCtLogSth(
  db: Executor,
  name: string,
  sth: Pick<CtLogRow, 'sth_tree_size' | 'sth_timestamp' | 'sth_root_hash' | 'sth_signature'> & { sth_tree_size: number; sth_timestamp: string },
): Promise<boolean> {
  const res = await db
    .updateTable('ct_logs')
    .set(sth)
    .where('name', '=', name)
    .where((eb) =>
      eb.or([
        eb('sth_tree_size', 'is', null),
        eb('sth_tree_size', '<', sth.sth_tree_size),
        eb.and([eb('sth_tree_size', '=', sth.sth_tree_size), eb('sth_timestamp', '<', sth.sth_timestamp)]),
      ]),
    )
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

export async function insertCtLogEntry(db: Executor, row: CtLogEntryRow): Promise<void> {
  await db.insertInto('ct_log_entries').values(row).execute();
}

export async function insertCtLogNodes(db: Executor, rows: CtLogNodeRow[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('ct_log_nodes').values(rows).execute();
}

/** The entry of an already logged (pre)certificate, by SHA-256 of its DER. */
export async function findCtLogEntryByCert(db: Executor, name: string, certSha256: string): Promise<CtLogEntryRow | undefined> {
  return db.selectFrom('ct_log_entries').selectAll().where('log_name', '=', name).where('cert_sha256', '=', certSha256).executeTakeFirst();
}

/** Index of the entry with leaf hash `leafHashHex` (RFC 6962 §4.5 get-proof-by-hash). */
export async function findCtLogIndexByLeafHash(db: Executor, name: string, leafHashHex: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('ct_log_entries')
    .select('idx')
    .where('log_name', '=', name)
    .where('leaf_hash', '=', leafHashHex)
    .executeTakeFirst();
  return row?.idx;
}

/** Entries start…end (inclusive), in order. */
export async function listCtLogEntries(db: Executor, name: string, start: number, end: number): Promise<CtLogEntryRow[]> {
  return db
    .selectFrom('ct_log_entries')
    .selectAll()
    .where('log_name', '=', name)
    .where('idx', '>=', start)
    .where('idx', '<=', end)
    .orderBy('idx')
    .execute();
}

/** Leaf hashes (level-0 nodes) by index. */
export async function getCtLogLeafHashes(db: Executor, name: string, indexes: number[]): Promise<Array<{ idx: number; leaf_hash: string }>> {
  if (indexes.length === 0) return [];
  return db.selectFrom('ct_log_entries').select(['idx', 'leaf_hash']).where('log_name', '=', name).where('idx', 'in', indexes).execute();
}

/** Complete-subtree hashes (level ≥ 1) by (level, index). */
export async function getCtLogNodeHashes(db: Executor, name: string, ids: Array<{ level: number; idx: number }>): Promise<CtLogNodeRow[]> {
  if (ids.length === 0) return [];
  const byLevel = new Map<number, number[]>();
  for (const { level, idx } of ids) byLevel.set(level, [...(byLevel.get(level) ?? []), idx]);
  return db
    .selectFrom('ct_log_nodes')
    .selectAll()
    .where('log_name', '=', name)
    .where((eb) => eb.or([...byLevel].map(([level, idxs]) => eb.and([eb('level', '=', level), eb('idx', 'in', idxs)]))))
    .execute();
}
