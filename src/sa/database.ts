import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase as SqliteDialectDatabase } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Db {
  kysely: Kysely<Database>;
  dialect: Dialect;
  /** The SQLite `synchronous` level state changes commit with (FULL or NORMAL). */
  sqliteSynchronous?: 'FULL' | 'NORMAL';
  close(): Promise<void>;
}

/** Most prepared statements kept per SQLite connection (queries with `in (…)` lists vary). */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query anew; preparing is a large share of the cost of
 * a short SQLite query, and Shomei runs the same few dozen queries all day. A
 * better-sqlite3 statement is reusable (execution is synchronous), so keep
 * them by SQL text.
 */
function withStatementCache(db: SqliteDatabase.Database): SqliteDialectDatabase {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => db.close(),
    prepare(text: string) {
      // Kysely opens transactions with a deferred `begin`. In WAL mode a
      // deferred transaction that reads and then writes fails at once with
      // SQLITE_BUSY when another connection (a second worker process) wrote
      // in between — the busy timeout does not apply to that upgrade. Taking
      // the write lock at `begin` makes writers queue on the busy timeout.
      const sql = text === 'begin' ? 'begin immediate' : text;
      let stmt = cache.get(sql);
      if (stmt === undefined) {
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.clear();
        stmt = db.prepare(sql);
        cache.set(sql, stmt);
      }
      return stmt;
    },
  };
}

/**
 * Open the database named by a `sqlite:<path>` or `postgres://` URL.
 * SQLite runs in WAL mode with foreign keys on; PostgreSQL through a pool.
 */
export function openDatabase(url: string, opts: { poolSize?: number; sqliteSynchronous?: 'full' | 'normal' } = {}): Db {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const sqlite = new SqliteDatabase(path);
    sqlite.pragma('journal_mode = WAL');
    const sqliteSynchronous = opts.sqliteSynchronous === 'normal' ? 'NORMAL' : 'FULL';
    sqlite.pragma(`synchronous = ${sqliteSynchronous}`);
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
    return { kysely, dialect: 'sqlite', sqliteSynchronous, close: () => kysely.destroy() };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 10 });
    // An idle client's network error must not crash the process.
    pool.on('error', () => undefined);
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { kysely, dialect: 'postgres', close: () => kysely.destroy() };
  }
  throw new Error(`unsupported database URL scheme: ${url.split(':')[0] ?? ''}`);
}
