/** No reverse-DNS names (BR §7.1.2.7.12): nothing under .arpa. */
import { isReverseDnsName } from '../../core/dns-name.js';
import type { ScreeningCheck } from './types.js';

export const checkReverseDns: ScreeningCheck = (c) =>
  isReverseDnsName(c.base) ? [{ code: 'reverse-dns', detail: 'reverse-DNS names under .arpa are not allowed' }] : [];
