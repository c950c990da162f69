import { sql } from 'kysely';
import type { Db } from './database.js';
import type { Executor } from './executor.js';
import { migrate } from './migrate.js';
import * as accounts from './accounts.repository.js';
import * as ari from './ari.repository.js';
import * as audit from './audit.repository.js';
import * as authorizations from './authorizations.repository.js';
import * as blockedKeys from './blocked-keys.repository.js';
import * as certificates from './certificates.repository.js';
import * as crl from './crl.repository.js';
import * as eab from './eab.repository.js';
import * as nonces from './nonces.repository.js';
import * as orders from './orders.repository.js';
import * as certificateLinks from './certificate-links.repository.js';
import * as fees from './fees.repository.js';
import * as jobs from './jobs.repository.js';
import * as notifications from './notifications.repository.js';
import * as operators from './operators.repository.js';
import * as revocations from './revocations.repository.js';
import * as revocationJobs from './revocation-jobs.repository.js';
import * as serials from './serials.repository.js';
import * as subscribers from './subscribers.repository.js';
import * as usageFqdns from './usage-fqdns.repository.js';
import * as ctLog from './ct-log.repository.js';
import * as governance from './governance.repository.js';
import * as maintenance from './maintenance.repository.js';
import * as outbox from './outbox.repository.js';
import * as termination from './termination.repository.js';
import * as records from './records.repository.js';

// Transaction plumbing, not queries: kept off `Repositories`.
const { deferAuditEvents, flushAuditEvents, ...auditQueries } = audit;

const repositoryFunctions = {
  ...accounts,
  ...ari,
  ...auditQueries,
  ...authorizations,
  ...blockedKeys,
  ...certificates,
  ...crl,
  ...eab,
  ...nonces,
  ...orders,
  ...certificateLinks,
  ...fees,
  ...jobs,
  ...notifications,
  ...operators,
  ...revocations,
  ...revocationJobs,
  ...serials,
  ...subscribers,
  ...usageFqdns,
  ...ctLog,
  ...governance,
  ...maintenance,
  ...outbox,
  ...termination,
  ...records,
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
    return this.db.kysely.transaction().execute(async (trx) => {
      deferAuditEvents(trx);
      const out = await fn(bindRepositories(trx));
      await flushAuditEvents(trx);
      return out;
    });
  }

  /**
   * Record nonce uses without forcing a disk sync of their own. They become
   * durable with the next ordinary commit — at the latest the commit of the
   * request's own effect, since a nonce is redeemed before the request acts.
   * So a request whose effect survived a power loss can never be replayed,
   * and one whose effect was lost may be: it changes nothing that stayed.
   */
  recordNonceUsesLazily(uses: { value: string; expiresAt: string }[]): Promise<Set<string>> {
    if (this.db.dialect === 'postgres') {
      return this.db.kysely.transaction().execute(async (trx) => {
        await sql`set local synchronous_commit to off`.execute(trx);
        return nonces.recordNonceUses(trx, uses);
      });
    }
    const normal = this.db.sqliteSynchronous ?? 'FULL';
    // One connection scope: nothing else runs on the connection while synchronous is relaxed.
    return this.db.kysely.connection().execute(async (conn) => {
      await sql`pragma synchronous = NORMAL`.execute(conn);
      try {
        return await nonces.recordNonceUses(conn, uses);
      } finally {
        await sql.raw(`pragma synchronous = ${normal}`).execute(conn);
      }
    });
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
