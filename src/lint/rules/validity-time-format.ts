import type { LintTime } from '../certificate.js';
import type { LintRule } from '../types.js';

function problem(name: string, t: LintTime): string[] {
  if (t.date !== undefined) return [];
  const form = t.tag === 0x17 ? 'YYMMDDHHMMSSZ' : 'YYYYMMDDHHMMSSZ';
  return [`${name} "${t.text}" is not a valid ${t.tag === 0x17 ? 'UTCTime' : 'GeneralizedTime'} of the form ${form}`];
}

/** RFC 5280 §4.1.2.5.1/§4.1.2.5.2: times are Zulu, include seconds, have no fractional seconds, and exist. */
export const validityTimeFormat: LintRule = {
  id: 'e_validity_time_format',
  severity: 'error',
  citation: 'RFC 5280 4.1.2.5.1; RFC 5280 4.1.2.5.2',
  description: 'notBefore and notAfter are YYMMDDHHMMSSZ (UTCTime) or YYYYMMDDHHMMSSZ (GeneralizedTime) and name a real instant.',
  check: ({ cert }) => [...problem('notBefore', cert.notBefore), ...problem('notAfter', cert.notAfter)],
};
