/** Allowed TLD policy (SPEC §5.1): the TLD must not be on tldBlockList. */
import type { ScreeningCheck } from './types.js';

export const checkTldBlockList: ScreeningCheck = (c, policy) =>
  c.tld !== '' && policy.tldBlockList.includes(c.tld) ? [{ code: 'tld-blocked', detail: `".${c.tld}" is a blocked top-level domain` }] : [];
