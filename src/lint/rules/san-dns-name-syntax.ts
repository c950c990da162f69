import type { LintRule } from '../types.js';
import { dnsNameSyntaxProblem, sanDnsNames } from '../views.js';

/**
 * BR §7.1.2.7.12, RFC 5280 §4.2.1.6 (RFC 1035 §2.3.1 preferred syntax): LDH
 * labels of 1–63 characters, at most 253 characters, no trailing dot, a
 * wildcard only as the whole leftmost label `*.`.
 */
export const sanDnsNameSyntax: LintRule = {
  id: 'e_san_dns_name_syntax',
  severity: 'error',
  citation: 'BR 7.1.2.7.12; RFC 5280 4.2.1.6',
  description: 'Every dNSName is an LDH name (labels 1–63, total ≤ 253, no trailing dot, wildcard only as a leading "*." label).',
  check: ({ cert }) =>
    sanDnsNames(cert).flatMap((n) => {
      const p = dnsNameSyntaxProblem(n);
      return p === null ? [] : [`dNSName ${JSON.stringify(n)} ${p}`];
    }),
};
