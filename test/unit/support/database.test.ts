// The test-database harness itself: on the kind this run selected, a fresh URL
// is a working, empty database of its own, and cleanup really removes it.
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { freshDatabaseUrl, testDbKind } from '../../support/database.js';

/** The minimal surface the checks need, over either driver. */
interface Conn {
  exec(sql: string): Promise<void>;
  names(): Promise<string[]>;
  hasTable(table: string): Promise<boolean>;
  close(): Promise<void>;
}

async function connect(url: string): Promise<Conn> {
  if (url.startsWith('sqlite:')) {
    const db = new Database(url.slice('sqlite:'.length));
    return {
      exec: async (sql) => void db.exec(sql),
      names: async () => db.prepare('SELECT name FROM item ORDER BY id').pluck().all() as string[],
      hasTable: async (t) => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(t) !== undefined,
      close: async () => void db.close(),
    };
  }
  const client = new pg.Client({ connectionString: url });
  // A DROP ... WITH (FORCE) ends the session; without a listener that
  // 'error' event would crash the test process.
  client.on('error', () => undefined);
  await client.connect();
  return {
    exec: async (sql) => void (await client.query(sql)),
    names: async () => (await client.query<{ name: string }>('SELECT name FROM item ORDER BY id')).rows.map((r) => r.name),
    hasTable: async (t) => (await client.query<{ reg: string | null }>('SELECT to_regclass($1)::text AS reg', [t])).rows[0]?.reg != null,
    close: () => client.end(),
  };
}

const CREATE = 'CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL)';

async function postgresDatabaseExists(url: string): Promise<boolean> {
  const name = new URL(url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: process.env.SHOMEI_TEST_PG_URL ?? url.replace(/\/[^/]*$/, '/postgres') });
  await admin.connect();
  try {
    return (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  } finally {
    await admin.end();
  }
}

describe(`test database harness (${testDbKind()})`, () => {
  it('gives a URL of the selected kind', async () => {
    const fresh = await freshDatabaseUrl();
    try {
      const scheme = new URL(fresh.url).protocol;
      assert.equal(scheme, testDbKind() === 'postgres' ? 'postgres:' : 'sqlite:');
    } finally {
      await fresh.cleanup();
    }
  });

  it('creates a table, inserts and reads back', async () => {
    const fresh = await freshDatabaseUrl();
    try {
      const c = await connect(fresh.url);
      try {
        await c.exec(CREATE);
        await c.exec("INSERT INTO item (id, name) VALUES (1, 'alpha'), (2, 'beta')");
        assert.deepEqual(await c.names(), ['alpha', 'beta']);
      } finally {
        await c.close();
      }
    } finally {
      await fresh.cleanup();
    }
  });

  it('keeps two fresh databases apart', async () => {
    const [a, b] = await Promise.all([freshDatabaseUrl(), freshDatabaseUrl()]);
    try {
      assert.notEqual(a.url, b.url);
      const ca = await connect(a.url);
      const cb = await connect(b.url);
      try {
        await ca.exec(CREATE);
        await ca.exec("INSERT INTO item (id, name) VALUES (1, 'only-in-a')");
        assert.equal(await cb.hasTable('item'), false, 'b starts empty');
        await cb.exec(CREATE);
        await cb.exec("INSERT INTO item (id, name) VALUES (1, 'only-in-b')");
        assert.deepEqual(await ca.names(), ['only-in-a']);
        assert.deepEqual(await cb.names(), ['only-in-b']);
      } finally {
        await ca.close();
        await cb.close();
      }
    } finally {
      await a.cleanup();
      await b.cleanup();
    }
  });

  it('cleanup removes the database, even with a connection open, and is idempotent', async () => {
    const fresh = await freshDatabaseUrl();
    const c = await connect(fresh.url);
    await c.exec(CREATE);
    if (testDbKind() === 'postgres') {
      assert.equal(await postgresDatabaseExists(fresh.url), true);
      // The open connection is terminated by DROP ... WITH (FORCE).
      await fresh.cleanup();
      await c.close().catch(() => undefined);
      assert.equal(await postgresDatabaseExists(fresh.url), false);
    } else {
      const file = fresh.url.slice('sqlite:'.length);
      assert.equal(existsSync(file), true);
      await c.close();
      await fresh.cleanup();
      assert.equal(existsSync(dirname(file)), false);
    }
    await fresh.cleanup();
  });
});
