import { ShomeiError } from '../core/errors.js';

/** A deliberately plain e-mail check (RFC 5321 sizes, one @, a dotted domain, no spaces or control characters). */
const EMAIL = /^[^\s@<>()[\]\\,;:"]{1,64}@[a-z0-9-]+(\.[a-z0-9-]+)+$/i;

export function checkEmail(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length > 254 || !EMAIL.test(value)) {
    throw new ShomeiError('malformed', `${field} must be an e-mail address`);
  }
  return value;
}

export function checkEmails(value: unknown, field: string, { min = 1, max = 10 } = {}): string[] {
  if (!Array.isArray(value) || value.length < min || value.length > max) {
    throw new ShomeiError('malformed', `${field} must be a list of ${min}–${max} e-mail addresses`);
  }
  return [...new Set(value.map((v, i) => checkEmail(v, `${field}[${i}]`).toLowerCase()))];
}

export interface OperatorContact {
  name?: string | undefined;
  email: string;
  phone?: string | undefined;
  role?: string | undefined;
  /** Language of the notices this contact receives; absent = `notifications.defaultLocale`. */
  locale?: NoticeLocale | undefined;
}

export const NOTICE_LOCALES = ['ja', 'en'] as const;
export type NoticeLocale = (typeof NOTICE_LOCALES)[number];

/** Operator contacts: 1–10 entries, each with an e-mail; every one receives the CA's notices (AR 11, docs/notifications.md). */
export function checkOperatorContacts(value: unknown): OperatorContact[] {
  if (!Array.isArray(value) || value.length < 1 || value.length > 10) {
    throw new ShomeiError('malformed', 'contacts must be a list of 1–10 contacts, each with an email');
  }
  return value.map((c: unknown, i) => {
    if (c === null || typeof c !== 'object' || Array.isArray(c)) throw new ShomeiError('malformed', `contacts[${i}] must be an object`);
    const o = c as Record<string, unknown>;
    const out: OperatorContact = { email: checkEmail(o['email'], `contacts[${i}].email`).toLowerCase() };
    for (const k of ['name', 'phone', 'role'] as const) {
      const v = o[k];
      if (v === undefined) continue;
      if (typeof v !== 'string' || v.length > 200) throw new ShomeiError('malformed', `contacts[${i}].${k} must be a string of at most 200 characters`);
      out[k] = v;
    }
    const locale = o['locale'];
    if (locale !== undefined) {
      if (!NOTICE_LOCALES.includes(locale as NoticeLocale)) throw new ShomeiError('malformed', `contacts[${i}].locale must be one of ${NOTICE_LOCALES.join(', ')}`);
      out.locale = locale as NoticeLocale;
    }
    return out;
  });
}

export function checkText(value: unknown, field: string, { max = 200, optional = false } = {}): string | null {
  if (value === undefined || value === null) {
    if (optional) return null;
    throw new ShomeiError('malformed', `${field} is required`);
  }
  if (typeof value !== 'string' || value.trim() === '' || value.length > max) {
    throw new ShomeiError('malformed', `${field} must be a non-empty string of at most ${max} characters`);
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value) || /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(value)) {
    throw new ShomeiError('malformed', `${field} must not contain control characters or broken Unicode`);
  }
  return value.trim();
}
