import type { LintRule } from '../types.js';
import { commonNames, sanGeneralNames } from '../views.js';
import { GN_DNS_NAME } from '../extension-values.js';

/**
 * BR §7.1.4.3, §7.1.2.7.2: a commonName is a character-for-character copy of
 * one of the SAN dNSNames (compared byte for byte: SAN names are lower case,
 * so an upper-case CN does not match).
 */
export const subjectCnNotInSan: LintRule = {
  id: 'e_subject_cn_not_in_san',
  severity: 'error',
  citation: 'BR 7.1.4.3; BR 7.1.2.7.2',
  description: 'Each subject commonName is byte-for-byte one of the subjectAltName dNSNames.',
  check: ({ cert }) => {
    const sans = sanGeneralNames(cert);
    if (sans === undefined) return []; // e_san_missing / e_extension_value_malformed
    const dns = sans.filter((g) => g.tag === GN_DNS_NAME).map((g) => Buffer.from(g.value));
    return commonNames(cert)
      .filter((cn) => !dns.some((d) => d.equals(cn.value)))
      .map((cn) => `commonName "${Buffer.from(cn.value).toString('latin1')}" is not one of the SAN dNSNames`);
  },
};
