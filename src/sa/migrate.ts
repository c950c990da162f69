import { sql, type Kysely } from 'kysely';
import type { Db, Dialect } from './database.js';
import * as foundation from './migrations/2026-11-21T00-foundation.js';
import * as agency from './migrations/2026-11-22T00-agency.js';
import * as trust from './migrations/2026-11-23T00-trust.js';
import * as crl from './migrations/2026-11-23T05-crl.js';
import * as ctLog from './migrations/2026-11-23T01-ct-log.js';
import * as governance from './migrations/2026-11-24T00-governance.js';
import * as records from './migrations/2026-11-24T05-records.js';

interface Migration {
  name: string;
  up(db: Kysely<unknown>, dialect: Dialect): Promise<void>;
}

/** Timestamped migrations, applied in order, each in its own transaction. */
export const MIGRATIONS: readonly Migration[] = [
  { name: '2026-11-21T00-foundation', up: foundation.up },
  { name: '2026-11-22T00-agency', up: agency.up },
  { name: '2026-11-23T00-trust', up: trust.up },
  { name: '2026-11-23T01-ct-log', up: ctLog.up },
  { name: '2026-11-23T05-crl', up: crl.up },
  { name: '2026-11-24T00-governance', up: governance.up },
  { name: '2026-11-24T05-records', up: records.up },
];

interface MigrationTable {
  shomei_migrations: { name: string; applied_at: string };
}

/** Apply pending migrations. Safe to call from several instances at once on PostgreSQL (advisory lock). */
export async function migrate(db: Db): Promise<string[]> {
  const k = db.kysely as unknown as Kysely<MigrationTable>;
  await k.schema
    .createTable('shomei_migrations')
    .ifNotExists()
    .addColumn('name', 'varchar(128)', (c) => c.primaryKey())
    .addColumn('applied_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  const applied: string[] = [];
  for (const m of MIGRATIONS) {
    await k.transaction().execute(async (trx) => {
      if (db.dialect === 'postgres') await sql`select pg_advisory_xact_lock(735100)`.execute(trx);
      const done = await trx.selectFrom('shomei_migrations').select('name').where('name', '=', m.name).executeTakeFirst();
      if (done) return;
      await m.up(trx as unknown as Kysely<unknown>, db.dialect);
      await trx.insertInto('shomei_migrations').values({ name: m.name, applied_at: new Date().toISOString() }).execute();
      applied.push(m.name);
    });
  }
  return applied;
}
