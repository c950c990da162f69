import type { LintRule } from '../types.js';

/** RFC 5280 §4.1.1.2, BR §7.1.2.7: signatureAlgorithm is byte-identical to tbsCertificate.signature. */
export const signatureAlgorithmMismatch: LintRule = {
  id: 'e_signature_algorithm_mismatch',
  severity: 'error',
  citation: 'RFC 5280 4.1.1.2; BR 7.1.2.7',
  description: 'Certificate.signatureAlgorithm is byte-for-byte equal to tbsCertificate.signature.',
  check: ({ cert }) =>
    Buffer.from(cert.signatureAlgorithm).equals(cert.tbsSignatureAlgorithm)
      ? []
      : [
          `signatureAlgorithm ${Buffer.from(cert.signatureAlgorithm).toString('hex')} differs from tbsCertificate.signature ${Buffer.from(cert.tbsSignatureAlgorithm).toString('hex')}`,
        ],
};
