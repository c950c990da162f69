import { PROFILE_EXTENSIONS } from '../extension-values.js';
import type { LintRule } from '../types.js';

/**
 * BR §7.1.2.7.6 / §7.1.2.11.5: extensions outside the profile are NOT
 * RECOMMENDED and MUST NOT be misleading (nameConstraints is MUST NOT);
 * Shomei's DV profile allows none of them. Critical ones are
 * `e_extension_unknown_critical`.
 */
export const extensionNotAllowed: LintRule = {
  id: 'e_extension_not_allowed',
  severity: 'error',
  citation: 'BR 7.1.2.7.6; BR 7.1.2.11.5',
  description: "Every non-critical extension is one of the DV profile's (SAN, KU, EKU, BC, AKI, SKI, policies, AIA, CRL DP, SCT list, CT poison).",
  check: ({ cert }) =>
    cert.extensions
      .filter((e) => !e.critical && PROFILE_EXTENSIONS[e.oid] === undefined)
      .map((e) => `extension ${e.oid} is not part of the DV profile`),
};
