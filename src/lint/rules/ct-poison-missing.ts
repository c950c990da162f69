import { OID, findExtension } from '../extension-values.js';
import type { LintRule } from '../types.js';

/** RFC 6962 §3.1, BR §7.1.2.9: a precertificate carries the poison extension. */
export const ctPoisonMissing: LintRule = {
  id: 'e_ct_poison_missing',
  severity: 'error',
  citation: 'RFC 6962 3.1; BR 7.1.2.9',
  description: 'A precertificate carries the CT poison extension (1.3.6.1.4.1.11129.2.4.3).',
  check: ({ cert, ctx }) =>
    ctx.kind === 'precertificate' && findExtension(cert, OID.ctPoison) === undefined ? ['precertificate has no CT poison extension'] : [],
};
