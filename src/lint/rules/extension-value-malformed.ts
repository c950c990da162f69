import { PROFILE_EXTENSIONS } from '../extension-values.js';
import type { LintRule } from '../types.js';

/**
 * RFC 5280 §4.2 (extnValue holds the DER of the extension's ASN.1 type),
 * RFC 6962 §3.1/§3.3 (poison NULL, TLS-encoded SCT list): every profile
 * extension's value decodes as its type.
 */
export const extensionValueMalformed: LintRule = {
  id: 'e_extension_value_malformed',
  severity: 'error',
  citation: 'RFC 5280 4.2; RFC 6962 3.3',
  description: 'The value of every profile extension decodes as its ASN.1 type (and the SCT list as RFC 6962 SCTs).',
  check: ({ cert }) =>
    cert.extensions.flatMap((e) => {
      const known = PROFILE_EXTENSIONS[e.oid];
      if (known === undefined) return [];
      try {
        known.decode(e.value);
        return [];
      } catch (err) {
        return [`${known.name} value is malformed: ${(err as Error).message}`];
      }
    }),
};
