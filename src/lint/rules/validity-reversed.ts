import type { LintRule } from '../types.js';

/** RFC 5280 §4.1.2.5: the period runs from notBefore to notAfter, so notBefore ≤ notAfter. */
export const validityReversed: LintRule = {
  id: 'e_validity_reversed',
  severity: 'error',
  citation: 'RFC 5280 4.1.2.5',
  description: 'notBefore is not later than notAfter.',
  check: ({ cert }) => {
    const nb = cert.notBefore.date;
    const na = cert.notAfter.date;
    return nb !== undefined && na !== undefined && nb > na ? [`notBefore ${cert.notBefore.text} is after notAfter ${cert.notAfter.text}`] : [];
  },
};
