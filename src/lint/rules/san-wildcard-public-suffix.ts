import { isPublicSuffixName, splitWildcard } from '../../core/dns-name.js';
import type { LintRule } from '../types.js';
import { wellFormedDnsNames } from '../views.js';

/**
 * BR §3.2.2.6, §7.1.2.7.12: a wildcard is not directly on a public suffix
 * (`*.co.uk`, `*.com`), judged by the ICANN section of the Public Suffix List
 * (tldts); a TLD the list does not know is a suffix by its default rule.
 */
export const sanWildcardPublicSuffix: LintRule = {
  id: 'e_san_wildcard_public_suffix',
  severity: 'error',
  citation: 'BR 3.2.2.6; BR 7.1.2.7.12',
  description: 'No wildcard dNSName sits directly on a public suffix (ICANN section of the PSL).',
  check: ({ cert }) =>
    wellFormedDnsNames(cert)
      .map((n) => n.toLowerCase())
      .filter((n) => {
        const { wildcard, base } = splitWildcard(n);
        return wildcard && isPublicSuffixName(base, false);
      })
      .map((n) => `wildcard dNSName ${JSON.stringify(n)} covers a whole public suffix`),
};
