import { OID, findExtension } from '../extension-values.js';
import type { LintRule } from '../types.js';

/** BR §7.1.2.7.11 (keyUsage SHOULD be present): Shomei's DV profile always includes it. */
export const keyUsageMissing: LintRule = {
  id: 'e_key_usage_missing',
  severity: 'error',
  citation: 'BR 7.1.2.7.11',
  description: 'The keyUsage extension is present (Shomei profile; BR SHOULD).',
  check: ({ cert }) => (findExtension(cert, OID.keyUsage) === undefined ? ['keyUsage is missing'] : []),
};
