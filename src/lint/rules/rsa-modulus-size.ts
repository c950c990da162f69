import { rsaPublicKeyOf } from '../spki.js';
import type { LintRule } from '../types.js';

export const MIN_RSA_MODULUS_BITS = 2048;
export const MAX_RSA_MODULUS_BITS = 8192;

/** BR §6.1.5: an RSA modulus of at least 2048 bits, divisible by 8; Shomei caps it at 8192 bits. */
export const rsaModulusSize: LintRule = {
  id: 'e_rsa_modulus_size',
  severity: 'error',
  citation: 'BR 6.1.5',
  description: `RSA moduli are ${MIN_RSA_MODULUS_BITS}–${MAX_RSA_MODULUS_BITS} bits and a multiple of 8 bits.`,
  check: ({ cert }) => {
    const rsa = rsaPublicKeyOf(cert.spki);
    if (rsa === undefined) return [];
    const ok = rsa.bits >= MIN_RSA_MODULUS_BITS && rsa.bits <= MAX_RSA_MODULUS_BITS && rsa.bits % 8 === 0;
    return ok ? [] : [`RSA modulus of ${rsa.bits} bits is not a multiple of 8 in ${MIN_RSA_MODULUS_BITS}–${MAX_RSA_MODULUS_BITS}`];
  },
};
