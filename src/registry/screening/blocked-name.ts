/**
 * Blocklists / high-risk names (SPEC §5.1): an entry of blockedNames blocks
 * that name and every name below it; `*.example.com` is also blocked by an
 * entry `www.example.com`, which the wildcard would cover.
 */
import { blockedBy } from '../../core/dns-name.js';
import type { ScreeningCheck } from './types.js';

export const checkBlockedName: ScreeningCheck = (c, policy) => {
  const entry = blockedBy(c.fqdn, policy.blockedNames);
  if (entry === null) return [];
  const detail = entry === c.base ? `"${entry}" is a blocked name` : `"${c.fqdn}" is covered by the blocked name "${entry}"`;
  return [{ code: 'blocked-name', detail }];
};
