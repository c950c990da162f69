import { KU, KU_NAMES } from '../key-usage-bits.js';
import { OID, decodeKeyUsage, extensionValue } from '../extension-values.js';
import type { LintRule } from '../types.js';

const ALLOWED: readonly number[] = [KU.digitalSignature, KU.keyEncipherment];

/**
 * BR §7.1.2.7.11: nothing besides digitalSignature and (RSA) keyEncipherment
 * — keyCertSign/cRLSign/nonRepudiation/… are MUST NOT, keyAgreement and
 * dataEncipherment NOT RECOMMENDED and never in Shomei's profile.
 */
export const keyUsageOtherBits: LintRule = {
  id: 'e_key_usage_other_bits',
  severity: 'error',
  citation: 'BR 7.1.2.7.11',
  description: 'keyUsage asserts nothing but digitalSignature and keyEncipherment.',
  check: ({ cert }) =>
    (extensionValue(cert, OID.keyUsage, decodeKeyUsage)?.value.bits ?? [])
      .filter((b) => !ALLOWED.includes(b))
      .map((b) => `keyUsage asserts ${KU_NAMES[b] ?? `bit ${b}`}`),
};
