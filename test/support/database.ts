// A fresh, empty database per test, on the kind the run selected:
//   SHOMEI_TEST_DB unset / "sqlite"  → a temp file, `sqlite:<tmpdir>/shomei.db`
//   SHOMEI_TEST_DB=postgres          → a new database on the server at
//     SHOMEI_TEST_PG_URL (set by scripts/run-tests.mjs); run by hand without
//     it, a throwaway server is started here and stopped at process exit.
// cleanup() removes the database; it is idempotent.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startThrowawayPostgres } from '../../scripts/pg-harness.mjs';

export type TestDbKind = 'sqlite' | 'postgres';

export interface FreshDatabase {
  /** `sqlite:/abs/path.db` or `postgres://user@host:port/name`. */
  url: string;
  cleanup(): Promise<void>;
}

export function testDbKind(): TestDbKind {
  const v = process.env.SHOMEI_TEST_DB;
  if (v === undefined || v === '' || v === 'sqlite') return 'sqlite';
  if (v === 'postgres') return 'postgres';
  throw new Error(`SHOMEI_TEST_DB must be "sqlite" or "postgres", not "${v}"`);
}

export async function freshDatabaseUrl(): Promise<FreshDatabase> {
  return testDbKind() === 'postgres' ? freshPostgres() : freshSqlite();
}

async function freshSqlite(): Promise<FreshDatabase> {
  const dir = await mkdtemp(join(tmpdir(), 'shomei-test-'));
  return {
    url: `sqlite:${join(dir, 'shomei.db')}`,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

let ownServer: Promise<string> | undefined;

/** Superuser URL of the run's server, or of one started for this process. */
function serverUrl(): Promise<string> {
  const fromRunner = process.env.SHOMEI_TEST_PG_URL;
  if (fromRunner) return Promise.resolve(fromRunner);
  // The harness stops it on process exit and signals.
  ownServer ??= startThrowawayPostgres().then((s) => s.url);
  return ownServer;
}

async function withAdmin<T>(adminUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function freshPostgres(): Promise<FreshDatabase> {
  const adminUrl = await serverUrl();
  // Lower-case letters, digits and _ only: no quoting surprises, < 63 bytes.
  const name = `shomei_t_${process.pid}_${randomBytes(6).toString('hex')}`;
  await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    cleanup: async () => {
      if (dropped) return;
      await withAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      dropped = true;
    },
  };
}
