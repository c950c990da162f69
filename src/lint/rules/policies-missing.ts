import { OID, findExtension } from '../extension-values.js';
import type { LintRule } from '../types.js';

/** BR §7.1.2.7.6 / §7.1.2.7.9: certificatePolicies MUST be present. */
export const policiesMissing: LintRule = {
  id: 'e_policies_missing',
  severity: 'error',
  citation: 'BR 7.1.2.7.9',
  description: 'The certificatePolicies extension is present.',
  check: ({ cert }) => (findExtension(cert, OID.certificatePolicies) === undefined ? ['certificatePolicies is missing'] : []),
};
