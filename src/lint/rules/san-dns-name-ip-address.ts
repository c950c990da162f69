import { hasNumericTld, isIpLiteral, splitWildcard } from '../../core/dns-name.js';
import type { LintRule } from '../types.js';
import { wellFormedDnsNames } from '../views.js';

/** True for names a resolver or URL parser would read as an IP address (numeric last label). */
export function looksLikeIpAddress(name: string): boolean {
  const { base } = splitWildcard(name);
  return isIpLiteral(base) || hasNumericTld(base.split('.'));
}

/** BR §7.1.2.7.12, RFC 5280 §4.2.1.6: an IP address is never written as a dNSName. */
export const sanDnsNameIpAddress: LintRule = {
  id: 'e_san_dns_name_ip_address',
  severity: 'error',
  citation: 'BR 7.1.2.7.12; RFC 5280 4.2.1.6',
  description: 'No dNSName is an IP address or ends in a numeric label.',
  check: ({ cert }) =>
    wellFormedDnsNames(cert)
      .filter(looksLikeIpAddress)
      .map((n) => `dNSName ${JSON.stringify(n)} is an IP address or has a numeric top-level label`),
};
