// Types for scripts/pg-harness.mjs (plain JS so scripts/run-tests.mjs can
// import it without tsx).

export interface ThrowawayPostgres {
  /** Superuser URL: postgres://shomei@127.0.0.1:PORT/postgres (trust auth). */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** e.g. "PostgreSQL 15.8" (from `postgres --version`). */
  readonly version: string;
  /** Fast shutdown and removal of the temp dir. Idempotent. */
  stop(): Promise<void>;
}

/** Starts a private PostgreSQL cluster on 127.0.0.1 at a free port. */
export function startThrowawayPostgres(): Promise<ThrowawayPostgres>;

/** The newest /usr/lib/postgresql/N/bin (or SHOMEI_PG_BINDIR). Throws if none. */
export function findPostgresBinDir(): string;
