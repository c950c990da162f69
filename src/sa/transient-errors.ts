/**
 * Database errors that say "try again shortly" rather than "this request is
 * wrong": lock contention, serialization failures, a database restarting or
 * out of connections. Front ends answer them with 503 and Retry-After.
 */
const SQLITE_TRANSIENT = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_RECOVERY', 'SQLITE_LOCKED']);
const PG_TRANSIENT = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '53300', // too_many_connections
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
]);
const NET_TRANSIENT = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']);

export function isTransientDatabaseError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  return SQLITE_TRANSIENT.has(code) || PG_TRANSIENT.has(code) || NET_TRANSIENT.has(code);
}
