import type { LintRule } from '../types.js';
import { SIGNATURE_ALGORITHMS } from '../signature-algorithms.js';

/**
 * BR §7.1.3.2.2: the signature algorithm matches the issuing CA's key —
 * ECDSA P-256 signs with SHA-256, P-384 with SHA-384, RSA with PKCS#1 v1.5.
 * Only the algorithm is checked: the signature value may come from a lint key.
 */
export const signatureAlgorithmIssuerKey: LintRule = {
  id: 'e_signature_algorithm_issuer_key',
  severity: 'error',
  citation: 'BR 7.1.3.2.2; RFC 5758 3.2',
  description: "The signature algorithm belongs to the issuing CA's key type (P-256: SHA-256, P-384: SHA-384, RSA: PKCS#1 v1.5).",
  check: ({ cert, issuer }) => {
    const alg = SIGNATURE_ALGORITHMS[Buffer.from(cert.tbsSignatureAlgorithm).toString('hex')];
    if (alg === undefined) return []; // e_signature_algorithm_not_allowed
    if (issuer.keyType !== undefined && alg.issuerKeys.includes(issuer.keyType)) return [];
    return [`${alg.name} cannot be produced by the issuer's ${issuer.keyType ?? 'unsupported'} key`];
  },
};
