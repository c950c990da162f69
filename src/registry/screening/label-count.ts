/** At least two labels below the wildcard (SPEC §5.1 fully-qualified name; a single label is a TLD or an internal host name). */
import type { ScreeningCheck } from './types.js';

export const checkLabelCount: ScreeningCheck = (c) =>
  c.labels.length < 2 ? [{ code: 'single-label', detail: `"${c.base}" is a single label; a fully-qualified domain name is required` }] : [];
