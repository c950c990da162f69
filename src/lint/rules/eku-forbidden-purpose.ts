import { FORBIDDEN_PURPOSES } from '../eku-purposes.js';
import { OID, decodeExtKeyUsage, extensionValue } from '../extension-values.js';
import type { LintRule } from '../types.js';

/** BR §7.1.2.7.10, MRSP §5.2: codeSigning, emailProtection, timeStamping, OCSPSigning, anyEKU and precertificate signing are MUST NOT. */
export const ekuForbiddenPurpose: LintRule = {
  id: 'e_eku_forbidden_purpose',
  severity: 'error',
  citation: 'BR 7.1.2.7.10; MRSP 5.2',
  description: 'extKeyUsage asserts none of the purposes the BR forbids (codeSigning, emailProtection, timeStamping, OCSPSigning, anyExtendedKeyUsage, precertificate signing).',
  check: ({ cert }) =>
    (extensionValue(cert, OID.extKeyUsage, decodeExtKeyUsage)?.value ?? [])
      .filter((oid) => FORBIDDEN_PURPOSES[oid] !== undefined)
      .map((oid) => `extKeyUsage asserts the forbidden purpose ${FORBIDDEN_PURPOSES[oid]} (${oid})`),
};
