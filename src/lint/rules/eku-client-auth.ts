import { KP } from '../eku-purposes.js';
import { OID, decodeExtKeyUsage, extensionValue } from '../extension-values.js';
import type { LintRule } from '../types.js';

/** CRP §1.3.2: subscriber certificates issued from this date assert only id-kp-serverAuth. */
export const CHROME_SERVER_AUTH_ONLY_FROM = new Date('2027-03-15T00:00:00Z');

/**
 * BR §7.1.2.7.10 lets id-kp-clientAuth through (MAY), but the Chrome Root
 * Program requires serverAuth-only subscriber certificates issued on or
 * after 2027-03-15 (CRP §1.3.2) and Shomei's DV profile is serverAuth-only
 * from day one (WEBPKI.md §2.1, derived), so it is an error at any date.
 */
export const ekuClientAuth: LintRule = {
  id: 'e_eku_client_auth',
  severity: 'error',
  citation: 'CRP 1.3.2; BR 7.1.2.7.10',
  description: 'extKeyUsage does not assert id-kp-clientAuth (Shomei profile; Chrome requires it from 2027-03-15).',
  check: ({ cert, ctx }) => {
    const eku = extensionValue(cert, OID.extKeyUsage, decodeExtKeyUsage);
    if (eku === undefined || !eku.value.includes(KP.clientAuth)) return [];
    const why = ctx.at >= CHROME_SERVER_AUTH_ONLY_FROM ? 'Chrome requires serverAuth only from 2027-03-15' : "Shomei's DV profile is serverAuth only";
    return [`extKeyUsage asserts id-kp-clientAuth (${why})`];
  },
};
