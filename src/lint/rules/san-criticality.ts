import { OID, findExtension } from '../extension-values.js';
import type { LintRule } from '../types.js';
import { subjectIsEmpty } from '../views.js';

/** BR §7.1.2.7.12, RFC 5280 §4.2.1.6: subjectAltName is critical exactly when the subject is empty. */
export const sanCriticality: LintRule = {
  id: 'e_san_criticality',
  severity: 'error',
  citation: 'BR 7.1.2.7.12; RFC 5280 4.2.1.6',
  description: 'subjectAltName is critical if and only if the subject is empty.',
  check: ({ cert }) => {
    const san = findExtension(cert, OID.subjectAltName);
    if (san === undefined) return [];
    const empty = subjectIsEmpty(cert);
    if (empty && !san.critical) return ['subjectAltName must be critical when the subject is empty'];
    if (!empty && san.critical) return ['subjectAltName must not be critical when the subject is not empty'];
    return [];
  },
};
