import { ShomeiError } from '../core/errors.js';
import { randomId } from '../core/ids.js';
import { isUniqueViolation, type ConsentRecordRow, type PolicyDocumentKind, type PolicyDocumentRow, type Repositories } from '../sa/index.js';
import { checkInstant } from './maintenance.js';
import { recordNotification } from './notifications.js';
import { getSubscriber } from './subscribers.js';
import { actorString, type Actor, type RegistryDeps } from './types.js';

/**
 * AT 21 (SPEC §10): the terms, the CP/CPS and the CT-disclosure document are
 * versioned. A version is published with the URL of the text and the time it
 * takes effect (now, or later: an announced change). The current document of
 * a kind is the latest one effective at "now"; the ACME directory's
 * `meta.termsOfService` points to the current terms, newAccount records the
 * terms version it was created under, and consent records (AR 10) must name
 * published versions once versions of that kind exist.
 */

export const POLICY_DOCUMENT_KINDS = ['terms', 'cps', 'ct-disclosure'] as const satisfies readonly PolicyDocumentKind[];

export interface PolicyDocumentView {
  id: string;
  kind: PolicyDocumentKind;
  version: string;
  url: string;
  sha256: string | null;
  effectiveAt: string;
  /** `announced` = takes effect later; `current` = in force now; `superseded` = replaced by a later version. */
  state: 'announced' | 'current' | 'superseded';
  publishedAt: string;
  publishedBy: string;
}

export interface CurrentPolicyDocuments {
  terms: PolicyDocumentView | null;
  cps: PolicyDocumentView | null;
  ctDisclosure: PolicyDocumentView | null;
  /** Versions published to take effect later, soonest first. */
  announced: PolicyDocumentView[];
}

export interface PolicyDocumentInput {
  kind?: unknown;
  version?: unknown;
  url?: unknown;
  sha256?: unknown;
  effectiveAt?: unknown;
}

/** The document of a kind in force at `atIso` among `rows`: the latest effective_at ≤ at (ties: later published). */
export function currentOf(rows: readonly PolicyDocumentRow[], kind: PolicyDocumentKind, atIso: string): PolicyDocumentRow | undefined {
  let best: PolicyDocumentRow | undefined;
  for (const r of rows) {
    if (r.kind !== kind || r.effective_at > atIso) continue;
    if (!best || r.effective_at > best.effective_at || (r.effective_at === best.effective_at && r.published_at > best.published_at)) best = r;
  }
  return best;
}

function views(rows: readonly PolicyDocumentRow[], nowIso: string): PolicyDocumentView[] {
  const current = new Set(POLICY_DOCUMENT_KINDS.map((k) => currentOf(rows, k, nowIso)?.id));
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    version: r.version,
    url: r.url,
    sha256: r.sha256,
    effectiveAt: r.effective_at,
    state: r.effective_at > nowIso ? 'announced' : current.has(r.id) ? 'current' : 'superseded',
    publishedAt: r.published_at,
    publishedBy: r.published_by,
  }));
}

function checkKind(v: unknown): PolicyDocumentKind {
  if (typeof v !== 'string' || !(POLICY_DOCUMENT_KINDS as readonly string[]).includes(v)) {
    throw new ShomeiError('malformed', `kind must be one of ${POLICY_DOCUMENT_KINDS.join(', ')}`);
  }
  return v as PolicyDocumentKind;
}

function checkVersion(v: unknown): string {
  if (typeof v !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._:+-]{0,63}$/.test(v)) {
    throw new ShomeiError('malformed', 'version must be 1–64 characters: letters, digits and . _ : + - (starting with a letter or digit)');
  }
  return v;
}

function checkUrl(v: unknown): string {
  let u: URL | undefined;
  try {
    u = typeof v === 'string' && v.length <= 2048 ? new URL(v) : undefined;
  } catch {
    u = undefined;
  }
  if (!u || (u.protocol !== 'https:' && u.protocol !== 'http:') || u.username !== '' || u.password !== '') {
    throw new ShomeiError('malformed', 'url must be an absolute http(s) URL of at most 2048 characters without credentials');
  }
  return v as string;
}

function checkSha256(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string' || !/^[0-9A-Fa-f]{64}$/.test(v)) throw new ShomeiError('malformed', 'sha256 must be 64 hexadecimal digits');
  return v.toLowerCase();
}

/** effectiveAt: now when left out; never in the past (what was in force at a past time must not change). */
function checkEffectiveAt(v: unknown, nowIso: string): string {
  if (v === undefined || v === null) return nowIso;
  const at = checkInstant(v, 'effectiveAt');
  if (at < nowIso) throw new ShomeiError('malformed', `effectiveAt must not lie in the past (now is ${nowIso})`);
  return at;
}

/** Publish a version; every active operator is notified in the same transaction. Duplicate (kind, version) → conflict. */
export async function publishPolicyDocument(d: RegistryDeps, input: PolicyDocumentInput, actor: Actor): Promise<PolicyDocumentView> {
  const nowIso = d.clock.now().toISOString();
  const row: PolicyDocumentRow = {
    id: `pd_${randomId(9)}`,
    kind: checkKind(input.kind),
    version: checkVersion(input.version),
    url: checkUrl(input.url),
    sha256: checkSha256(input.sha256),
    effective_at: checkEffectiveAt(input.effectiveAt, nowIso),
    published_at: nowIso,
    published_by: actorString(actor),
  };
  const duplicate = () => new ShomeiError('conflict', `${row.kind} version ${row.version} is already published`);
  try {
    await d.sa.transaction(async (tx) => {
      if (await tx.getPolicyDocument(row.kind, row.version)) throw duplicate();
      await tx.insertPolicyDocument(row);
      await tx.appendAudit({
        at: nowIso,
        actor: row.published_by,
        action: 'policy-document.published',
        objectType: 'policy-document',
        objectId: row.id,
        details: { kind: row.kind, version: row.version, url: row.url, sha256: row.sha256, effectiveAt: row.effective_at },
      });
      await recordNotification(tx, {
        kind: 'policy-document.published',
        operatorId: null,
        subjectType: 'policy-document',
        subjectId: row.id,
        payload: { kind: row.kind, version: row.version, url: row.url, effectiveAt: row.effective_at },
        atIso: nowIso,
      });
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw duplicate();
    throw e;
  }
  return views([row], nowIso)[0] as PolicyDocumentView;
}

/** Every published version (optionally of one kind), by kind and effective time. */
export async function listPolicyDocuments(d: RegistryDeps, q: { kind?: string | undefined } = {}): Promise<PolicyDocumentView[]> {
  const kind = q.kind === undefined ? undefined : checkKind(q.kind);
  const all = views(await d.sa.repos.listPolicyDocuments(), d.clock.now().toISOString());
  return kind === undefined ? all : all.filter((v) => v.kind === kind);
}

/** The documents in force now, and the versions announced to take effect later. */
export async function currentPolicyDocuments(d: RegistryDeps): Promise<CurrentPolicyDocuments> {
  const all = views(await d.sa.repos.listPolicyDocuments(), d.clock.now().toISOString());
  const cur = (k: PolicyDocumentKind) => all.find((v) => v.kind === k && v.state === 'current') ?? null;
  return {
    terms: cur('terms'),
    cps: cur('cps'),
    ctDisclosure: cur('ct-disclosure'),
    announced: all.filter((v) => v.state === 'announced').sort((a, b) => (a.effectiveAt < b.effectiveAt ? -1 : a.effectiveAt > b.effectiveAt ? 1 : 0)),
  };
}

type ConsentVersions = Pick<ConsentRecordRow, 'terms_version' | 'cps_version' | 'ct_disclosure_version' | 'agreed_at'>;

const CONSENT_FIELDS: [PolicyDocumentKind, keyof ConsentVersions, string][] = [
  ['terms', 'terms_version', 'consent.termsVersion'],
  ['cps', 'cps_version', 'consent.cpsVersion'],
  ['ct-disclosure', 'ct_disclosure_version', 'consent.ctDisclosureVersion'],
];

/**
 * AT 21 / AR 10: once a kind has published versions, a consent must name one
 * of them that was not already superseded at `agreedAt` (the version in force
 * then, or a later one announced in advance). A kind with no published
 * version accepts any version text (records made before versions were kept).
 */
export async function checkConsentVersions(tx: Repositories, c: ConsentVersions, nowIso: string): Promise<void> {
  for (const [kind, column, field] of CONSENT_FIELDS) {
    if ((await tx.countPolicyDocuments(kind)) === 0) continue;
    const version = c[column];
    const doc = await tx.getPolicyDocument(kind, version);
    const inForceThen = await tx.currentPolicyDocument(kind, c.agreed_at);
    if (doc && (!inForceThen || doc.effective_at >= inForceThen.effective_at)) continue;
    const current = (await tx.currentPolicyDocument(kind, nowIso))?.version;
    const why = doc ? `was superseded at agreedAt by ${inForceThen?.version ?? '?'}` : `is not a published ${kind} version`;
    throw new ShomeiError('malformed', `${field} "${version}" ${why}; the current ${kind} version is ${current === undefined ? 'not yet in force' : `"${current}"`}`);
  }
}

export interface ConsentView {
  id: string;
  operatorId: string;
  termsVersion: string;
  cpsVersion: string;
  ctDisclosureVersion: string;
  agreedAt: string;
  confirmationMethod: string;
  confirmationReference: string | null;
  recordedAt: string;
}

/** The per-subscriber record (AR 10, AT 21): which versions the subscriber agreed to, when and how, oldest first. */
export async function listSubscriberConsents(d: RegistryDeps, scope: string | undefined, subscriberId: string): Promise<{ items: ConsentView[] }> {
  await getSubscriber(d, scope, subscriberId);
  const rows = await d.sa.repos.listConsentRecordsOfSubscriber(subscriberId);
  return {
    items: rows.map((r) => ({
      id: r.id,
      operatorId: r.operator_id,
      termsVersion: r.terms_version,
      cpsVersion: r.cps_version,
      ctDisclosureVersion: r.ct_disclosure_version,
      agreedAt: r.agreed_at,
      confirmationMethod: r.confirmation_method,
      confirmationReference: r.confirmation_reference,
      recordedAt: r.recorded_at,
    })),
  };
}
