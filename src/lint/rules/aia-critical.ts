import { OID, findExtension } from '../extension-values.js';
import type { LintRule } from '../types.js';

/** BR §7.1.2.7.6, RFC 5280 §4.2.2.1: authorityInformationAccess is not critical. */
export const aiaCritical: LintRule = {
  id: 'e_aia_critical',
  severity: 'error',
  citation: 'BR 7.1.2.7.6; RFC 5280 4.2.2.1',
  description: 'authorityInformationAccess is not marked critical.',
  check: ({ cert }) => (findExtension(cert, OID.authorityInfoAccess)?.critical === true ? ['authorityInformationAccess is critical'] : []),
};
