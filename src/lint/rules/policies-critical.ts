import { OID, findExtension } from '../extension-values.js';
import type { LintRule } from '../types.js';

/** BR §7.1.2.7.6: certificatePolicies is not critical. */
export const policiesCritical: LintRule = {
  id: 'e_policies_critical',
  severity: 'error',
  citation: 'BR 7.1.2.7.6',
  description: 'certificatePolicies is not marked critical.',
  check: ({ cert }) => (findExtension(cert, OID.certificatePolicies)?.critical === true ? ['certificatePolicies is critical'] : []),
};
