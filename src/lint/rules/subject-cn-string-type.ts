import type { LintRule } from '../types.js';
import { commonNames } from '../views.js';

const UTF8_STRING = 0x0c;
const PRINTABLE_STRING = 0x13;
/** X.680 §41.4 PrintableString characters (no '*', so a wildcard CN must be a UTF8String). */
const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

function problem(tag: number, value: Uint8Array): string | null {
  if (tag === PRINTABLE_STRING) {
    return PRINTABLE.test(Buffer.from(value).toString('latin1')) ? null : 'has characters a PrintableString cannot hold';
  }
  if (tag === UTF8_STRING) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(value);
      return null;
    } catch {
      return 'is not valid UTF-8';
    }
  }
  return `is encoded with tag 0x${tag.toString(16)}, not UTF8String or PrintableString`;
}

/** BR §7.1.4.2 (attribute encodings): commonName is a UTF8String or a PrintableString (RFC 5280 §4.1.2.6). */
export const subjectCnStringType: LintRule = {
  id: 'e_subject_cn_string_type',
  severity: 'error',
  citation: 'BR 7.1.4.2; RFC 5280 4.1.2.6',
  description: 'commonName is a valid UTF8String or PrintableString.',
  check: ({ cert }) =>
    commonNames(cert)
      .map((cn) => problem(cn.valueTag, cn.value))
      .filter((p): p is string => p !== null)
      .map((p) => `commonName ${p}`),
};
