import type { LintRule } from '../types.js';
import { SIGNATURE_ALGORITHMS } from '../signature-algorithms.js';

/** BR §7.1.3.2: tbsCertificate.signature is one of the allowed byte-exact encodings. */
export const signatureAlgorithmNotAllowed: LintRule = {
  id: 'e_signature_algorithm_not_allowed',
  severity: 'error',
  citation: 'BR 7.1.3.2',
  description:
    'tbsCertificate.signature is byte-exactly ecdsa-with-SHA256/384 (absent parameters) or sha256/384/512WithRSAEncryption (NULL parameters).',
  check: ({ cert }) => {
    const hex = Buffer.from(cert.tbsSignatureAlgorithm).toString('hex');
    return SIGNATURE_ALGORITHMS[hex] === undefined ? [`signature AlgorithmIdentifier ${hex} is not an allowed encoding`] : [];
  },
};
