import { OID, findExtension } from '../extension-values.js';
import type { LintRule } from '../types.js';

/** BR §7.1.2.7.6 / §7.1.2.7.7: authorityInformationAccess MUST be present. */
export const aiaMissing: LintRule = {
  id: 'e_aia_missing',
  severity: 'error',
  citation: 'BR 7.1.2.7.7',
  description: 'The authorityInformationAccess extension is present.',
  check: ({ cert }) => (findExtension(cert, OID.authorityInfoAccess) === undefined ? ['authorityInformationAccess is missing'] : []),
};
