/**
 * Delegated TLD (SPEC §5.1 allowed TLD policy; BR "Internal Name"): the name
 * falls under an ICANN-section rule of the Public Suffix List, or its TLD is
 * in policy.additionalTlds (e.g. "test" in test setups).
 */
import { isDelegatedName } from '../../core/dns-name.js';
import type { ScreeningCheck } from './types.js';

export const checkInternalName: ScreeningCheck = (c, policy) => {
  if (c.tld === '' || c.tld.includes('*')) return []; // the label / wildcard checks report it
  return isDelegatedName(c.base, policy.additionalTlds)
    ? []
    : [{ code: 'internal-name', detail: `".${c.tld}" is not a delegated top-level domain (internal name)` }];
};
