/**
 * Screening of an applied-for usage FQDN (SPEC §5.1, terms AT 4 / AT 5).
 *
 * `screenUsageFqdn` canonicalises the input (trim, lower case, U-labels →
 * A-labels, one trailing dot dropped) and runs every check in this folder,
 * collecting every reason that applies. It stops early only where the later
 * checks cannot run: nothing to screen ('empty'), no A-label form ('idna'), or
 * an IP address ('ip-literal'). Pure: the duplicate-registration check needs
 * the database and is the caller's job.
 */
import { normalizeNameList } from '../../core/dns-name.js';
import { checkBlockedName } from './blocked-name.js';
import { checkInternalName } from './internal-name.js';
import { checkNumericTld, ipLiteralReason } from './ip-literal.js';
import { checkLabelCount } from './label-count.js';
import { checkLabels } from './labels.js';
import { checkLength } from './length.js';
import { canonicalize, toCandidate } from './normalize.js';
import { checkPublicSuffix } from './public-suffix.js';
import { checkReverseDns } from './reverse-dns.js';
import { checkTldAllowList } from './tld-allow-list.js';
import { checkTldBlockList } from './tld-block-list.js';
import type { ScreeningCheck, ScreeningPolicy, ScreeningReason, ScreeningResult } from './types.js';
import { checkWildcard } from './wildcard.js';

export type { ScreeningPolicy, ScreeningReason, ScreeningReasonCode, ScreeningResult } from './types.js';

/** The checks, in the order their reasons are reported. */
const CHECKS: readonly ScreeningCheck[] = [
  checkLength,
  checkLabels,
  checkWildcard,
  checkLabelCount,
  checkNumericTld,
  checkReverseDns,
  checkInternalName,
  checkPublicSuffix,
  checkTldAllowList,
  checkTldBlockList,
  checkBlockedName,
];

/** Policy lists lower-cased, in A-label form, without trailing dots. */
function normalizePolicy(policy: ScreeningPolicy): ScreeningPolicy {
  return {
    tldAllowList: normalizeNameList(policy.tldAllowList),
    tldBlockList: normalizeNameList(policy.tldBlockList),
    blockedNames: normalizeNameList(policy.blockedNames),
    additionalTlds: normalizeNameList(policy.additionalTlds),
  };
}

export function screenUsageFqdn(input: string, policy: ScreeningPolicy): ScreeningResult {
  const canonical = canonicalize(input);
  if (!canonical.ok) return { ok: false, fqdn: null, reasons: [canonical.reason] };
  const ip = ipLiteralReason(canonical.fqdn);
  if (ip !== null) return { ok: false, fqdn: null, reasons: [ip] };
  const candidate = toCandidate(canonical.fqdn);
  const normalized = normalizePolicy(policy);
  const reasons: ScreeningReason[] = CHECKS.flatMap((check) => check(candidate, normalized));
  return reasons.length === 0 ? { ok: true, fqdn: candidate.fqdn, reasons: [] } : { ok: false, fqdn: candidate.fqdn, reasons };
}
