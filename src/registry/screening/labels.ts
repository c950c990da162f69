/**
 * Label syntax (SPEC §5.1 well-formed FQDN; RFC 1035 §2.3.1, RFC 5890 §2.3.1):
 * every label of the name below the wildcard is a lower-case LDH label of
 * 1–63 characters, and an R-LDH label (`??--`) is a valid `xn--` A-label.
 * Asterisks are left to the wildcard check.
 */
import { ldhLabelProblem, reservedLdhProblem, type LdhLabelProblem } from '../../core/dns-name.js';
import type { ScreeningCheck, ScreeningReason } from './types.js';

const LDH_DETAIL: Record<LdhLabelProblem, string> = {
  empty: 'is empty (two dots in a row, or a leading dot)',
  'too-long': 'is longer than 63 characters',
  'bad-character': 'has characters other than letters, digits and hyphens',
  'hyphen-at-edge': 'begins or ends with a hyphen',
};

export const checkLabels: ScreeningCheck = (c) => {
  const reasons: ScreeningReason[] = [];
  for (const label of c.labels) {
    const withoutStars = label.replaceAll('*', '');
    if (withoutStars.length === 0 && label.length > 0) continue; // only asterisks: the wildcard check reports it
    const ldh = ldhLabelProblem(withoutStars);
    if (ldh !== null) {
      reasons.push({ code: 'syntax', detail: `label "${label}" ${LDH_DETAIL[ldh]}` });
      continue;
    }
    const rldh = reservedLdhProblem(label);
    if (rldh === 'not-xn') reasons.push({ code: 'syntax', detail: `label "${label}" has hyphens in the third and fourth positions but is not an xn-- A-label` });
    if (rldh === 'invalid-a-label') reasons.push({ code: 'idna', detail: `label "${label}" is not a valid IDNA A-label` });
  }
  return reasons;
};
