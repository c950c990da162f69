import { OID, findExtension } from '../extension-values.js';
import type { LintRule } from '../types.js';

/** RFC 5280 §4.2.1.2, BR §7.1.2.11.4: subjectKeyIdentifier, when present, is not critical. */
export const skiCritical: LintRule = {
  id: 'e_ski_critical',
  severity: 'error',
  citation: 'RFC 5280 4.2.1.2; BR 7.1.2.11.4',
  description: 'subjectKeyIdentifier, when present, is not critical.',
  check: ({ cert }) => (findExtension(cert, OID.subjectKeyIdentifier)?.critical === true ? ['subjectKeyIdentifier is critical'] : []),
};
