import { OID, findExtension } from '../extension-values.js';
import type { LintRule } from '../types.js';

/** BR §7.1.2.11.3 (via §7.1.2.7.6): the SCT list extension is not critical. */
export const ctSctListCritical: LintRule = {
  id: 'e_ct_sct_list_critical',
  severity: 'error',
  citation: 'BR 7.1.2.11.3',
  description: 'The SCT list extension is not marked critical.',
  check: ({ cert }) => (findExtension(cert, OID.sctList)?.critical === true ? ['SCT list extension is critical'] : []),
};
