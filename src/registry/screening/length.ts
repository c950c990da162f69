/** Total length (SPEC §5.1 well-formed FQDN; RFC 1035 §2.3.4): at most 253 characters without the root dot. */
import { MAX_NAME_LENGTH } from '../../core/dns-name.js';
import type { ScreeningCheck } from './types.js';

export const checkLength: ScreeningCheck = (c) =>
  c.fqdn.length > MAX_NAME_LENGTH
    ? [{ code: 'syntax', detail: `the name has ${c.fqdn.length} characters; at most ${MAX_NAME_LENGTH} are allowed` }]
    : [];
