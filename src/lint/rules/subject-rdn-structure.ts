import type { LintRule } from '../types.js';

/** BR §7.1.4.2: one AttributeTypeAndValue per RDN, and no attribute type more than once in the Name. */
export const subjectRdnStructure: LintRule = {
  id: 'e_subject_rdn_structure',
  severity: 'error',
  citation: 'BR 7.1.4.2',
  description: 'Every subject RDN holds exactly one attribute and no attribute type repeats.',
  check: ({ cert }) => {
    const problems: string[] = [];
    if (cert.subjectRdns.some((rdn) => rdn.length !== 1)) problems.push('a subject RDN holds more than one attribute');
    const seen = new Set<string>();
    for (const a of cert.subjectRdns.flat()) {
      if (seen.has(a.oid)) problems.push(`subject attribute ${a.oid} appears more than once`);
      seen.add(a.oid);
    }
    return problems;
  },
};
