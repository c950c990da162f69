import type { LintRule } from '../types.js';
import { sanDnsNames } from '../views.js';

/** BR §7.1.2.7.12 (each entry a distinct validated name; Boulder and zlint reject repeats): no dNSName appears twice. */
export const sanDuplicateName: LintRule = {
  id: 'e_san_duplicate_name',
  severity: 'error',
  citation: 'BR 7.1.2.7.12',
  description: 'No dNSName appears more than once (compared case-insensitively).',
  check: ({ cert }) => {
    const seen = new Set<string>();
    const problems: string[] = [];
    for (const n of sanDnsNames(cert).map((x) => x.toLowerCase())) {
      if (seen.has(n)) problems.push(`dNSName ${JSON.stringify(n)} appears more than once`);
      seen.add(n);
    }
    return problems;
  },
};
