import { randomBytes } from 'node:crypto';

/** base64url without padding (RFC 4648 §5, RFC 7515 §2). */
export function b64u(buf: Uint8Array): string {
  return Buffer.from(buf).toString('base64url');
}

export function fromB64u(s: string): Buffer {
  return Buffer.from(s, 'base64url');
}

/** A random identifier with `bytes` bytes of CSPRNG entropy, base64url. */
export function randomId(bytes = 16): string {
  return b64u(randomBytes(bytes));
}

/** Strict base64url check: only the URL-safe alphabet, no padding. */
export function isB64u(s: string): boolean {
  return /^[A-Za-z0-9_-]*$/.test(s);
}
