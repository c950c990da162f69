import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { generateKeyPairSync } from 'node:crypto';
import { ROCA_MODULUS, fermatFactor, hasRocaFingerprint, isqrt, smallPrimeFactor } from '../../../src/ca/weak-rsa.js';
import { nextPrime, prime1024, rocaStylePrime } from './fixtures.js';

function modulusOf(bits: number): bigint {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const jwk = publicKey.export({ format: 'jwk' });
  return BigInt(`0x${Buffer.from(jwk.n!, 'base64url').toString('hex')}`);
}

test('isqrt is the floor square root', () => {
  for (const n of [0n, 1n, 2n, 3n, 4n, 15n, 16n, 17n, (1n << 200n) - 1n, 1n << 200n, 12345678901234567890n ** 3n]) {
    const r = isqrt(n);
    assert.ok(r * r <= n && (r + 1n) * (r + 1n) > n, `isqrt(${n})`);
  }
});

test('BR §6.1.1.3 Fermat: primes close together are found and returned', () => {
  const p = prime1024();
  const q = nextPrime(p + (1n << 400n));
  const f = fermatFactor(p * q, 100);
  assert.deepEqual(f, [p, q]);
});

test('BR §6.1.1.3 Fermat: a gap needing more than 100 rounds is not reported', () => {
  // With a ≈ √n the round count is about (q−p)² / (8√n); 2^520 apart needs ~2^13 rounds.
  const p = prime1024();
  const q = nextPrime(p + (1n << 520n));
  assert.equal(fermatFactor(p * q, 100), null);
  assert.deepEqual(fermatFactor(p * q, 100_000), [p, q]);
});

test('Fermat does not fire on ordinary OpenSSL keys', () => {
  assert.equal(fermatFactor(modulusOf(2048)), null);
});

test('ROCA modulus constant is the product of the primes 2…167 (published M)', () => {
  const primes: bigint[] = [];
  for (let n = 2n; n <= 167n; n++) if (primes.every((p) => n % p !== 0n)) primes.push(n);
  assert.equal(primes.reduce((a, b) => a * b, 1n), ROCA_MODULUS);
});

test('ROCA: a modulus of two Infineon-form primes carries the fingerprint', () => {
  const n = rocaStylePrime(ROCA_MODULUS) * rocaStylePrime(ROCA_MODULUS);
  assert.equal(n.toString(2).length, 2048);
  assert.equal(hasRocaFingerprint(n), true);
});

test('ROCA: ordinary keys and a neighbouring value do not', () => {
  const n = modulusOf(2048);
  assert.equal(hasRocaFingerprint(n), false);
  const roca = rocaStylePrime(ROCA_MODULUS) * rocaStylePrime(ROCA_MODULUS);
  assert.equal(hasRocaFingerprint(roca + 2n), false);
});

test('smallPrimeFactor finds factors below 1000', () => {
  assert.equal(smallPrimeFactor(997n * prime1024()), 997n);
  assert.equal(smallPrimeFactor(modulusOf(2048)), null);
});
