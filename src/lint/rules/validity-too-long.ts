import { brMaxValidityDays } from '../../config/schema.js';
import type { LintRule } from '../types.js';
import { validityPeriodSeconds } from '../views.js';

/**
 * BR §6.3.2 (SC-081): the validity period, notBefore through notAfter
 * inclusive (RFC 5280 §4.1.2.5, so + 1 s), is at most the maximum in force on
 * the issue date: 398 days, 200 from 2026-03-15, 100 from 2027-03-15, 47 from
 * 2029-03-15.
 */
export const validityTooLong: LintRule = {
  id: 'e_validity_too_long',
  severity: 'error',
  citation: 'BR 6.3.2; RFC 5280 4.1.2.5',
  description: 'notAfter − notBefore + 1 s is at most the BR maximum validity in force on the issue date (brMaxValidityDays).',
  check: (t) => {
    const seconds = validityPeriodSeconds(t);
    const maxDays = brMaxValidityDays(t.ctx.at);
    if (seconds === undefined || seconds <= maxDays * 86_400) return [];
    return [`validity period of ${seconds} s exceeds ${maxDays} days (${maxDays * 86_400} s), the maximum on ${t.ctx.at.toISOString()}`];
  },
};
