/** Allowed TLD policy (SPEC §5.1): with a non-empty tldAllowList, the TLD must be on it. */
import type { ScreeningCheck } from './types.js';

export const checkTldAllowList: ScreeningCheck = (c, policy) =>
  policy.tldAllowList.length > 0 && c.tld !== '' && !policy.tldAllowList.includes(c.tld)
    ? [{ code: 'tld-not-allowed', detail: `".${c.tld}" is not among the allowed top-level domains` }]
    : [];
