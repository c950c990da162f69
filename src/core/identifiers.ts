import type { Identifier } from './errors.js';

export type { Identifier };

/** Lower-case, no trailing dot: the canonical form Shomei stores and compares. */
export function canonicalDnsName(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

export function isWildcard(name: string): boolean {
  return name.startsWith('*.');
}

/** `*.example.jp` → `example.jp`; other names unchanged. */
export function baseDomain(name: string): string {
  return isWildcard(name) ? name.slice(2) : name;
}
