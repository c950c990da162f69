import { isReverseDnsName, splitWildcard } from '../../core/dns-name.js';
import type { LintRule } from '../types.js';
import { wellFormedDnsNames } from '../views.js';

/** BR §1.2.2: the ban on reverse-zone names takes effect on this date. */
export const REVERSE_DNS_BAN_FROM = new Date('2026-03-15T00:00:00Z');

/** BR §7.1.2.7.12 (from 2026-03-15): no dNSName in the in-addr.arpa / ip6.arpa reverse zones (Shomei refuses all of .arpa). */
export const sanReverseDnsName: LintRule = {
  id: 'e_san_reverse_dns_name',
  severity: 'error',
  citation: 'BR 7.1.2.7.12; BR 1.2.2',
  description: 'No dNSName ends in .arpa (in-addr.arpa / ip6.arpa are forbidden for certificates issued from 2026-03-15).',
  check: ({ cert, ctx }) =>
    ctx.at < REVERSE_DNS_BAN_FROM
      ? []
      : wellFormedDnsNames(cert)
          .filter((n) => isReverseDnsName(splitWildcard(n.toLowerCase()).base))
          .map((n) => `dNSName ${JSON.stringify(n)} is a reverse-DNS name`),
};
