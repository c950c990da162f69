import { OID, findExtension } from '../extension-values.js';
import type { LintRule } from '../types.js';

/**
 * BR §7.1.2.11.2: cRLDistributionPoints MUST be present unless the
 * certificate is short-lived or carries an OCSP URL; Shomei runs no OCSP and
 * its profile always includes one (SPEC §7), so it is required here.
 */
export const crlDpMissing: LintRule = {
  id: 'e_crl_dp_missing',
  severity: 'error',
  citation: 'BR 7.1.2.11.2',
  description: 'The cRLDistributionPoints extension is present (Shomei has no OCSP, so CRLs are the revocation channel).',
  check: ({ cert }) => (findExtension(cert, OID.crlDistributionPoints) === undefined ? ['cRLDistributionPoints is missing'] : []),
};
