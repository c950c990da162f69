import type { Logger } from 'pino';
import { ShomeiError } from '../core/errors.js';
import type { Clock } from '../core/clock.js';
import type { SecretBox } from '../core/secret-box.js';
import type { Config } from '../config/schema.js';
import type { StorageAuthority } from '../sa/index.js';

/** What the registry (the agency channel) is built from. */
export interface RegistryDeps {
  config: Config;
  clock: Clock;
  sa: StorageAuthority;
  box: SecretBox;
  logger: Logger;
}

/** Who acts: recorded in the audit trail and on the records they create. */
export type Actor =
  | { kind: 'admin'; name: string }
  | { kind: 'operator'; operatorId: string; keyId: string }
  | { kind: 'system'; job?: string };

export function actorString(a: Actor): string {
  switch (a.kind) {
    case 'admin':
      return `admin:${a.name}`;
    case 'operator':
      return `operator:${a.operatorId}/key:${a.keyId}`;
    case 'system':
      return a.job === undefined ? 'system' : `system:${a.job}`;
  }
}

/** Cursor-paged list result. */
export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page, or null on the last one. */
  next: string | null;
}

export function encodeCursor(parts: string[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

/** Decode a cursor made by encodeCursor; undefined for a missing one, a malformed one → `malformed`. */
export function decodeCursor(cursor: string | undefined, arity: number): string[] | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    // Only printable text of sane length: a forged cursor must not reach the database as anything else.
    const printable = (x: unknown) => typeof x === 'string' && x.length <= 200 && /^[\x20-\x7e]*$/.test(x);
    if (Array.isArray(v) && v.length === arity && v.every(printable)) return v as string[];
  } catch {
    /* fall through */
  }
  throw new ShomeiError('malformed', 'cursor is not valid');
}
