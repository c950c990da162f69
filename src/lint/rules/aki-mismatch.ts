import { OID, decodeAuthorityKeyIdentifier, extensionValue } from '../extension-values.js';
import type { LintRule } from '../types.js';

/** BR §7.1.2.11.1, RFC 5280 §4.2.1.1: the keyIdentifier equals the issuing CA certificate's subjectKeyIdentifier. */
export const akiMismatch: LintRule = {
  id: 'e_aki_mismatch',
  severity: 'error',
  citation: 'BR 7.1.2.11.1; RFC 5280 4.2.1.1',
  description: "authorityKeyIdentifier.keyIdentifier equals the issuing CA's subjectKeyIdentifier.",
  check: ({ cert, issuer }) => {
    const ki = extensionValue(cert, OID.authorityKeyIdentifier, decodeAuthorityKeyIdentifier)?.value.keyIdentifier;
    if (ki === undefined) return [];
    if (issuer.keyIdentifier === undefined) return ['the issuing CA certificate has no subjectKeyIdentifier to match'];
    return Buffer.from(ki).equals(issuer.keyIdentifier) ? [] : ["authorityKeyIdentifier does not match the issuing CA's subjectKeyIdentifier"];
  },
};
