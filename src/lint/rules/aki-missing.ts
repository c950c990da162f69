import { OID, findExtension } from '../extension-values.js';
import type { LintRule } from '../types.js';

/** BR §7.1.2.7.6, RFC 5280 §4.2.1.1: authorityKeyIdentifier MUST be present. */
export const akiMissing: LintRule = {
  id: 'e_aki_missing',
  severity: 'error',
  citation: 'BR 7.1.2.11.1; RFC 5280 4.2.1.1',
  description: 'The authorityKeyIdentifier extension is present.',
  check: ({ cert }) => (findExtension(cert, OID.authorityKeyIdentifier) === undefined ? ['authorityKeyIdentifier is missing'] : []),
};
