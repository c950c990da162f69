import { OID, findExtension } from '../extension-values.js';
import type { LintRule } from '../types.js';

/** RFC 6962 §3.1: a final certificate never carries the poison (browsers would reject it). */
export const ctPoisonInCertificate: LintRule = {
  id: 'e_ct_poison_in_certificate',
  severity: 'error',
  citation: 'RFC 6962 3.1; BR 7.1.2.9',
  description: 'A final certificate carries no CT poison extension.',
  check: ({ cert, ctx }) =>
    ctx.kind === 'certificate' && findExtension(cert, OID.ctPoison) !== undefined ? ['certificate carries the CT poison extension'] : [],
};
