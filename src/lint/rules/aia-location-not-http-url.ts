import { ALLOWED_ACCESS_METHODS } from '../access-methods.js';
import { GN_URI, OID, decodeAuthorityInfoAccess, extensionValue } from '../extension-values.js';
import { isHttpUrl } from '../http-url.js';
import type { LintRule } from '../types.js';

/** BR §7.1.2.7.7: each id-ad-ocsp / id-ad-caIssuers accessLocation is a uniformResourceIdentifier with an HTTP URL. */
export const aiaLocationNotHttpUrl: LintRule = {
  id: 'e_aia_location_not_http_url',
  severity: 'error',
  citation: 'BR 7.1.2.7.7',
  description: 'Every OCSP and caIssuers accessLocation is a uniformResourceIdentifier holding an http:// URL.',
  check: ({ cert }) =>
    (extensionValue(cert, OID.authorityInfoAccess, decodeAuthorityInfoAccess)?.value ?? [])
      .filter((ad) => ALLOWED_ACCESS_METHODS.includes(ad.method))
      .filter((ad) => ad.location.tag !== GN_URI || !isHttpUrl(Buffer.from(ad.location.value).toString('latin1')))
      .map((ad) =>
        ad.location.tag === GN_URI
          ? `authorityInformationAccess location ${JSON.stringify(Buffer.from(ad.location.value).toString('latin1'))} is not an http:// URL`
          : `authorityInformationAccess location for ${ad.method} is not a uniformResourceIdentifier`,
      ),
};
