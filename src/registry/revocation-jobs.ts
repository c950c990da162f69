import { ShomeiError } from '../core/errors.js';
import { randomId } from '../core/ids.js';
import { canonicalSerialHex } from '../core/serial-number.js';
import type { RevocationJobRow, RevocationJobSelector, RevocationJobStatus, RevocationSelection } from '../sa/index.js';
import { CA_REVOCATION_REASONS } from './certificates.js';
import { actorString, decodeCursor, encodeCursor, type Actor, type Page, type RegistryDeps } from './types.js';

/**
 * Admin bulk revocation (BR §5.7.1.2 mass-revocation plan, §4.9.1.1 time
 * limits; SPEC §7): CA staff name a set of certificates — a list of serials,
 * or everything of a usage FQDN, subscriber, operator or issuing CA — and a
 * reason; the job runner revokes them in batches (revocation-job-batches.ts).
 */

export type RevocationJobDeps = Pick<RegistryDeps, 'sa' | 'clock' | 'logger'>;

export const REVOCATION_JOB_SELECTORS: readonly RevocationJobSelector[] = ['serials', 'usage_fqdn', 'subscriber', 'operator', 'issuer'];
/** Most serials one job may list. */
export const MAX_JOB_SERIALS = 10_000;
export const MAX_JOB_NOTE = 500;
const SERIAL_TEXT = /^[0-9A-Fa-f:]{1,80}$/;
const ID_PREFIX: Record<'usage_fqdn' | 'subscriber' | 'operator', string> = { usage_fqdn: 'fq_', subscriber: 'sub_', operator: 'op_' };

/** What the job row's `target` column holds (JSON). */
interface StoredTarget {
  serials?: string[];
  id?: string;
  note?: string;
}

export interface RevocationJobView {
  id: string;
  selector: RevocationJobSelector;
  /** The usage FQDN / subscriber / operator id or issuer key id (hex); null for `serials`. */
  targetId: string | null;
  /** How many serials the job lists; null for the other selectors. */
  serialCount: number | null;
  reason: number;
  note: string | null;
  status: RevocationJobStatus;
  /** Certificates selected when the job was created (those issued later are not part of it). */
  total: number | null;
  /** Revoked by this job. */
  revoked: number;
  /** Already revoked or expired when their turn came. */
  skipped: number;
  /** (revoked + skipped) / total, 0…1. */
  progress: number | null;
  /** The last batch error (the job is retried unless its status is `failed`). */
  error: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

/** The stored target of a job as a selection; a row that cannot be read is a server fault. */
export function selectionOf(job: RevocationJobRow): RevocationSelection & { note?: string } {
  let t: StoredTarget;
  try {
    t = JSON.parse(job.target) as StoredTarget;
  } catch {
    throw new ShomeiError('serverInternal', `Revocation job ${job.id} has an unreadable target`);
  }
  if (job.selector === 'serials') {
    if (!Array.isArray(t.serials)) throw new ShomeiError('serverInternal', `Revocation job ${job.id} lists no serials`);
    return { selector: 'serials', serials: t.serials };
  }
  if (typeof t.id !== 'string') throw new ShomeiError('serverInternal', `Revocation job ${job.id} names no target`);
  return { selector: job.selector, id: t.id };
}

export function revocationJobView(job: RevocationJobRow): RevocationJobView {
  const t = JSON.parse(job.target) as StoredTarget;
  const done = job.revoked + job.skipped;
  return {
    id: job.id,
    selector: job.selector,
    targetId: t.id ?? null,
    serialCount: t.serials?.length ?? null,
    reason: job.reason,
    note: t.note ?? null,
    status: job.status,
    total: job.total,
    revoked: job.revoked,
    skipped: job.skipped,
    progress: job.total === null ? null : job.total === 0 ? 1 : Math.min(1, Math.round((done / job.total) * 10_000) / 10_000),
    error: job.error,
    createdBy: job.created_by,
    createdAt: job.created_at,
    updatedAt: job.updated_at,
    finishedAt: job.finished_at,
  };
}

function checkReason(reason: unknown): number {
  if (typeof reason !== 'number' || !Number.isInteger(reason) || !CA_REVOCATION_REASONS.includes(reason)) {
    throw new ShomeiError('badRevocationReason', `Revocation reason ${JSON.stringify(reason)} is not allowed; use one of ${CA_REVOCATION_REASONS.join(', ')}`);
  }
  return reason;
}

/** Serials as hex (colons allowed), canonical, de-duplicated, in order. */
function checkSerials(serials: unknown): string[] {
  if (!Array.isArray(serials) || serials.length === 0) throw new ShomeiError('malformed', 'selector "serials" needs "serials": a non-empty list of hex serial numbers');
  if (serials.length > MAX_JOB_SERIALS) throw new ShomeiError('malformed', `At most ${MAX_JOB_SERIALS} serials per job (got ${serials.length}); split the list`);
  const out = new Set<string>();
  for (const [i, s] of serials.entries()) {
    if (typeof s !== 'string' || !SERIAL_TEXT.test(s)) throw new ShomeiError('malformed', `serials[${i}] is not a hex serial number`);
    out.add(canonicalSerialHex(s.replace(/:/g, '')));
  }
  return [...out].sort();
}

function checkTargetId(selector: Exclude<RevocationJobSelector, 'serials'>, id: unknown): string {
  if (typeof id !== 'string' || id === '') throw new ShomeiError('malformed', `selector "${selector}" needs "id"`);
  if (selector === 'issuer') {
    const hex = id.replace(/:/g, '').toLowerCase();
    if (!/^[0-9a-f]{2,128}$/.test(hex) || hex.length % 2 !== 0) throw new ShomeiError('malformed', 'selector "issuer" needs "id": the hex key identifier (subjectKeyIdentifier) of the issuing CA');
    return hex;
  }
  const prefix = ID_PREFIX[selector];
  if (!id.startsWith(prefix) || !/^[a-z]+_[A-Za-z0-9_-]{1,64}$/.test(id)) throw new ShomeiError('malformed', `selector "${selector}" needs "id": a ${prefix}… identifier`);
  return id;
}

/** Parse and check a job request (SPEC §7: the CA may use 0, 1, 3, 4, 5 and 9). */
export function parseRevocationJobInput(input: Record<string, unknown>): { selection: RevocationSelection; reason: number; note: string | undefined } {
  const selector = input['selector'];
  if (typeof selector !== 'string' || !(REVOCATION_JOB_SELECTORS as readonly string[]).includes(selector)) {
    throw new ShomeiError('malformed', `selector must be one of ${REVOCATION_JOB_SELECTORS.join(', ')}`);
  }
  const reason = checkReason(input['reason']);
  const note = input['note'];
  if (note !== undefined && (typeof note !== 'string' || note.length > MAX_JOB_NOTE)) throw new ShomeiError('malformed', `note must be text of at most ${MAX_JOB_NOTE} characters`);
  if (selector === 'serials') {
    if (input['id'] !== undefined) throw new ShomeiError('malformed', 'selector "serials" takes "serials", not "id"');
    return { selection: { selector, serials: checkSerials(input['serials']) }, reason, note };
  }
  const sel = selector as Exclude<RevocationJobSelector, 'serials'>;
  if (input['serials'] !== undefined) throw new ShomeiError('malformed', `selector "${sel}" takes "id", not "serials"`);
  return { selection: { selector: sel, id: checkTargetId(sel, input['id']) }, reason, note };
}

/** Every named thing must exist: an unknown id or serial is a 404, never an empty job. */
async function checkTargetExists(d: RevocationJobDeps, sel: RevocationSelection): Promise<void> {
  const r = d.sa.repos;
  switch (sel.selector) {
    case 'serials': {
      const known = await r.findKnownSerials(sel.serials);
      const unknown = sel.serials.filter((s) => !known.has(s));
      if (unknown.length > 0) {
        const shown = unknown.slice(0, 10).join(', ');
        throw new ShomeiError('notFound', `No certificate with serial ${shown}${unknown.length > 10 ? ` and ${unknown.length - 10} more` : ''} was issued by this CA`);
      }
      return;
    }
    case 'usage_fqdn':
      if (!(await r.getUsageFqdn(sel.id))) throw new ShomeiError('notFound', `No usage FQDN ${sel.id}`);
      return;
    case 'subscriber':
      if (!(await r.getSubscriber(sel.id))) throw new ShomeiError('notFound', `No subscriber ${sel.id}`);
      return;
    case 'operator':
      if (!(await r.getOperator(sel.id))) throw new ShomeiError('notFound', `No operator ${sel.id}`);
      return;
    case 'issuer':
      if (!(await r.isKnownIssuerKeyId(sel.id))) throw new ShomeiError('notFound', `No certificate was issued by a CA with key identifier ${sel.id}`);
      return;
  }
}

/** Create a pending job (audited); the job runner or `shomei revoke` processes it. */
export async function createRevocationJob(d: RevocationJobDeps, input: Record<string, unknown>, actor: Actor): Promise<RevocationJobView> {
  const { selection, reason, note } = parseRevocationJobInput(input);
  await checkTargetExists(d, selection);
  const now = d.clock.now().toISOString();
  const target: StoredTarget = selection.selector === 'serials' ? { serials: [...selection.serials] } : { id: selection.id };
  if (note !== undefined) target.note = note;
  const row: RevocationJobRow = {
    id: `rj_${randomId(12)}`,
    selector: selection.selector,
    target: JSON.stringify(target),
    reason,
    status: 'pending',
    total: 0,
    revoked: 0,
    skipped: 0,
    cursor: null,
    error: null,
    created_by: actorString(actor),
    created_at: now,
    updated_at: now,
    finished_at: null,
  };
  await d.sa.transaction(async (tx) => {
    row.total = selection.selector === 'serials' ? selection.serials.length : await tx.countRevocationCandidates(selection, now);
    await tx.insertRevocationJob(row);
    await tx.appendAudit({
      at: now,
      actor: row.created_by,
      action: 'revocation-job.created',
      objectType: 'revocation-job',
      objectId: row.id,
      details: { selector: row.selector, target: target.id ?? { serials: target.serials?.length }, reason, note: note ?? null, total: row.total },
    });
  });
  return revocationJobView(row);
}

async function load(d: RevocationJobDeps, id: string): Promise<RevocationJobRow> {
  const row = await d.sa.repos.getRevocationJob(id);
  if (!row) throw new ShomeiError('notFound', `No revocation job ${id}`);
  return row;
}

export async function getRevocationJob(d: RevocationJobDeps, id: string): Promise<RevocationJobView> {
  return revocationJobView(await load(d, id));
}

export async function listRevocationJobs(d: RevocationJobDeps, q: { cursor?: string | undefined; limit?: number | undefined }): Promise<Page<RevocationJobView>> {
  const limit = q.limit ?? 100;
  const c = decodeCursor(q.cursor, 2);
  const rows = await d.sa.repos.listRevocationJobs({ after: c ? { createdAt: c[0] as string, id: c[1] as string } : undefined, limit: limit + 1 });
  const items = rows.slice(0, limit).map(revocationJobView);
  const last = rows.length > limit ? items[items.length - 1] : undefined;
  return { items, next: last ? encodeCursor([last.createdAt, last.id]) : null };
}

/** Stop a pending or running job; what its committed batches revoked stays revoked. A finished job → conflict. */
export async function cancelRevocationJob(d: RevocationJobDeps, id: string, actor: Actor): Promise<RevocationJobView> {
  await load(d, id);
  const now = d.clock.now().toISOString();
  await d.sa.transaction(async (tx) => {
    if (!(await tx.cancelRevocationJob(id, now))) {
      const status = (await tx.getRevocationJob(id))?.status ?? 'gone';
      throw new ShomeiError('conflict', `Revocation job ${id} has already finished (${status})`);
    }
    const row = await tx.getRevocationJob(id);
    await tx.appendAudit({ at: now, actor: actorString(actor), action: 'revocation-job.cancelled', objectType: 'revocation-job', objectId: id, details: { revoked: row?.revoked, skipped: row?.skipped, total: row?.total } });
  });
  return revocationJobView(await load(d, id));
}
