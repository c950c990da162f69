import type { LintRule } from '../types.js';
import { sanDnsNames } from '../views.js';

/**
 * Shomei's DV profile writes dNSNames in lower case (RFC 8555 §7.1.4
 * identifiers are compared case-insensitively and the RA lower-cases them),
 * so a CN can be compared byte for byte (BR §7.1.4.3).
 */
export const sanDnsNameUpperCase: LintRule = {
  id: 'e_san_dns_name_upper_case',
  severity: 'error',
  citation: 'BR 7.1.2.7.12; BR 7.1.4.3',
  description: 'Every dNSName is in lower case.',
  check: ({ cert }) => sanDnsNames(cert).filter((n) => n !== n.toLowerCase()).map((n) => `dNSName ${JSON.stringify(n)} is not lower case`),
};
