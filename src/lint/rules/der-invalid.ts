/**
 * RFC 5280 §4.1 and X.690 §10–§11: a certificate is DER — definite minimal
 * lengths, BOOLEAN TRUE as 0xFF, DEFAULT values omitted, named bit strings
 * without trailing zero bits — and every extnValue holds one DER element.
 * `lintCertificate` reports a skeleton that does not parse under this id too.
 */
import { DerError, children, contentOf, readWhole, type Tlv } from '../../ca/der.js';
import { OID, decodeBasicConstraints, decodeKeyUsage, decoded } from '../extension-values.js';
import type { LintRule, LintTarget } from '../types.js';

/** Problems in the element `t` and everything below it (constructed elements are descended). */
function walk(buf: Uint8Array, t: Tlv, where: string, problems: string[]): void {
  if (t.tag === 0x01) {
    const c = contentOf(buf, t);
    if (c.length !== 1 || (c[0] !== 0x00 && c[0] !== 0xff)) problems.push(`${where}: a BOOLEAN must be one octet 0x00 or 0xFF (X.690 §11.1)`);
  }
  if ((t.tag & 0x20) === 0) return;
  for (const child of children(buf, t)) walk(buf, child, where, problems);
}

function walkWhole(buf: Uint8Array, where: string, problems: string[]): void {
  try {
    walk(buf, readWhole(buf), where, problems);
  } catch (e) {
    if (!(e instanceof DerError)) throw e;
    problems.push(`${where}: ${e.message}`);
  }
}

export function checkDer(t: LintTarget): string[] {
  const problems: string[] = [];
  walkWhole(t.cert.der, 'certificate', problems);
  for (const ext of t.cert.extensions) {
    if (ext.criticalEncoded && !ext.critical) {
      problems.push(`extension ${ext.oid}: critical FALSE is the DEFAULT and must be omitted (X.690 §11.5)`);
    }
    walkWhole(ext.value, `extension ${ext.oid} value`, problems);
    if (ext.oid === OID.basicConstraints) {
      const bc = decoded(ext, decodeBasicConstraints);
      if (bc?.cAEncoded === true && !bc.cA) problems.push('basicConstraints: cA FALSE is the DEFAULT and must be omitted (X.690 §11.5)');
    }
    if (ext.oid === OID.keyUsage && decoded(ext, decodeKeyUsage)?.minimal === false) {
      problems.push('keyUsage: a named bit list must not end in zero bits (X.690 §11.2.2)');
    }
  }
  return problems;
}

export const derInvalid: LintRule = {
  id: 'e_der_invalid',
  severity: 'error',
  citation: 'RFC 5280 4.1; X.690 11',
  description: 'The certificate and every extension value are valid DER (minimal lengths, BOOLEAN 0xFF, DEFAULT values omitted, minimal named bit strings).',
  check: checkDer,
};
