import { OID, findExtension } from '../extension-values.js';
import type { LintRule } from '../types.js';

/** RFC 6962 §3.1, BR §7.1.2.9.3: the poison extension is critical. */
export const ctPoisonNotCritical: LintRule = {
  id: 'e_ct_poison_not_critical',
  severity: 'error',
  citation: 'RFC 6962 3.1; BR 7.1.2.9.3',
  description: "The precertificate's poison extension is critical.",
  check: ({ cert, ctx }) =>
    ctx.kind === 'precertificate' && findExtension(cert, OID.ctPoison)?.critical === false ? ['CT poison extension is not critical'] : [],
};
