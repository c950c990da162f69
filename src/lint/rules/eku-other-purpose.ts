import { FORBIDDEN_PURPOSES, KP } from '../eku-purposes.js';
import { OID, decodeExtKeyUsage, extensionValue } from '../extension-values.js';
import type { LintRule } from '../types.js';

/** BR §7.1.2.7.10 ("any other value: NOT RECOMMENDED"): Shomei's DV profile asserts serverAuth and nothing else. */
export const ekuOtherPurpose: LintRule = {
  id: 'e_eku_other_purpose',
  severity: 'error',
  citation: 'BR 7.1.2.7.10',
  description: 'extKeyUsage asserts no purpose other than serverAuth (clientAuth and the forbidden purposes have their own rules).',
  check: ({ cert }) =>
    (extensionValue(cert, OID.extKeyUsage, decodeExtKeyUsage)?.value ?? [])
      .filter((oid) => oid !== KP.serverAuth && oid !== KP.clientAuth && FORBIDDEN_PURPOSES[oid] === undefined)
      .map((oid) => `extKeyUsage asserts the purpose ${oid}, which Shomei's profile does not use`),
};
