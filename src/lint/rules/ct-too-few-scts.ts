import { OID, decodeSctList, extensionValue } from '../extension-values.js';
import type { LintRule } from '../types.js';
import { validityPeriodSeconds } from '../views.js';

/** CTP ct_policy.md / APPLE-CT: lifetimes up to 180 days need SCTs from 2 distinct logs, longer ones 3. */
export const LONG_LIFETIME_SECONDS = 180 * 86_400;

/**
 * Chrome and Apple CT policies: the embedded SCTs come from at least N
 * distinct logs (N = 2 for ≤ 180 days, 3 above). A warning: which logs are
 * Qualified/Usable and who operates them is not visible in the certificate.
 */
export const ctTooFewScts: LintRule = {
  id: 'w_ct_too_few_scts',
  severity: 'warning',
  citation: 'CTP ct_policy.md; APPLE-CT 103214',
  description: 'An embedded SCT list has SCTs from at least 2 distinct logs (3 for lifetimes over 180 days).',
  check: (t) => {
    if (t.ctx.kind !== 'certificate' || !t.ctx.ctRequired) return [];
    const list = extensionValue(t.cert, OID.sctList, decodeSctList)?.value;
    const seconds = validityPeriodSeconds(t);
    if (list === undefined || seconds === undefined) return [];
    const needed = seconds <= LONG_LIFETIME_SECONDS ? 2 : 3;
    const logs = new Set(list.logIds).size;
    return logs >= needed ? [] : [`SCTs from ${logs} distinct log(s); browsers need ${needed} for this lifetime`];
  },
};
