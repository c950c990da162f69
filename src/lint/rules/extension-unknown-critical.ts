import { PROFILE_EXTENSIONS } from '../extension-values.js';
import type { LintRule } from '../types.js';

/** RFC 5280 §4.2 (a relying party rejects a certificate with a critical extension it does not know), BR §7.1.2.11.5. */
export const extensionUnknownCritical: LintRule = {
  id: 'e_extension_unknown_critical',
  severity: 'error',
  citation: 'RFC 5280 4.2; BR 7.1.2.11.5',
  description: 'No critical extension is outside the DV profile.',
  check: ({ cert }) =>
    cert.extensions
      .filter((e) => e.critical && PROFILE_EXTENSIONS[e.oid] === undefined)
      .map((e) => `critical extension ${e.oid} is not part of the DV profile`),
};
