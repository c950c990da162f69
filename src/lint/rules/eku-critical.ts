import { OID, findExtension } from '../extension-values.js';
import type { LintRule } from '../types.js';

/** BR §7.1.2.7.6: extKeyUsage is not critical. */
export const ekuCritical: LintRule = {
  id: 'e_eku_critical',
  severity: 'error',
  citation: 'BR 7.1.2.7.6',
  description: 'extKeyUsage is not marked critical.',
  check: ({ cert }) => (findExtension(cert, OID.extKeyUsage)?.critical === true ? ['extKeyUsage is critical'] : []),
};
