import { isDelegatedName, isReverseDnsName, splitWildcard } from '../../core/dns-name.js';
import type { LintRule } from '../types.js';
import { wellFormedDnsNames } from '../views.js';
import { looksLikeIpAddress } from './san-dns-name-ip-address.js';

/**
 * BR §4.2.2, §7.1.2.7.12: no Internal Names — every dNSName ends in an
 * IANA-registered TLD (the ICANN section of the Public Suffix List, via
 * tldts). TLDs in the context's `allowedTestTlds` (e.g. `test` for Shomei's
 * test deployments) are accepted.
 */
export const sanInternalName: LintRule = {
  id: 'e_san_internal_name',
  severity: 'error',
  citation: 'BR 4.2.2; BR 7.1.2.7.12',
  description: 'Every dNSName ends in an ICANN top-level domain (or one of the context allowedTestTlds).',
  check: ({ cert, ctx }) =>
    wellFormedDnsNames(cert)
      .map((n) => n.toLowerCase())
      .filter((n) => !looksLikeIpAddress(n) && !isReverseDnsName(splitWildcard(n).base))
      .filter((n) => !isDelegatedName(splitWildcard(n).base, ctx.allowedTestTlds))
      .map((n) => `dNSName ${JSON.stringify(n)} is an Internal Name (its TLD is not an ICANN TLD)`),
};
