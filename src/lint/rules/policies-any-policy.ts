import { OID, decodeCertificatePolicies, extensionValue } from '../extension-values.js';
import { ANY_POLICY } from '../policy-oids.js';
import type { LintRule } from '../types.js';

/** BR §7.1.2.7.9: anyPolicy (2.5.29.32.0) MUST NOT be asserted in a subscriber certificate. */
export const policiesAnyPolicy: LintRule = {
  id: 'e_policies_any_policy',
  severity: 'error',
  citation: 'BR 7.1.2.7.9',
  description: 'certificatePolicies does not assert anyPolicy.',
  check: ({ cert }) =>
    extensionValue(cert, OID.certificatePolicies, decodeCertificatePolicies)?.value.some((p) => p.oid === ANY_POLICY) === true
      ? ['certificatePolicies asserts anyPolicy']
      : [],
};
