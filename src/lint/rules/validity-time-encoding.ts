import type { LintTime } from '../certificate.js';
import type { LintRule } from '../types.js';

function problem(name: string, t: LintTime): string[] {
  if (t.date === undefined) return []; // e_validity_time_format
  const year = t.date.getUTCFullYear();
  const utc = year >= 1950 && year <= 2049;
  if (utc && t.tag !== 0x17) return [`${name} in ${year} must be a UTCTime`];
  if (!utc && t.tag !== 0x18) return [`${name} in ${year} must be a GeneralizedTime`];
  return [];
}

/** RFC 5280 §4.1.2.5: dates through 2049 as UTCTime, dates in 2050 or later as GeneralizedTime. */
export const validityTimeEncoding: LintRule = {
  id: 'e_validity_time_encoding',
  severity: 'error',
  citation: 'RFC 5280 4.1.2.5',
  description: 'Validity dates through 2049 are UTCTime and dates from 2050 on are GeneralizedTime.',
  check: ({ cert }) => [...problem('notBefore', cert.notBefore), ...problem('notAfter', cert.notAfter)],
};
