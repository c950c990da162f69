import type { FastifyInstance } from 'fastify';
import type { Clock } from '../core/clock.js';
import { ShomeiError } from '../core/errors.js';
import type { MaintenanceWindowRow, PolicyDocumentRow, StorageAuthority } from '../sa/index.js';

/** The stop covering a moment: the window that started it and when the service comes back (null = not known). */
export interface ServiceStop {
  windowId: string;
  kind: MaintenanceWindowRow['kind'];
  reason: string;
  startsAt: string;
  /** End of the covered period (back-to-back and overlapping windows joined); null = emergency stop until resumed. */
  until: string | null;
}

/** Which of `open` (not cancelled, not ended early) covers `atIso`, and until when the service stays stopped. */
export function stopAt(open: readonly MaintenanceWindowRow[], atIso: string): ServiceStop | null {
  const covers = (w: MaintenanceWindowRow, t: string) => w.starts_at <= t && (w.ends_at === null || w.ends_at > t);
  const active = open.filter((w) => covers(w, atIso));
  const first = active[0];
  if (!first) return null;
  if (active.some((w) => w.ends_at === null)) {
    const e = active.find((w) => w.ends_at === null) as MaintenanceWindowRow;
    return { windowId: e.id, kind: e.kind, reason: e.reason, startsAt: e.starts_at, until: null };
  }
  // Follow windows that start before the current end: the service is back only when none covers the moment.
  let until = active.reduce((m, w) => ((w.ends_at as string) > m ? (w.ends_at as string) : m), first.ends_at as string);
  for (;;) {
    const next = open.filter((w) => covers(w, until));
    if (next.length === 0) break;
    if (next.some((w) => w.ends_at === null)) return { windowId: first.id, kind: first.kind, reason: first.reason, startsAt: first.starts_at, until: null };
    until = next.reduce((m, w) => ((w.ends_at as string) > m ? (w.ends_at as string) : m), until);
  }
  return { windowId: first.id, kind: first.kind, reason: first.reason, startsAt: first.starts_at, until };
}

/** The terms of service in force at `atIso` among the published terms versions (AT 21). */
function termsAt(terms: readonly PolicyDocumentRow[], atIso: string): PolicyDocumentRow | undefined {
  let best: PolicyDocumentRow | undefined;
  for (const r of terms) {
    if (r.effective_at > atIso) continue;
    if (!best || r.effective_at > best.effective_at || (r.effective_at === best.effective_at && r.published_at > best.published_at)) best = r;
  }
  return best;
}

/**
 * A process-local view of the maintenance schedule and the published terms
 * versions, reloaded at most every `cacheMs` (config `maintenance.cacheMs`).
 * Only the rows are cached: whether a window covers "now" and which terms are
 * in force is decided per request against the clock, so a window starts and
 * ends on time even inside the cache period; a change made by an admin is
 * seen within `cacheMs`. Concurrent reloads share one query.
 */
export class ServiceSchedule {
  #loadedAt = Number.NEGATIVE_INFINITY;
  #open: MaintenanceWindowRow[] = [];
  #terms: PolicyDocumentRow[] = [];
  #loading: Promise<void> | undefined;

  constructor(
    private readonly sa: StorageAuthority,
    private readonly clock: Clock,
    private readonly cacheMs: number,
  ) {}

  async #fresh(nowMs: number): Promise<void> {
    if (nowMs >= this.#loadedAt && nowMs - this.#loadedAt < this.cacheMs) return;
    this.#loading ??= (async () => {
      try {
        const atIso = new Date(nowMs).toISOString();
        const [open, docs] = await Promise.all([this.sa.repos.listOpenMaintenanceWindows(atIso), this.sa.repos.listPolicyDocuments()]);
        this.#open = open;
        this.#terms = docs.filter((r) => r.kind === 'terms');
        this.#loadedAt = nowMs;
      } finally {
        this.#loading = undefined;
      }
    })();
    await this.#loading;
  }

  /** The stop in force now, or null when ACME is open. */
  async currentStop(): Promise<ServiceStop | null> {
    const now = this.clock.now();
    await this.#fresh(now.getTime());
    return stopAt(this.#open, now.toISOString());
  }

  /** The terms of service in force now; undefined when no version is published. */
  async currentTerms(): Promise<{ version: string; url: string } | undefined> {
    const now = this.clock.now();
    await this.#fresh(now.getTime());
    const t = termsAt(this.#terms, now.toISOString());
    return t ? { version: t.version, url: t.url } : undefined;
  }

  /** Forget the cached rows (the next request reloads). */
  invalidate(): void {
    this.#loadedAt = Number.NEGATIVE_INFINITY;
  }
}

/**
 * AT 18: while a maintenance window or an emergency stop is in force every
 * ACME request — the directory and newNonce included — is answered
 * `503 Service Unavailable` with `Retry-After` and an RFC 8555 problem
 * document (`serverInternal`, the only standard type for a server-side
 * condition). It runs as the first hook, before body parsing and the JWS
 * checks, so no nonce or signature is needed to learn the service is down.
 * Work already accepted (validations, finalizations) finishes: the gate
 * only refuses new requests. The operator and admin APIs and the artefacts
 * listener (CRLs, CT logs, issuer certificates) are separate servers and
 * keep serving.
 */
export function installMaintenanceGate(app: FastifyInstance, schedule: ServiceSchedule, clock: Clock, emergencyRetryAfterSeconds: number): void {
  app.addHook('onRequest', async (_req, reply) => {
    const stop = await schedule.currentStop();
    if (!stop) return;
    const nowMs = clock.now().getTime();
    // RFC 9110 §10.2.3: delay-seconds until the window's end; at least 1 so clients do not spin.
    const retryAfter = stop.until === null ? emergencyRetryAfterSeconds : Math.max(1, Math.ceil((Date.parse(stop.until) - nowMs) / 1000));
    reply.header('Cache-Control', 'no-store');
    const detail =
      stop.until === null
        ? `The ACME service is stopped (${stop.kind === 'emergency' ? 'emergency stop' : 'maintenance'}): ${stop.reason}. No end time is announced yet; retry later`
        : `The ACME service is stopped for ${stop.kind === 'emergency' ? 'an emergency stop' : 'scheduled maintenance'}: ${stop.reason}. It is expected back at ${stop.until}`;
    throw new ShomeiError('unavailable', detail, {
      retryAfter,
      extra: { maintenance: { kind: stop.kind, reason: stop.reason, startsAt: stop.startsAt, endsAt: stop.until } },
    });
  });
}
