/**
 * Short Weierstrass parameters (y² = x³ − 3x + b mod p) of the two curves
 * Shomei certifies, from FIPS 186-4 §D.1.2.3 / §D.1.2.4 (SEC 2 secp256r1,
 * secp384r1), for the linter's own point-on-curve check.
 */
import type { SpkiKeyType } from './spki.js';

const CURVES: Record<Exclude<SpkiKeyType, 'RSA'>, { p: bigint; b: bigint; size: number }> = {
  'P-256': {
    p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
    b: 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn,
    size: 32,
  },
  'P-384': {
    p: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffffn,
    b: 0xb3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aefn,
    size: 48,
  },
};

function toBigInt(bytes: Uint8Array): bigint {
  return BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
}

/**
 * Why `point` is not an uncompressed point (RFC 5480 §2.2: 0x04 ‖ X ‖ Y) on
 * `curve` with coordinates below p (SEC 1 §3.2.2.1 partial validation; with
 * cofactor 1 that is full validation), or null when it is one.
 */
export function ecPointProblem(curve: Exclude<SpkiKeyType, 'RSA'>, point: Uint8Array): string | null {
  const { p, b, size } = CURVES[curve];
  if (point.length !== 1 + 2 * size || point[0] !== 0x04) return 'is not an uncompressed point';
  const x = toBigInt(point.subarray(1, 1 + size));
  const y = toBigInt(point.subarray(1 + size));
  if (x >= p || y >= p) return 'has a coordinate not below the field prime';
  const rhs = (((x * x) % p) * x - 3n * x + b) % p;
  return (y * y - rhs) % p === 0n ? null : 'is not on the curve';
}
