import { SPKI_ALGORITHMS, spkiParts } from '../spki.js';
import type { LintRule } from '../types.js';

/**
 * BR §7.1.3.1, MRSP §5.1: the subject key is RSA (rsaEncryption with NULL
 * parameters) or ECDSA on the named curve P-256 or P-384, with the exact
 * AlgorithmIdentifier bytes; no P-521, Ed25519, RSA-PSS or explicit curves.
 */
export const spkiAlgorithmNotAllowed: LintRule = {
  id: 'e_spki_algorithm_not_allowed',
  severity: 'error',
  citation: 'BR 7.1.3.1; MRSP 5.1',
  description: 'subjectPublicKeyInfo.algorithm is byte-exactly rsaEncryption/NULL, or id-ecPublicKey with namedCurve P-256 or P-384.',
  check: ({ cert }) => {
    const parts = spkiParts(cert.spki);
    if (parts === undefined) return ['subjectPublicKeyInfo is not a DER SubjectPublicKeyInfo'];
    return SPKI_ALGORITHMS[parts.algBytes] === undefined ? [`subject key algorithm ${parts.algBytes} (${parts.algOid}) is not allowed`] : [];
  },
};
