import { rsaPublicKeyOf } from '../spki.js';
import type { LintRule } from '../types.js';

/** BR §6.1.6 (odd, ≥ 3, SHOULD be in [2^16+1, 2^256−1]): Shomei's profile requires exactly 65537. */
export const rsaPublicExponent: LintRule = {
  id: 'e_rsa_public_exponent',
  severity: 'error',
  citation: 'BR 6.1.6',
  description: 'The RSA public exponent is 65537.',
  check: ({ cert }) => {
    const rsa = rsaPublicKeyOf(cert.spki);
    return rsa === undefined || rsa.exponent === 65537n ? [] : [`RSA public exponent is ${rsa.exponent}, not 65537`];
  },
};
