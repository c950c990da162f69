import { OID, findExtension } from '../extension-values.js';
import type { LintRule } from '../types.js';

/** BR §7.1.2.11.4 (via §7.1.2.7.6): subjectKeyIdentifier is NOT RECOMMENDED in subscriber certificates. */
export const skiPresent: LintRule = {
  id: 'w_ski_present',
  severity: 'warning',
  citation: 'BR 7.1.2.7.6; BR 7.1.2.11.4',
  description: 'subjectKeyIdentifier is absent (NOT RECOMMENDED for subscriber certificates).',
  check: ({ cert }) => (findExtension(cert, OID.subjectKeyIdentifier) === undefined ? [] : ['subjectKeyIdentifier is present (NOT RECOMMENDED)']),
};
