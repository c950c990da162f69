import { OID, decodeBasicConstraints, extensionValue } from '../extension-values.js';
import type { LintRule } from '../types.js';

/** BR §7.1.2.7.8, RFC 5280 §4.2.1.9: a subscriber certificate has cA FALSE. */
export const basicConstraintsCa: LintRule = {
  id: 'e_basic_constraints_ca',
  severity: 'error',
  citation: 'BR 7.1.2.7.8; RFC 5280 4.2.1.9',
  description: 'basicConstraints, when present, has cA FALSE.',
  check: ({ cert }) => (extensionValue(cert, OID.basicConstraints, decodeBasicConstraints)?.value.cA === true ? ['basicConstraints has cA TRUE'] : []),
};
