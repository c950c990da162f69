import { reservedLdhProblem, splitWildcard } from '../../core/dns-name.js';
import type { LintRule } from '../types.js';
import { wellFormedDnsNames } from '../views.js';

/**
 * BR §7.1.2.7.12 (P-Labels or Non-Reserved LDH Labels only), RFC 5890 §2.3.1:
 * a label with hyphens in positions 3 and 4 must be a valid `xn--` A-label.
 */
export const sanDnsNameReservedLabel: LintRule = {
  id: 'e_san_dns_name_reserved_label',
  severity: 'error',
  citation: 'BR 7.1.2.7.12; RFC 5890 2.3.1',
  description: 'Every "??--" label of a dNSName is a valid xn-- A-label (P-Label).',
  check: ({ cert }) =>
    wellFormedDnsNames(cert).flatMap((n) =>
      splitWildcard(n.toLowerCase())
        .base.split('.')
        .filter((label) => reservedLdhProblem(label) !== null)
        .map((label) => `dNSName ${JSON.stringify(n)} has the reserved label "${label}" that is not a valid A-label`),
    ),
};
