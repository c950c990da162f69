/**
 * Imported public keys by their DER SubjectPublicKeyInfo. `createPublicKey`
 * costs far more than the verification it prepares (profiled: ~0.25 ms per
 * call in the CT paths), and the same few keys — issuing CAs, CT logs — are
 * used for every certificate.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { BoundedCache } from './bounded-cache.js';

const keys = new BoundedCache<string, KeyObject>(1000);

/** The KeyObject of a DER SubjectPublicKeyInfo; throws like `createPublicKey` for an unusable key. */
export function publicKeyFromSpki(spki: Uint8Array): KeyObject {
  const id = Buffer.from(spki.buffer, spki.byteOffset, spki.byteLength).toString('base64');
  let key = keys.get(id);
  if (key === undefined) {
    key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    keys.set(id, key);
  }
  return key;
}
