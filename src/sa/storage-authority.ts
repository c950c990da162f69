import type { Db } from './database.js';
import type { Executor } from './executor.js';
import { migrate } from './migrate.js';
import * as accounts from './accounts.repository.js';
import * as audit from './audit.repository.js';
import * as authorizations from './authorizations.repository.js';
import * as certificates from './certificates.repository.js';
import * as eab from './eab.repository.js';
import * as nonces from './nonces.repository.js';
import * as orders from './orders.repository.js';

const repositoryFunctions = {
  ...accounts,
  ...audit,
  ...authorizations,
  ...certificates,
  ...eab,
  ...nonces,
  ...orders,
};

type RepoFns = typeof repositoryFunctions;
type Bound<F> = F extends (db: Executor, ...args: infer A) => infer R ? (...args: A) => R : never;

/** Every repository query with the database (or transaction) already applied. */
export type Repositories = { [K in keyof RepoFns]: Bound<RepoFns[K]> };

function bindRepositories(exec: Executor): Repositories {
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(repositoryFunctions)) {
    out[name] = (...args: unknown[]) => (fn as (db: Executor, ...a: unknown[]) => unknown)(exec, ...args);
  }
  return out as Repositories;
}

/**
 * The storage authority: the only door to the database. Components above it
 * call repository functions directly (`sa.repos.getOrder(id)`) or group them
 * in one transaction (`sa.transaction(async (tx) => …)`) so nothing
 * half-written survives a failure.
 */
export class StorageAuthority {
  readonly repos: Repositories;
  constructor(private readonly db: Db) {
    this.repos = bindRepositories(db.kysely);
  }

  get dialect(): Db['dialect'] {
    return this.db.dialect;
  }

  migrate(): Promise<string[]> {
    return migrate(this.db);
  }

  transaction<T>(fn: (tx: Repositories) => Promise<T>): Promise<T> {
    return this.db.kysely.transaction().execute((trx) => fn(bindRepositories(trx)));
  }

  /** Cheap liveness probe for health checks. */
  async ping(): Promise<void> {
    await this.db.kysely.selectFrom('used_nonces').select('value').limit(1).execute();
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  return err.code === '23505' || err.code === 'SQLITE_CONSTRAINT_UNIQUE' || err.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
