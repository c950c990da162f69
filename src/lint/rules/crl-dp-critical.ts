import { OID, findExtension } from '../extension-values.js';
import type { LintRule } from '../types.js';

/** BR §7.1.2.11.2, RFC 5280 §4.2.1.13 (SHOULD be non-critical): cRLDistributionPoints is not critical. */
export const crlDpCritical: LintRule = {
  id: 'e_crl_dp_critical',
  severity: 'error',
  citation: 'BR 7.1.2.11.2; RFC 5280 4.2.1.13',
  description: 'cRLDistributionPoints is not marked critical.',
  check: ({ cert }) => (findExtension(cert, OID.crlDistributionPoints)?.critical === true ? ['cRLDistributionPoints is critical'] : []),
};
