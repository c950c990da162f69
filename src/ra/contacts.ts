import { ShomeiError } from '../core/errors.js';

export const MAX_CONTACTS = 10;

// A pragmatic RFC 5321 addr-spec: dot-atom local part and an LDH domain with a dot.
const EMAIL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

/**
 * RFC 8555 §7.3: contact URLs. Shomei supports `mailto:` only (anything else
 * is `unsupportedContact`); each must hold exactly one valid address with no
 * header fields (`invalidContact`), as Boulder does.
 */
export function checkContacts(contact: unknown): string[] {
  if (contact === undefined || contact === null) return [];
  if (!Array.isArray(contact)) throw new ShomeiError('malformed', 'contact must be an array of URLs');
  if (contact.length > MAX_CONTACTS) throw new ShomeiError('invalidContact', `at most ${MAX_CONTACTS} contacts`);
  const out: string[] = [];
  for (const c of contact) {
    if (typeof c !== 'string') throw new ShomeiError('malformed', 'each contact must be a string');
    if (!c.toLowerCase().startsWith('mailto:')) {
      throw new ShomeiError('unsupportedContact', `contact "${c.slice(0, 100)}": only mailto: URLs are supported`);
    }
    const addr = c.slice('mailto:'.length);
    if (addr.includes('?')) throw new ShomeiError('invalidContact', `contact "${c.slice(0, 100)}": header fields are not allowed`);
    if (addr.includes(',')) throw new ShomeiError('invalidContact', `contact "${c.slice(0, 100)}": one address per mailto: URL`);
    let decoded: string;
    try {
      decoded = decodeURIComponent(addr);
    } catch {
      throw new ShomeiError('invalidContact', `contact "${c.slice(0, 100)}": bad percent-encoding`);
    }
    if (decoded.length > 254 || !EMAIL.test(decoded)) {
      throw new ShomeiError('invalidContact', `contact "${c.slice(0, 100)}": not a valid e-mail address`);
    }
    out.push(`mailto:${decoded}`);
  }
  return out;
}
