import { OID, findExtension } from '../extension-values.js';
import type { LintRule } from '../types.js';

/** BR §7.1.2.7.6 / §7.1.2.7.11, RFC 5280 §4.2.1.3: keyUsage is critical. */
export const keyUsageNotCritical: LintRule = {
  id: 'e_key_usage_not_critical',
  severity: 'error',
  citation: 'BR 7.1.2.7.11; RFC 5280 4.2.1.3',
  description: 'keyUsage is marked critical.',
  check: ({ cert }) => (findExtension(cert, OID.keyUsage)?.critical === false ? ['keyUsage is not critical'] : []),
};
