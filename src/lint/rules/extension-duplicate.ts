import type { LintRule } from '../types.js';

/** RFC 5280 §4.2: a certificate MUST NOT include more than one instance of a particular extension. */
export const extensionDuplicate: LintRule = {
  id: 'e_extension_duplicate',
  severity: 'error',
  citation: 'RFC 5280 4.2',
  description: 'No extension appears more than once.',
  check: ({ cert }) => {
    const seen = new Set<string>();
    const problems: string[] = [];
    for (const e of cert.extensions) {
      if (seen.has(e.oid)) problems.push(`extension ${e.oid} appears more than once`);
      seen.add(e.oid);
    }
    return problems;
  },
};
