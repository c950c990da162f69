import { OID, decodeCertificatePolicies, extensionValue } from '../extension-values.js';
import { ANY_POLICY, isReservedPolicy } from '../policy-oids.js';
import type { LintRule } from '../types.js';

/**
 * BR §7.1.2.7.9: policies besides the reserved one MAY appear only when the
 * CA documents them in its CP/CPS; Shomei's CPS documents none, so any other
 * policy identifier is an error.
 */
export const policiesUndocumentedOid: LintRule = {
  id: 'e_policies_undocumented_oid',
  severity: 'error',
  citation: 'BR 7.1.2.7.9',
  description: 'certificatePolicies asserts no policy other than CA/B Forum reserved ones (Shomei documents no own policy OIDs).',
  check: ({ cert }) =>
    (extensionValue(cert, OID.certificatePolicies, decodeCertificatePolicies)?.value ?? [])
      .filter((p) => !isReservedPolicy(p.oid) && p.oid !== ANY_POLICY)
      .map((p) => `certificatePolicies asserts ${p.oid}, which Shomei's CPS does not document`),
};
