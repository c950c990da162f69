import { ecPointProblem } from '../ec-curves.js';
import { rsaPublicKeyOf, spkiKeyType, spkiParts } from '../spki.js';
import type { LintRule } from '../types.js';

/**
 * BR §6.1.5/§6.1.6, RFC 5480 §2.2, RFC 8017 §A.1.1: the key of an allowed
 * type decodes — an uncompressed point on its curve (checked here with the
 * curve equation, not by the library that made the key), or a DER
 * RSAPublicKey of positive integers.
 */
export const spkiKeyInvalid: LintRule = {
  id: 'e_spki_key_invalid',
  severity: 'error',
  citation: 'BR 6.1.5; RFC 5480 2.2; RFC 8017 A.1.1',
  description: 'The subject public key is a valid key of its type (EC: uncompressed point on the curve; RSA: DER RSAPublicKey of positive integers).',
  check: ({ cert }) => {
    const type = spkiKeyType(cert.spki);
    if (type === undefined) return []; // e_spki_algorithm_not_allowed
    if (type === 'RSA') return rsaPublicKeyOf(cert.spki) === undefined ? ['the RSA public key is not a DER RSAPublicKey of positive integers'] : [];
    const problem = ecPointProblem(type, spkiParts(cert.spki)!.keyBits);
    return problem === null ? [] : [`the ${type} public key ${problem}`];
  },
};
