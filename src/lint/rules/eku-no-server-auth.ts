import { KP } from '../eku-purposes.js';
import { OID, decodeExtKeyUsage, extensionValue } from '../extension-values.js';
import type { LintRule } from '../types.js';

/** BR §7.1.2.7.10: id-kp-serverAuth MUST be present. */
export const ekuNoServerAuth: LintRule = {
  id: 'e_eku_no_server_auth',
  severity: 'error',
  citation: 'BR 7.1.2.7.10',
  description: 'extKeyUsage asserts id-kp-serverAuth.',
  check: ({ cert }) => {
    const eku = extensionValue(cert, OID.extKeyUsage, decodeExtKeyUsage);
    return eku === undefined || eku.value.includes(KP.serverAuth) ? [] : ['extKeyUsage does not assert id-kp-serverAuth'];
  },
};
