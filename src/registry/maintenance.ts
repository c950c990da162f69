import { ShomeiError } from '../core/errors.js';
import { randomId } from '../core/ids.js';
import type { MaintenanceWindowRow, Repositories } from '../sa/index.js';
import { checkText } from './contacts.js';
import { recordNotification } from './notifications.js';
import { actorString, type Actor, type RegistryDeps } from './types.js';

/**
 * AT 18 (SPEC §10): the CA may stop the service for system maintenance after
 * announcing the reason and the period in advance; in an emergency (system
 * failure, force majeure) it may stop without notice. A planned window is
 * announced to every active operator (who relays to subscribers, AR 11) in
 * the same transaction that schedules it; an emergency stop is not announced.
 * While a window runs the ACME front end answers 503 (src/wfe/maintenance-gate.ts).
 */

export type MaintenanceState = 'scheduled' | 'running' | 'finished' | 'cancelled';

export interface MaintenanceWindowView {
  id: string;
  kind: 'planned' | 'emergency';
  reason: string;
  startsAt: string;
  /** Planned end; null = an emergency stop until resumed. */
  endsAt: string | null;
  cancelledAt: string | null;
  /** Ended early (planned window ended, emergency stop resumed). */
  endedAt: string | null;
  state: MaintenanceState;
  createdBy: string;
  createdAt: string;
}

export interface MaintenanceInput {
  reason?: unknown;
  startsAt?: unknown;
  endsAt?: unknown;
}

function stateOf(r: MaintenanceWindowRow, nowIso: string): MaintenanceState {
  if (r.cancelled_at !== null) return 'cancelled';
  if (r.ended_at !== null) return 'finished';
  if (r.starts_at > nowIso) return 'scheduled';
  return r.ends_at === null || r.ends_at > nowIso ? 'running' : 'finished';
}

export function maintenanceView(r: MaintenanceWindowRow, nowIso: string): MaintenanceWindowView {
  return {
    id: r.id,
    kind: r.kind,
    reason: r.reason,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    cancelledAt: r.cancelled_at,
    endedAt: r.ended_at,
    state: stateOf(r, nowIso),
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}

/** An RFC 3339 date-time, normalised to UTC ISO form. */
export function checkInstant(v: unknown, field: string): string {
  if (typeof v !== 'string' || v.length > 40 || !/^\d{4}-\d{2}-\d{2}T/.test(v) || Number.isNaN(Date.parse(v))) {
    throw new ShomeiError('malformed', `${field} must be an RFC 3339 date-time`);
  }
  const iso = new Date(v).toISOString();
  if (!/^\d{4}-/.test(iso)) throw new ShomeiError('malformed', `${field} is out of range`);
  return iso;
}

function checkReason(v: unknown): string {
  return checkText(v, 'reason', { max: 500 }) as string;
}

async function loadWindow(tx: Repositories, id: string): Promise<MaintenanceWindowRow> {
  const row = await tx.getMaintenanceWindow(id);
  if (!row) throw new ShomeiError('notFound', `No maintenance window ${id}`);
  return row;
}

async function announce(tx: Repositories, kind: 'maintenance.announced' | 'maintenance.cancelled', r: MaintenanceWindowRow, atIso: string): Promise<void> {
  // operatorId null: every active operator is notified (SPEC §10, AT 18 "announced in advance").
  await recordNotification(tx, {
    kind,
    operatorId: null,
    subjectType: 'maintenance-window',
    subjectId: r.id,
    payload: { windowId: r.id, reason: r.reason, startsAt: r.starts_at, endsAt: r.ends_at },
    atIso,
  });
}

/** Schedule a planned window (reason, startsAt > now, endsAt > startsAt) and announce it in the same transaction. */
export async function scheduleMaintenance(d: RegistryDeps, input: MaintenanceInput, actor: Actor): Promise<MaintenanceWindowView> {
  const nowIso = d.clock.now().toISOString();
  const reason = checkReason(input.reason);
  const startsAt = checkInstant(input.startsAt, 'startsAt');
  const endsAt = checkInstant(input.endsAt, 'endsAt');
  if (startsAt <= nowIso) throw new ShomeiError('malformed', `startsAt must lie in the future (now is ${nowIso}); an unannounced stop is an emergency stop`);
  if (endsAt <= startsAt) throw new ShomeiError('malformed', 'endsAt must lie after startsAt');
  const row: MaintenanceWindowRow = {
    id: `mw_${randomId(9)}`,
    kind: 'planned',
    reason,
    starts_at: startsAt,
    ends_at: endsAt,
    cancelled_at: null,
    ended_at: null,
    created_by: actorString(actor),
    created_at: nowIso,
  };
  await d.sa.transaction(async (tx) => {
    await tx.insertMaintenanceWindow(row);
    await tx.appendAudit({ at: nowIso, actor: row.created_by, action: 'maintenance.scheduled', objectType: 'maintenance-window', objectId: row.id, details: { reason, startsAt, endsAt } });
    await announce(tx, 'maintenance.announced', row, nowIso);
  });
  return maintenanceView(row, nowIso);
}

/** Cancel a window that has not started; operators are told it is off. */
export async function cancelMaintenance(d: RegistryDeps, id: string, actor: Actor): Promise<MaintenanceWindowView> {
  const nowIso = d.clock.now().toISOString();
  return d.sa.transaction(async (tx) => {
    const row = await loadWindow(tx, id);
    if (!(await tx.cancelMaintenanceWindow(id, nowIso))) {
      throw new ShomeiError('conflict', `Maintenance window ${id} is ${stateOf(row, nowIso)}; only a scheduled window can be cancelled`);
    }
    await tx.appendAudit({ at: nowIso, actor: actorString(actor), action: 'maintenance.cancelled', objectType: 'maintenance-window', objectId: id, details: { reason: row.reason, startsAt: row.starts_at, endsAt: row.ends_at } });
    if (row.kind === 'planned') await announce(tx, 'maintenance.cancelled', row, nowIso);
    return maintenanceView({ ...row, cancelled_at: nowIso }, nowIso);
  });
}

/** End a running window (planned or emergency) now: ACME answers again. */
export async function endMaintenance(d: RegistryDeps, id: string, actor: Actor): Promise<MaintenanceWindowView> {
  const nowIso = d.clock.now().toISOString();
  return d.sa.transaction(async (tx) => {
    const row = await loadWindow(tx, id);
    if (!(await tx.endMaintenanceWindow(id, nowIso))) {
      throw new ShomeiError('conflict', `Maintenance window ${id} is ${stateOf(row, nowIso)}; only a running window can be ended`);
    }
    await tx.appendAudit({ at: nowIso, actor: actorString(actor), action: 'maintenance.ended', objectType: 'maintenance-window', objectId: id, details: { kind: row.kind, plannedEnd: row.ends_at } });
    return maintenanceView({ ...row, ended_at: nowIso }, nowIso);
  });
}

/** AT 18 proviso: stop the service now without notice (system failure, force majeure), optionally until `endsAt`. */
export async function emergencyStop(d: RegistryDeps, input: { reason?: unknown; endsAt?: unknown }, actor: Actor): Promise<MaintenanceWindowView> {
  const nowIso = d.clock.now().toISOString();
  const reason = checkReason(input.reason);
  const endsAt = input.endsAt === undefined || input.endsAt === null ? null : checkInstant(input.endsAt, 'endsAt');
  if (endsAt !== null && endsAt <= nowIso) throw new ShomeiError('malformed', 'endsAt must lie in the future');
  const row: MaintenanceWindowRow = {
    id: `mw_${randomId(9)}`,
    kind: 'emergency',
    reason,
    starts_at: nowIso,
    ends_at: endsAt,
    cancelled_at: null,
    ended_at: null,
    created_by: actorString(actor),
    created_at: nowIso,
  };
  await d.sa.transaction(async (tx) => {
    const running = (await tx.listOpenMaintenanceWindows(nowIso)).find((w) => w.kind === 'emergency' && w.starts_at <= nowIso);
    if (running) throw new ShomeiError('conflict', `An emergency stop is already in force (${running.id}); resume it first`);
    await tx.insertMaintenanceWindow(row);
    await tx.appendAudit({ at: nowIso, actor: row.created_by, action: 'maintenance.emergency-stop', objectType: 'maintenance-window', objectId: row.id, details: { reason, endsAt } });
  });
  return maintenanceView(row, nowIso);
}

/** End every emergency stop in force; `conflict` when there is none. */
export async function resumeService(d: RegistryDeps, actor: Actor): Promise<MaintenanceWindowView[]> {
  const nowIso = d.clock.now().toISOString();
  return d.sa.transaction(async (tx) => {
    const running = (await tx.listOpenMaintenanceWindows(nowIso)).filter((w) => w.kind === 'emergency' && w.starts_at <= nowIso);
    if (running.length === 0) throw new ShomeiError('conflict', 'No emergency stop is in force');
    const ended: MaintenanceWindowView[] = [];
    for (const w of running) {
      if (!(await tx.endMaintenanceWindow(w.id, nowIso))) continue;
      await tx.appendAudit({ at: nowIso, actor: actorString(actor), action: 'maintenance.resumed', objectType: 'maintenance-window', objectId: w.id, details: { reason: w.reason, stoppedAt: w.starts_at } });
      ended.push(maintenanceView({ ...w, ended_at: nowIso }, nowIso));
    }
    return ended;
  });
}

/** Every window, oldest start first; `state` filters (e.g. only `scheduled` and `running`). */
export async function listMaintenance(d: RegistryDeps, q: { state?: string | undefined } = {}): Promise<MaintenanceWindowView[]> {
  const nowIso = d.clock.now().toISOString();
  const all = (await d.sa.repos.listMaintenanceWindows()).map((r) => maintenanceView(r, nowIso));
  return q.state === undefined ? all : all.filter((v) => v.state === q.state);
}

export async function getMaintenance(d: RegistryDeps, id: string): Promise<MaintenanceWindowView> {
  return maintenanceView(await loadWindow(d.sa.repos, id), d.clock.now().toISOString());
}
