import type { LintRule } from '../types.js';

/** BR §7.1.2.7 (issuer), RFC 5280 §4.1.2.4: the issuer field is byte-for-byte the issuing CA's subject. */
export const issuerNameMismatch: LintRule = {
  id: 'e_issuer_name_mismatch',
  severity: 'error',
  citation: 'BR 7.1.2.7; RFC 5280 4.1.2.4',
  description: "issuer is byte-for-byte equal to the issuing CA certificate's subject.",
  check: ({ cert, issuer }) =>
    Buffer.from(cert.issuer).equals(issuer.subject) ? [] : ["issuer is not byte-for-byte the issuing CA's subject"],
};
