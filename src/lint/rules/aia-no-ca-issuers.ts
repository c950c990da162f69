import { AD_CA_ISSUERS } from '../access-methods.js';
import { OID, decodeAuthorityInfoAccess, extensionValue } from '../extension-values.js';
import type { LintRule } from '../types.js';

/** BR §7.1.2.7.7: id-ad-caIssuers SHOULD be present (Shomei always publishes its issuing CA over HTTP). */
export const aiaNoCaIssuers: LintRule = {
  id: 'w_aia_no_ca_issuers',
  severity: 'warning',
  citation: 'BR 7.1.2.7.7',
  description: 'authorityInformationAccess includes an id-ad-caIssuers description (SHOULD).',
  check: ({ cert }) => {
    const aia = extensionValue(cert, OID.authorityInfoAccess, decodeAuthorityInfoAccess)?.value;
    return aia === undefined || aia.some((ad) => ad.method === AD_CA_ISSUERS) ? [] : ['authorityInformationAccess has no id-ad-caIssuers'];
  },
};
