import { OID, findExtension } from '../extension-values.js';
import type { LintRule } from '../types.js';

/** BR §7.1.2.11.1, RFC 5280 §4.2.1.1: authorityKeyIdentifier is not critical. */
export const akiCritical: LintRule = {
  id: 'e_aki_critical',
  severity: 'error',
  citation: 'BR 7.1.2.11.1; RFC 5280 4.2.1.1',
  description: 'authorityKeyIdentifier is not marked critical.',
  check: ({ cert }) => (findExtension(cert, OID.authorityKeyIdentifier)?.critical === true ? ['authorityKeyIdentifier is critical'] : []),
};
