/**
 * ACME Renewal Information (RFC 9773 §4): when a certificate's subscriber
 * should renew it. Normally the middle third of its validity (as Let's
 * Encrypt); a window already in the past — renew now — when the certificate
 * is revoked, or when a name on it loses its usage FQDN soon (SPEC §5.4: the
 * certificate is then revoked).
 */
import { addLocalDays, localDateOf, startOfLocalDay } from '../core/calendar.js';
import { ShomeiError } from '../core/errors.js';
import { authorityKeyIdentifierOf, certIdSerialHex, parseCertId, type CertId } from '../ca/cert-id.js';
import { namesAllowedBy } from '../registry/issuance-policy.js';
import { continuationInstant, suspendedExpiry } from '../registry/suspension-effects.js';
import { effectiveExpiry } from '../registry/usage-fqdns.js';
import type { CertificateRow, OperatorSuspensionRow, Repositories, UsageFqdnRow } from '../sa/index.js';
import type { RaDeps } from './types.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** RFC 9773 §4.2 suggestedWindow; `end` is always after `start`. */
export interface SuggestedWindow {
  start: Date;
  end: Date;
}

/** Why the window is where it is (for logs and tests; not sent to clients). */
export type RenewalReason = 'schedule' | 'revoked' | 'usage-ending';

export interface RenewalInfo {
  certificate: CertificateRow;
  suggestedWindow: SuggestedWindow;
  reason: RenewalReason;
}

const wholeSecond = (ms: number): Date => new Date(Math.floor(ms / SECOND) * SECOND);

/**
 * The renewal window of a certificate in good standing: the middle third of
 * its validity period (start = notBefore + ⅓ lifetime, end = notBefore + ⅔
 * lifetime, lifetime = notAfter − notBefore), in whole seconds. RFC 9773 §4.2:
 * a window whose end is not after its start must never be served.
 */
export function middleThirdWindow(notBefore: Date, notAfter: Date): SuggestedWindow {
  const from = notBefore.getTime();
  const lifetime = notAfter.getTime() - from;
  const start = wholeSecond(from + lifetime / 3);
  const end = wholeSecond(from + (2 * lifetime) / 3);
  return { start, end: end > start ? end : new Date(start.getTime() + SECOND) };
}

/**
 * A window entirely in the past (now − 1 h … now − 1 min): RFC 9773 §4.2 lets
 * the server ask for renewal at once, and a client whose chosen time is in
 * the past renews immediately.
 */
export function pastWindow(now: Date): SuggestedWindow {
  const t = wholeSecond(now.getTime()).getTime();
  return { start: new Date(t - HOUR), end: new Date(t - MINUTE) };
}

/** Lower-case hex without separators. */
const hexOf = (s: string): string => s.toLowerCase().replace(/[^0-9a-f]/g, '');

/**
 * RFC 9773 §4.1: a CertID names a certificate by its issuer's key identifier
 * and its serial. The stored issuer key id is used when set; older rows
 * (issuer_key_id null) are checked against the AKI in the certificate itself.
 */
export function issuedUnderKey(cert: CertificateRow, keyIdentifier: Uint8Array): boolean {
  const want = Buffer.from(keyIdentifier).toString('hex');
  if (cert.issuer_key_id !== null) return hexOf(cert.issuer_key_id) === want;
  const aki = authorityKeyIdentifierOf(Buffer.from(cert.der, 'base64'));
  return aki !== undefined && Buffer.from(aki).toString('hex') === want;
}

/** The certificate of this CA a CertID names, or undefined (unknown serial, or another issuer's key identifier). */
export async function findCertificateByCertId(repos: Repositories, id: CertId): Promise<CertificateRow | undefined> {
  const cert = await repos.getCertificate(certIdSerialHex(id));
  return cert !== undefined && issuedUnderKey(cert, id.keyIdentifier) ? cert : undefined;
}

/** The suspensions of each managing operator (SPEC §8), by operator id. */
export type SuspensionsByOperator = ReadonlyMap<string, readonly OperatorSuspensionRow[]>;

/**
 * When a usage FQDN stops allowing its names and since when that is known,
 * or null while it continues. SPEC §5.3: a termination notice ends the usage
 * at the expiry date it was filed before (a late notice, at the next one).
 * SPEC §8 (AR 16): so does an expiry date at whose continuation instant its
 * operator is suspended ("until corrected", or ending later) — treated like a
 * notice filed when the suspension was recorded. The day-boundary job ends it
 * — and revokes (SPEC §5.4) — when the following day begins in the CA's time zone.
 */
export function usageEnd(u: UsageFqdnRow, timeZone: string, suspensions: readonly OperatorSuspensionRow[] = []): { endsAt: Date; knownSince: string } | null {
  if (u.status !== 'active') return null;
  let best: { endsAt: Date; knownSince: string } | null = null;
  if (u.termination_notice_at !== null) {
    const lastDay = effectiveExpiry(u, localDateOf(new Date(u.termination_notice_at), timeZone));
    if (lastDay !== null) best = { endsAt: startOfLocalDay(addLocalDays(lastDay, 1), timeZone), knownSince: u.termination_notice_at };
  }
  const bySuspension = suspendedExpiry(u, suspensions, timeZone);
  if (bySuspension !== null) {
    const endsAt = continuationInstant(bySuspension.expiryDate, timeZone);
    if (best === null || endsAt < best.endsAt) best = { endsAt, knownSince: bySuspension.suspension.created_at };
  }
  return best;
}

/** When a usage FQDN stops allowing its names, or null while it continues (see `usageEnd`). */
export function usageEndsAt(u: UsageFqdnRow, timeZone: string, suspensions: readonly OperatorSuspensionRow[] = []): Date | null {
  return usageEnd(u, timeZone, suspensions)?.endsAt ?? null;
}

/** When a name stops being allowed, and since when that has been known (the last notice filed). */
export interface NameCoverageEnd {
  endsAt: Date;
  /** ISO time of the latest termination notice involved; null when no live usage FQDN allows the name at all. */
  knownSince: string | null;
}

/**
 * When `name` stops being allowed by every live usage FQDN of the subscriber
 * that allows it (SPEC §5.4: a certificate is revoked when a name on it is
 * left without one), or null when one of them continues. A name none allows
 * has already lost its coverage.
 */
export function nameCoverageEnds(name: string, live: readonly UsageFqdnRow[], timeZone: string, suspensions: SuspensionsByOperator = new Map()): NameCoverageEnd | null {
  const allowing = live.filter((u) => namesAllowedBy(u.fqdn).includes(name));
  if (allowing.length === 0) return { endsAt: new Date(0), knownSince: null };
  let endsAt = 0;
  let knownSince = '';
  for (const u of allowing) {
    const end = usageEnd(u, timeZone, suspensions.get(u.operator_id) ?? []);
    if (end === null) return null;
    endsAt = Math.max(endsAt, end.endsAt.getTime());
    if (end.knownSince > knownSince) knownSince = end.knownSince;
  }
  return { endsAt: new Date(endsAt), knownSince };
}

/**
 * True when a name of the certificate loses its usage FQDN within
 * `usageEndingDays` days of `now` or before the certificate's notAfter — so
 * it will be revoked (SPEC §5.4) — and the certificate was issued before that
 * was announced. A certificate issued after the termination notice is a
 * renewal that already knew: moving its window too would make a client renew
 * again at every check until the end of usage.
 */
export function usageEndsBeforeRenewal(
  cert: Pick<CertificateRow, 'names' | 'not_after' | 'issued_at'>,
  live: readonly UsageFqdnRow[],
  now: Date,
  o: { usageEndingDays: number; timeZone: string; suspensions?: SuspensionsByOperator },
): boolean {
  const horizon = Math.max(now.getTime() + o.usageEndingDays * DAY, new Date(cert.not_after).getTime());
  for (const name of JSON.parse(cert.names) as string[]) {
    const end = nameCoverageEnds(name, live, o.timeZone, o.suspensions);
    if (end === null || end.endsAt.getTime() > horizon) continue;
    if (end.knownSince === null || cert.issued_at < end.knownSince) return true;
  }
  return false;
}

/** Whether the subscriber's usage FQDNs end before the certificate would be renewed (subscriber certificates only). */
async function usageEnding(d: RaDeps, cert: CertificateRow, now: Date): Promise<boolean> {
  if (cert.subscriber_id === null) return false;
  const live = await d.sa.repos.listLiveUsageFqdnsOfSubscriber(cert.subscriber_id);
  const suspensions = new Map<string, OperatorSuspensionRow[]>();
  for (const opId of new Set(live.map((u) => u.operator_id))) suspensions.set(opId, await d.sa.repos.listOperatorSuspensions(opId));
  return usageEndsBeforeRenewal(cert, live, now, { usageEndingDays: d.config.ari.usageEndingDays, timeZone: d.config.timeZone, suspensions });
}

/**
 * RFC 9773 §4.2: the renewal information of the certificate a CertID names.
 * Throws `malformed` for an unparseable CertID and `notFound` for a
 * certificate this CA did not issue.
 */
export async function getRenewalInfo(d: RaDeps, certIdText: string): Promise<RenewalInfo> {
  const id = parseCertId(certIdText);
  const cert = await findCertificateByCertId(d.sa.repos, id);
  if (cert === undefined) throw new ShomeiError('notFound', 'This CA issued no certificate with this CertID');
  const now = d.clock.now();
  if (cert.revoked_at !== null) return { certificate: cert, suggestedWindow: pastWindow(now), reason: 'revoked' };
  if (await usageEnding(d, cert, now)) return { certificate: cert, suggestedWindow: pastWindow(now), reason: 'usage-ending' };
  return { certificate: cert, suggestedWindow: middleThirdWindow(new Date(cert.not_before), new Date(cert.not_after)), reason: 'schedule' };
}
