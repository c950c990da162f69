import { createHash } from 'node:crypto';

/** The hash a chain starts from (and the anchor before any event). */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

/** The fields of an audit event that its hash covers, exactly as stored. */
export interface ChainedAuditFields {
  seq: number;
  at: string;
  actor: string;
  channel: string;
  action: string;
  object_type: string;
  object_id: string;
  /** The stored JSON text, hashed byte for byte. */
  details: string;
}

/**
 * SPEC §11 / BR 5.4.4: each audit event's hash covers the previous event's
 * hash and every stored field, so changing, inserting or deleting any event
 * breaks every hash after it (and the head kept in `audit_chain`).
 */
export function auditEventHash(prevHash: string, f: ChainedAuditFields): string {
  const canonical = JSON.stringify([f.seq, f.at, f.actor, f.channel, f.action, f.object_type, f.object_id, f.details]);
  return createHash('sha256').update(prevHash).update('\n').update(canonical, 'utf8').digest('hex');
}

/** Channel of an actor string when the caller does not name one. */
export function channelOfActor(actor: string): string {
  if (actor.startsWith('account:')) return 'acme';
  if (actor.startsWith('operator:')) return 'operator-api';
  if (actor.startsWith('admin:')) return 'admin';
  if (actor.startsWith('system')) return 'system';
  return 'other';
}
