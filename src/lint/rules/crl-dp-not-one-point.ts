import { OID, decodeCrlDistributionPoints, extensionValue } from '../extension-values.js';
import type { LintRule } from '../types.js';

/** BR §7.1.2.11.2: one DistributionPoint (more is NOT RECOMMENDED; Shomei's CRL shards give each certificate exactly one). */
export const crlDpNotOnePoint: LintRule = {
  id: 'e_crl_dp_not_one_point',
  severity: 'error',
  citation: 'BR 7.1.2.11.2',
  description: 'cRLDistributionPoints holds exactly one DistributionPoint.',
  check: ({ cert }) => {
    const dps = extensionValue(cert, OID.crlDistributionPoints, decodeCrlDistributionPoints)?.value;
    return dps === undefined || dps.length === 1 ? [] : [`cRLDistributionPoints holds ${dps.length} DistributionPoints`];
  },
};
