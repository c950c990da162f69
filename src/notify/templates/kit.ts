import type { NoticeLocale } from '../../registry/contacts.js';
import type { RecipientRole } from '../recipients.js';

/**
 * What a notice template gets, and small formatters for payload fields.
 * Templates are plain functions: payload + context → subject and body lines.
 * Japanese notices use the polite form (です・ます); every time is shown in
 * the CA's time zone (`config.timeZone`).
 */

export interface TemplateContext {
  locale: NoticeLocale;
  role: RecipientRole;
  timeZone: string;
  /** Name of the operator the event is about (null for broadcasts). */
  operatorName: string | null;
  /** The subscriber the event is about, if any. */
  subscriber: { id: string; name: string } | null;
  /** What the event is about (serial, usage FQDN id, key id …). */
  subjectId: string;
  /** When the event happened (ISO 8601). */
  eventAt: string;
}

export type Payload = Record<string, unknown>;

export interface Draft {
  subject: string;
  lines: string[];
}

export type Template = (p: Payload, c: TemplateContext) => Draft;

export interface KindTemplate {
  ja: Template;
  en: Template;
}

const MISSING = '—';

/** A payload field as text ('—' when absent). */
export function text(p: Payload, k: string): string {
  const v = p[k];
  if (v === undefined || v === null || v === '') return MISSING;
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

export function count(p: Payload, k: string): number {
  const v = p[k];
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  return Array.isArray(v) ? v.length : 0;
}

export function list(p: Payload, k: string): string[] {
  const v = p[k];
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));
  return v === undefined || v === null || v === '' ? [] : [typeof v === 'string' ? v : JSON.stringify(v)];
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A date or instant from the payload in the CA time zone: a calendar date
 * (YYYY-MM-DD) as a date, an instant as date and time with the zone.
 */
export function when(p: Payload, k: string, c: TemplateContext): string {
  const v = p[k];
  if (typeof v !== 'string' || v === '') return MISSING;
  return formatWhen(v, c);
}

export function formatWhen(v: string, c: Pick<TemplateContext, 'locale' | 'timeZone'>): string {
  const tag = c.locale === 'ja' ? 'ja-JP' : 'en-GB';
  if (DATE_ONLY.test(v)) {
    const d = new Date(`${v}T00:00:00Z`);
    if (Number.isNaN(d.getTime())) return v;
    return new Intl.DateTimeFormat(tag, { timeZone: 'UTC', year: 'numeric', month: 'long', day: 'numeric' }).format(d);
  }
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) return v;
  return new Intl.DateTimeFormat(tag, { timeZone: c.timeZone, year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' }).format(d);
}

/** Usage periods ('1m', '1y'). */
export function period(p: Payload, k: string, locale: NoticeLocale): string {
  const v = p[k];
  if (v === '1m') return locale === 'ja' ? '1か月' : '1 month';
  if (v === '1y') return locale === 'ja' ? '1年' : '1 year';
  return text(p, k);
}

/** RFC 5280 §5.3.1 CRLReason names. */
export const REVOCATION_REASON_NAMES: Readonly<Record<number, string>> = {
  0: 'unspecified',
  1: 'keyCompromise',
  2: 'cACompromise',
  3: 'affiliationChanged',
  4: 'superseded',
  5: 'cessationOfOperation',
  6: 'certificateHold',
  8: 'removeFromCRL',
  9: 'privilegeWithdrawn',
  10: 'aACompromise',
};

/** `keyCompromise (1)`. */
export function reasonName(v: unknown): string {
  if (typeof v !== 'number') return MISSING;
  return `${REVOCATION_REASON_NAMES[v] ?? 'unknown'} (${v})`;
}

/** The subscriber the event is about, as a line of the body (empty when none). */
export function subscriberLine(c: TemplateContext): string[] {
  if (c.subscriber === null) return [];
  return [c.locale === 'ja' ? `本サービス利用者: ${c.subscriber.name}（${c.subscriber.id}）` : `Subscriber: ${c.subscriber.name} (${c.subscriber.id})`];
}

/** The operator named in the payload, else the one the event is about. */
export function operatorOf(p: Payload, c: TemplateContext): string {
  const v = p['operatorName'];
  return typeof v === 'string' && v !== '' ? v : (c.operatorName ?? MISSING);
}
