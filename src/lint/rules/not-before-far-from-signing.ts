import type { LintRule } from '../types.js';

export const MAX_NOT_BEFORE_DISTANCE_MS = 48 * 3_600_000;

/** BR §7.1.2.7: notBefore is within 48 hours of the time of signing (the lint context's issue instant). */
export const notBeforeFarFromSigning: LintRule = {
  id: 'e_not_before_far_from_signing',
  severity: 'error',
  citation: 'BR 7.1.2.7',
  description: 'notBefore lies within 48 hours of the signing time.',
  check: ({ cert, ctx }) => {
    const nb = cert.notBefore.date;
    if (nb === undefined) return [];
    const distance = Math.abs(nb.getTime() - ctx.at.getTime());
    return distance <= MAX_NOT_BEFORE_DISTANCE_MS
      ? []
      : [`notBefore ${nb.toISOString()} is ${Math.round(distance / 60_000)} minutes from the signing time ${ctx.at.toISOString()} (more than 48 h)`];
  },
};
