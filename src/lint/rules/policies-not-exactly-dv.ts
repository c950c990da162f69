import { OID, decodeCertificatePolicies, extensionValue } from '../extension-values.js';
import { POLICY_DV, isReservedPolicy } from '../policy-oids.js';
import type { LintRule } from '../types.js';

/** BR §7.1.2.7.9, §7.1.6.1: exactly one CA/B Forum reserved policy, and for a DV certificate it is 2.23.140.1.2.1. */
export const policiesNotExactlyDv: LintRule = {
  id: 'e_policies_not_exactly_dv',
  severity: 'error',
  citation: 'BR 7.1.2.7.9; BR 7.1.6.1',
  description: 'The only CA/B Forum reserved policy asserted is the DV identifier 2.23.140.1.2.1.',
  check: ({ cert }) => {
    const policies = extensionValue(cert, OID.certificatePolicies, decodeCertificatePolicies)?.value;
    if (policies === undefined) return [];
    const reserved = [...new Set(policies.map((p) => p.oid).filter(isReservedPolicy))];
    if (reserved.length === 1 && reserved[0] === POLICY_DV) return [];
    return [`reserved policies asserted are [${reserved.join(', ')}]; exactly [${POLICY_DV}] is required`];
  },
};
