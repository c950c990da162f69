import { OID, findExtension } from '../extension-values.js';
import type { LintRule } from '../types.js';

/**
 * CTP ct_policy.md, APPLE-CT, CRP §1.3.4: a publicly-trusted final
 * certificate embeds its SCTs (RFC 6962 §3.3). Not checked when the context
 * says CT is disabled (`ctRequired: false`).
 */
export const ctSctListMissing: LintRule = {
  id: 'e_ct_sct_list_missing',
  severity: 'error',
  citation: 'RFC 6962 3.3; CTP ct_policy.md',
  description: 'A final certificate embeds an SCT list (unless the context says CT is disabled).',
  check: ({ cert, ctx }) =>
    ctx.kind === 'certificate' && ctx.ctRequired && findExtension(cert, OID.sctList) === undefined ? ['certificate has no embedded SCT list'] : [],
};
