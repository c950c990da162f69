import { OID, findExtension } from '../extension-values.js';
import type { LintRule } from '../types.js';

/** BR §7.1.2.9 / §7.1.2.9.1: a precertificate is the certificate plus poison and without the SCT list. */
export const ctSctListInPrecertificate: LintRule = {
  id: 'e_ct_sct_list_in_precertificate',
  severity: 'error',
  citation: 'BR 7.1.2.9; RFC 6962 3.1',
  description: 'A precertificate carries no SCT list extension.',
  check: ({ cert, ctx }) =>
    ctx.kind === 'precertificate' && findExtension(cert, OID.sctList) !== undefined ? ['precertificate carries an SCT list'] : [],
};
