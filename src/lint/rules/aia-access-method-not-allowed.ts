import { ALLOWED_ACCESS_METHODS } from '../access-methods.js';
import { OID, decodeAuthorityInfoAccess, extensionValue } from '../extension-values.js';
import type { LintRule } from '../types.js';

/** BR §7.1.2.7.7: only id-ad-ocsp (MAY) and id-ad-caIssuers (SHOULD); any other accessMethod MUST NOT appear. */
export const aiaAccessMethodNotAllowed: LintRule = {
  id: 'e_aia_access_method_not_allowed',
  severity: 'error',
  citation: 'BR 7.1.2.7.7',
  description: 'authorityInformationAccess holds only id-ad-ocsp and id-ad-caIssuers descriptions.',
  check: ({ cert }) =>
    (extensionValue(cert, OID.authorityInfoAccess, decodeAuthorityInfoAccess)?.value ?? [])
      .filter((ad) => !ALLOWED_ACCESS_METHODS.includes(ad.method))
      .map((ad) => `authorityInformationAccess has the access method ${ad.method}`),
};
