import type { Executor } from './executor.js';
import type { CertificateRow, OrderRow } from './schema.js';

/**
 * Read a certificate with a row lock (PostgreSQL) for the rest of the
 * transaction: a newOrder that replaces it (RFC 9773 §5) holds it while it
 * checks for other replacement orders and stores its own, so two concurrent
 * replacements are serialised. SQLite transactions already hold the write lock.
 */
export async function getReplacedCertificateForUpdate(db: Executor, serial: string, dialect: 'sqlite' | 'postgres'): Promise<CertificateRow | undefined> {
  const q = db.selectFrom('certificates').selectAll().where('serial', '=', serial);
  return (dialect === 'postgres' ? q.forUpdate() : q).executeTakeFirst();
}

/** Orders whose `replaces` names this CertID (RFC 9773 §5), oldest first. */
export async function listOrdersReplacingCertId(db: Executor, certId: string): Promise<OrderRow[]> {
  return db.selectFrom('orders').selectAll().where('replaces', '=', certId).orderBy('created_at').orderBy('id').execute();
}
