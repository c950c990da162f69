import { GN_DNS_NAME } from '../extension-values.js';
import type { LintRule } from '../types.js';
import { sanGeneralNames } from '../views.js';

const GN_NAMES: Record<number, string> = {
  0xa0: 'otherName',
  0x81: 'rfc822Name',
  0xa3: 'x400Address',
  0xa4: 'directoryName',
  0xa5: 'ediPartyName',
  0x86: 'uniformResourceIdentifier',
  0x87: 'iPAddress',
  0x88: 'registeredID',
};

/**
 * BR §7.1.2.7.12 allows dNSName and iPAddress; Shomei's DV profile issues for
 * DNS identifiers only (RFC 8738 IP identifiers are not supported), so every
 * entry is a dNSName.
 */
export const sanNotDnsName: LintRule = {
  id: 'e_san_not_dns_name',
  severity: 'error',
  citation: 'BR 7.1.2.7.12',
  description: 'Every subjectAltName entry is a dNSName.',
  check: ({ cert }) =>
    (sanGeneralNames(cert) ?? [])
      .filter((g) => g.tag !== GN_DNS_NAME)
      .map((g) => `subjectAltName holds a ${GN_NAMES[g.tag] ?? `GeneralName with tag 0x${g.tag.toString(16)}`}`),
};
