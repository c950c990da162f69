import type { LintRule } from '../types.js';

/** RFC 5280 §4.1.2.1, BR §7.1.2.7: extensions require v3, encoded as INTEGER 2. */
export const versionNotV3: LintRule = {
  id: 'e_version_not_v3',
  severity: 'error',
  citation: 'RFC 5280 4.1.2.1; BR 7.1.2.7',
  description: 'The certificate is version 3 (version field present with value 2).',
  check: ({ cert }) =>
    cert.version === 2 ? [] : [`version is ${cert.version === undefined ? 'absent (v1)' : `v${cert.version + 1}`}, must be v3`],
};
