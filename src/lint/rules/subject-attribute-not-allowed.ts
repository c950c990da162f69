import type { LintRule } from '../types.js';
import { OID_COMMON_NAME } from '../views.js';

/**
 * BR §7.1.2.7.2 (DV subject): commonName is the only attribute Shomei's DV
 * profile may carry (BR also permits countryName, which Shomei never
 * validates or includes; every other attribute is MUST NOT).
 */
export const subjectAttributeNotAllowed: LintRule = {
  id: 'e_subject_attribute_not_allowed',
  severity: 'error',
  citation: 'BR 7.1.2.7.2',
  description: 'The subject is empty or holds only commonName.',
  check: ({ cert }) =>
    cert.subjectRdns
      .flat()
      .filter((a) => a.oid !== OID_COMMON_NAME)
      .map((a) => `subject attribute ${a.oid} is not allowed in a DV certificate`),
};
