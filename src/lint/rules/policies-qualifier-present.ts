import { OID, decodeCertificatePolicies, extensionValue } from '../extension-values.js';
import type { LintRule } from '../types.js';
import { policiesQualifierNotHttpCps } from './policies-qualifier-not-http-cps.js';

/** BR §7.1.2.7.9: policy qualifiers are NOT RECOMMENDED (reported when they are otherwise valid CPS URIs). */
export const policiesQualifierPresent: LintRule = {
  id: 'w_policies_qualifier_present',
  severity: 'warning',
  citation: 'BR 7.1.2.7.9',
  description: 'certificatePolicies carries no policy qualifiers (NOT RECOMMENDED).',
  check: (t) => {
    const policies = extensionValue(t.cert, OID.certificatePolicies, decodeCertificatePolicies)?.value ?? [];
    if (!policies.some((p) => p.qualifiers.length > 0)) return [];
    if (policiesQualifierNotHttpCps.check(t).length > 0) return []; // the error says it all
    return ['certificatePolicies carries policy qualifiers (NOT RECOMMENDED)'];
  },
};
