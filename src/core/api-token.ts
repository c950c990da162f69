import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { randomId } from './ids.js';

/**
 * Bearer tokens for the operator and admin APIs: `<id>.<secret>` where the
 * id is public (it names the token in lists and in the audit trail) and the
 * 256-bit secret is shown once. Only SHA-256(secret) is stored: the secret has
 * full entropy, so a fast hash is enough and a leaked table reveals nothing usable.
 */
export function newApiToken(prefix: string): { id: string; token: string; secretSha256: string } {
  const id = `${prefix}_${randomId(9)}`;
  const secret = randomBytes(32).toString('base64url');
  return { id, token: `${id}.${secret}`, secretSha256: sha256Hex(secret) };
}

function sha256Hex(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}

/** Split a presented token; undefined when it is not of the `<id>.<secret>` shape. */
export function parseApiToken(token: string): { id: string; secret: string } | undefined {
  const m = /^([A-Za-z]{2,8}_[A-Za-z0-9_-]{12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return undefined;
  return { id: m[1] as string, secret: m[2] as string };
}

/** Constant-time comparison of a presented secret with the stored hash. */
export function secretMatches(secret: string, storedSha256: string): boolean {
  const a = Buffer.from(sha256Hex(secret), 'hex');
  const b = Buffer.from(storedSha256, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
