import { OID, decodeCertificatePolicies, extensionValue } from '../extension-values.js';
import type { LintRule } from '../types.js';

/** RFC 5280 §4.2.1.4: a policy OID MUST NOT appear more than once in the extension. */
export const policiesDuplicateOid: LintRule = {
  id: 'e_policies_duplicate_oid',
  severity: 'error',
  citation: 'RFC 5280 4.2.1.4',
  description: 'No policy identifier appears twice in certificatePolicies.',
  check: ({ cert }) => {
    const seen = new Set<string>();
    const problems: string[] = [];
    for (const p of extensionValue(cert, OID.certificatePolicies, decodeCertificatePolicies)?.value ?? []) {
      if (seen.has(p.oid)) problems.push(`policy ${p.oid} appears more than once`);
      seen.add(p.oid);
    }
    return problems;
  },
};
