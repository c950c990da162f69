import { OID, findExtension } from '../extension-values.js';
import type { LintRule } from '../types.js';

/** BR §7.1.2.7.10, MRSP §5.2: extKeyUsage MUST be present in a subscriber certificate. */
export const ekuMissing: LintRule = {
  id: 'e_eku_missing',
  severity: 'error',
  citation: 'BR 7.1.2.7.10; MRSP 5.2',
  description: 'The extKeyUsage extension is present.',
  check: ({ cert }) => (findExtension(cert, OID.extKeyUsage) === undefined ? ['extKeyUsage is missing'] : []),
};
