import type { LintRule } from '../types.js';
import { sanGeneralNames } from '../views.js';

/** BR §7.1.2.7.12, RFC 5280 §4.2.1.6 (GeneralNames SIZE (1..MAX)): at least one name. */
export const sanEmpty: LintRule = {
  id: 'e_san_empty',
  severity: 'error',
  citation: 'BR 7.1.2.7.12; RFC 5280 4.2.1.6',
  description: 'subjectAltName holds at least one name.',
  check: ({ cert }) => (sanGeneralNames(cert)?.length === 0 ? ['subjectAltName holds no names'] : []),
};
