/**
 * Not a public suffix (SPEC §5.1): the name, or for a wildcard the name below
 * it, must not be a public suffix, the private section of the Public Suffix
 * List included (`github.io`, `*.github.io` and `co.jp` are refused;
 * `foo.github.io` is fine). A TLD the PSL does not know is a suffix by the
 * default rule, so `test` alone is refused even with additionalTlds ['test'].
 */
import { isPublicSuffixName } from '../../core/dns-name.js';
import type { ScreeningCheck } from './types.js';

export const checkPublicSuffix: ScreeningCheck = (c) => {
  if (c.labels.includes('') || c.base.includes('*')) return []; // the label / wildcard checks report it
  return isPublicSuffixName(c.base, true)
    ? [{ code: 'public-suffix', detail: `"${c.base}" is a public suffix; names can only be registered below it` }]
    : [];
};
