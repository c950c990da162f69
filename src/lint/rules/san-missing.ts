import { OID, findExtension } from '../extension-values.js';
import type { LintRule } from '../types.js';

/** BR §7.1.2.7.6 / §7.1.2.7.12: subjectAltName MUST be present. */
export const sanMissing: LintRule = {
  id: 'e_san_missing',
  severity: 'error',
  citation: 'BR 7.1.2.7.12',
  description: 'The subjectAltName extension is present.',
  check: ({ cert }) => (findExtension(cert, OID.subjectAltName) === undefined ? ['subjectAltName is missing'] : []),
};
