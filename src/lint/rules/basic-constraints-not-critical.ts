import { OID, findExtension } from '../extension-values.js';
import type { LintRule } from '../types.js';

/** BR §7.1.2.7.8 (basicConstraints MAY be present): when present it is critical. */
export const basicConstraintsNotCritical: LintRule = {
  id: 'e_basic_constraints_not_critical',
  severity: 'error',
  citation: 'BR 7.1.2.7.8',
  description: 'basicConstraints, when present, is critical.',
  check: ({ cert }) => (findExtension(cert, OID.basicConstraints)?.critical === false ? ['basicConstraints is not critical'] : []),
};
