/**
 * Certificate serial numbers.
 *
 * BR §7.1.2.7 (via §7.1): serialNumber MUST be non-sequential, greater than
 * zero, less than 2^159 and contain at least 64 bits of CSPRNG output.
 * RFC 5280 §4.1.2.2: a positive INTEGER of at most 20 octets.
 *
 * Representation: lower-case hex of the DER INTEGER content octets — minimal
 * two's complement, so a 0x00 is prefixed when the top bit of the first
 * random byte is set (keeps the INTEGER positive without discarding entropy).
 * This matches what @peculiar/x509's `X509Certificate.serialNumber` reports.
 */
import { randomFillSync } from 'node:crypto';
import { minimalUnsignedIntegerContent } from './der.js';

export const SERIAL_RANDOM_BYTES = 16; // 128 bits of CSPRNG output

export type RandomSource = (size: number) => Uint8Array;

const POOL_SIZE = 4096;
const pool = new Uint8Array(POOL_SIZE);
let poolOffset = POOL_SIZE;

/**
 * CSPRNG bytes (OpenSSL's RAND_bytes through randomFillSync), drawn from a
 * pool refilled 4 KiB at a time: one call into OpenSSL per 256 serials
 * instead of one each. Every byte is handed out once.
 */
export function pooledRandomBytes(size: number): Uint8Array {
  if (size > POOL_SIZE) return randomFillSync(new Uint8Array(size));
  if (poolOffset + size > POOL_SIZE) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const out = pool.slice(poolOffset, poolOffset + size);
  pool.fill(0, poolOffset, poolOffset + size);
  poolOffset += size;
  return out;
}

/** A fresh serial: 128 CSPRNG bits, positive, DER-minimal, never zero. */
export function newSerialHex(random: RandomSource = pooledRandomBytes): string {
  for (;;) {
    const bytes = random(SERIAL_RANDOM_BYTES);
    if (bytes.length !== SERIAL_RANDOM_BYTES) throw new Error('random source returned the wrong length');
    // > 0 (BR §7.1): an all-zero draw (probability 2^-128) is drawn again.
    if (bytes.every((b) => b === 0)) continue;
    return Buffer.from(minimalUnsignedIntegerContent(bytes)).toString('hex');
  }
}

/**
 * True when `hex` is the DER content of a positive INTEGER that fits the BR
 * and RFC 5280 limits (< 2^159, ≤ 20 octets) and is minimally encoded.
 */
export function isValidSerialHex(hex: string): boolean {
  if (!/^(?:[0-9a-f]{2})+$/.test(hex)) return false;
  const b = Buffer.from(hex, 'hex');
  if (b.length > 20) return false;
  if (b[0]! & 0x80) return false; // negative
  if (b.length > 1 && b[0] === 0 && (b[1]! & 0x80) === 0) return false; // not minimal
  if (b.every((x) => x === 0)) return false; // zero
  // < 2^159: 20 octets allowed only with a clear top bit (already checked), i.e. value < 2^159.
  return true;
}

/** DER INTEGER content octets of a valid serial hex string. */
export function serialHexToBytes(hex: string): Uint8Array {
  if (!isValidSerialHex(hex)) throw new Error(`invalid certificate serial ${JSON.stringify(hex)}`);
  return new Uint8Array(Buffer.from(hex, 'hex'));
}
