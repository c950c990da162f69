import { OID, decodeCrlDistributionPoints, extensionValue } from '../extension-values.js';
import type { LintRule } from '../types.js';

/** BR §7.1.2.11.2: distributionPoint with fullName MUST be present; reasons and cRLIssuer MUST NOT. */
export const crlDpFields: LintRule = {
  id: 'e_crl_dp_fields',
  severity: 'error',
  citation: 'BR 7.1.2.11.2',
  description: 'Every DistributionPoint has a fullName distributionPoint and no reasons or cRLIssuer.',
  check: ({ cert }) =>
    (extensionValue(cert, OID.crlDistributionPoints, decodeCrlDistributionPoints)?.value ?? []).flatMap((dp) => [
      ...(dp.fullName === undefined ? ['a DistributionPoint has no distributionPoint fullName'] : []),
      ...(dp.reasonsPresent ? ['a DistributionPoint has reasons'] : []),
      ...(dp.crlIssuerPresent ? ['a DistributionPoint has a cRLIssuer'] : []),
    ]),
};
