import { ShomeiError } from '../core/errors.js';
import type { Repositories } from '../sa/index.js';

export interface AuditEventView {
  seq: number;
  at: string;
  actor: string;
  channel: string;
  action: string;
  objectType: string;
  objectId: string;
  details: unknown;
  prevHash: string;
  hash: string;
}

export interface AuditEventQuery {
  objectType?: string | undefined;
  objectId?: string | undefined;
  actor?: string | undefined;
  action?: string | undefined;
  /** ISO instant, inclusive. */
  from?: string | undefined;
  /** ISO instant, exclusive. */
  to?: string | undefined;
  /** The `next` of the previous page (a seq). */
  cursor?: string | undefined;
  limit?: number | undefined;
}

function instant(name: string, v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const t = Date.parse(v);
  if (!/^\d{4}-\d{2}-\d{2}/.test(v) || Number.isNaN(t)) throw new ShomeiError('malformed', `${name} must be an ISO 8601 date-time`);
  return new Date(t).toISOString();
}

function details(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** SPEC §11: browse the audit trail in chain order, filtered, keyset-paged by seq. */
export async function listAuditEventPage(repos: Pick<Repositories, 'listAuditEvents'>, q: AuditEventQuery): Promise<{ items: AuditEventView[]; next: string | null }> {
  const limit = q.limit ?? 100;
  let afterSeq: number | undefined;
  if (q.cursor !== undefined) {
    if (!/^\d{1,15}$/.test(q.cursor)) throw new ShomeiError('malformed', 'cursor is not one this API gave out');
    afterSeq = Number(q.cursor);
  }
  const fromIso = instant('from', q.from);
  const toIso = instant('to', q.to);
  const rows = await repos.listAuditEvents({
    ...(q.objectType !== undefined ? { objectType: q.objectType } : {}),
    ...(q.objectId !== undefined ? { objectId: q.objectId } : {}),
    ...(q.actor !== undefined ? { actor: q.actor } : {}),
    ...(q.action !== undefined ? { action: q.action } : {}),
    ...(fromIso !== undefined ? { fromIso } : {}),
    ...(toIso !== undefined ? { toIso } : {}),
    ...(afterSeq !== undefined ? { afterSeq } : {}),
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  const items = page.map((r) => ({
    seq: Number(r.seq),
    at: r.at,
    actor: r.actor,
    channel: r.channel,
    action: r.action,
    objectType: r.object_type,
    objectId: r.object_id,
    details: details(r.details),
    prevHash: r.prev_hash,
    hash: r.hash,
  }));
  const last = items[items.length - 1];
  return { items, next: rows.length > limit && last !== undefined ? String(last.seq) : null };
}
