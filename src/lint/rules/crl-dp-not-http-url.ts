import { GN_URI, OID, decodeCrlDistributionPoints, extensionValue } from '../extension-values.js';
import { isHttpUrl } from '../http-url.js';
import type { LintRule } from '../types.js';

/** BR §7.1.2.11.2: the fullName holds at least one name, each a uniformResourceIdentifier with scheme http. */
export const crlDpNotHttpUrl: LintRule = {
  id: 'e_crl_dp_not_http_url',
  severity: 'error',
  citation: 'BR 7.1.2.11.2',
  description: 'Every fullName is a non-empty list of uniformResourceIdentifiers holding http:// URLs.',
  check: ({ cert }) =>
    (extensionValue(cert, OID.crlDistributionPoints, decodeCrlDistributionPoints)?.value ?? []).flatMap((dp) => {
      if (dp.fullName === undefined) return []; // e_crl_dp_fields
      if (dp.fullName.length === 0) return ['a DistributionPoint fullName holds no names'];
      return dp.fullName
        .filter((gn) => gn.tag !== GN_URI || !isHttpUrl(Buffer.from(gn.value).toString('latin1')))
        .map((gn) =>
          gn.tag === GN_URI
            ? `CRL URL ${JSON.stringify(Buffer.from(gn.value).toString('latin1'))} is not an http:// URL`
            : 'a CRL fullName entry is not a uniformResourceIdentifier',
        );
    }),
};
