import { KU } from '../key-usage-bits.js';
import { OID, decodeKeyUsage, extensionValue } from '../extension-values.js';
import { spkiKeyType } from '../spki.js';
import type { LintRule } from '../types.js';

/** BR §7.1.2.7.11: keyEncipherment is allowed (MAY) for RSA keys only; an ECDSA key cannot encipher. */
export const keyUsageKeyEnciphermentNonRsa: LintRule = {
  id: 'e_key_usage_key_encipherment_non_rsa',
  severity: 'error',
  citation: 'BR 7.1.2.7.11',
  description: 'keyEncipherment is asserted only for RSA subject keys.',
  check: ({ cert }) => {
    const ku = extensionValue(cert, OID.keyUsage, decodeKeyUsage);
    if (ku === undefined || !ku.value.bits.includes(KU.keyEncipherment)) return [];
    const keyType = spkiKeyType(cert.spki);
    return keyType === 'RSA' ? [] : [`keyUsage asserts keyEncipherment for a ${keyType ?? 'non-RSA'} key`];
  },
};
