import { OID, decodeBasicConstraints, extensionValue } from '../extension-values.js';
import type { LintRule } from '../types.js';

/** BR §7.1.2.7.8: pathLenConstraint is not present in a subscriber certificate. */
export const basicConstraintsPathLen: LintRule = {
  id: 'e_basic_constraints_path_len',
  severity: 'error',
  citation: 'BR 7.1.2.7.8; RFC 5280 4.2.1.9',
  description: 'basicConstraints, when present, has no pathLenConstraint.',
  check: ({ cert }) =>
    extensionValue(cert, OID.basicConstraints, decodeBasicConstraints)?.value.pathLenPresent === true
      ? ['basicConstraints has a pathLenConstraint']
      : [],
};
