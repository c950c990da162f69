import { OID, decodeAuthorityKeyIdentifier, extensionValue } from '../extension-values.js';
import type { LintRule } from '../types.js';

/** BR §7.1.2.11.1: keyIdentifier MUST be present; authorityCertIssuer and authorityCertSerialNumber MUST NOT. */
export const akiNotKeyIdOnly: LintRule = {
  id: 'e_aki_not_key_id_only',
  severity: 'error',
  citation: 'BR 7.1.2.11.1',
  description: 'authorityKeyIdentifier holds a keyIdentifier and nothing else.',
  check: ({ cert }) => {
    const aki = extensionValue(cert, OID.authorityKeyIdentifier, decodeAuthorityKeyIdentifier)?.value;
    if (aki === undefined) return [];
    return [
      ...(aki.keyIdentifier === undefined ? ['authorityKeyIdentifier has no keyIdentifier'] : []),
      ...(aki.issuerAndSerialPresent ? ['authorityKeyIdentifier has authorityCertIssuer/authorityCertSerialNumber'] : []),
    ];
  },
};
