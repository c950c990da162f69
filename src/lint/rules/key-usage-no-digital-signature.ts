import { KU } from '../key-usage-bits.js';
import { OID, decodeKeyUsage, extensionValue } from '../extension-values.js';
import type { LintRule } from '../types.js';

/** BR §7.1.2.7.11: digitalSignature MUST be set for ECDSA keys; Shomei sets it for RSA keys too (BR SHOULD). */
export const keyUsageNoDigitalSignature: LintRule = {
  id: 'e_key_usage_no_digital_signature',
  severity: 'error',
  citation: 'BR 7.1.2.7.11',
  description: 'keyUsage asserts digitalSignature.',
  check: ({ cert }) => {
    const ku = extensionValue(cert, OID.keyUsage, decodeKeyUsage);
    return ku === undefined || ku.value.bits.includes(KU.digitalSignature) ? [] : ['keyUsage does not assert digitalSignature'];
  },
};
