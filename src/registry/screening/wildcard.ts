/** Wildcards (SPEC §5.2, BR §7.1.2.7.12): `*` only as the whole leftmost label `*.`. */
import type { ScreeningCheck } from './types.js';

export const checkWildcard: ScreeningCheck = (c) =>
  c.base.includes('*') ? [{ code: 'wildcard-position', detail: 'a wildcard may only be the whole leftmost label ("*.")' }] : [];
