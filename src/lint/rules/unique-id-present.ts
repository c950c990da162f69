import type { LintRule } from '../types.js';

/** BR §7.1.2.7: issuerUniqueID and subjectUniqueID MUST NOT be present (RFC 5280 §4.1.2.8: CAs MUST NOT generate them). */
export const uniqueIdPresent: LintRule = {
  id: 'e_unique_id_present',
  severity: 'error',
  citation: 'BR 7.1.2.7; RFC 5280 4.1.2.8',
  description: 'Neither issuerUniqueID nor subjectUniqueID is present.',
  check: ({ cert }) => [
    ...(cert.issuerUniqueIdPresent ? ['issuerUniqueID is present'] : []),
    ...(cert.subjectUniqueIdPresent ? ['subjectUniqueID is present'] : []),
  ],
};
