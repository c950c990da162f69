import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { isValidSerialHex, newSerialHex, pooledRandomBytes, serialHexToBytes } from '../../../src/ca/serial.js';

test('serials are 128-bit, positive, DER-minimal lower-case hex', () => {
  const seen = new Set<string>();
  let withSignByte = 0;
  for (let i = 0; i < 1000; i++) {
    const s = newSerialHex();
    assert.match(s, /^[0-9a-f]+$/);
    assert.ok(isValidSerialHex(s), s);
    const b = Buffer.from(s, 'hex');
    assert.ok(b.length <= 17);
    assert.equal(b[0]! & 0x80, 0, 'DER INTEGER must be positive');
    if (b.length === 17) {
      assert.equal(b[0], 0);
      withSignByte++;
    }
    seen.add(s);
  }
  assert.equal(seen.size, 1000);
  assert.ok(withSignByte > 300 && withSignByte < 700, `about half need a 0x00 sign byte, got ${withSignByte}`);
});

test('a set top bit gets a 0x00 prefix instead of losing a bit', () => {
  assert.equal(newSerialHex(() => new Uint8Array(16).fill(0xff)), `00${'ff'.repeat(16)}`);
});

test('leading zero bytes are dropped (minimal encoding)', () => {
  const r = new Uint8Array(16);
  r[2] = 0x7f;
  r[15] = 1;
  assert.equal(newSerialHex(() => r), `7f${'00'.repeat(12)}01`);
});

test('an all-zero draw is drawn again (serial > 0)', () => {
  let calls = 0;
  const s = newSerialHex(() => {
    calls++;
    const b = new Uint8Array(16);
    if (calls > 1) b[15] = 5;
    return b;
  });
  assert.equal(calls, 2);
  assert.equal(s, '05');
});

test('isValidSerialHex rejects zero, negative, non-minimal, oversize and odd-length values', () => {
  assert.equal(isValidSerialHex('00'), false);
  assert.equal(isValidSerialHex('80'), false);
  assert.equal(isValidSerialHex('007f'), false);
  assert.equal(isValidSerialHex('0'), false);
  assert.equal(isValidSerialHex('AB'), false);
  assert.equal(isValidSerialHex('7f' + 'ff'.repeat(19)), true);
  assert.equal(isValidSerialHex('7f' + 'ff'.repeat(20)), false);
  assert.equal(isValidSerialHex('0080'), true);
  assert.throws(() => serialHexToBytes('00'));
  assert.deepEqual([...serialHexToBytes('0080')], [0, 0x80]);
});

test('pooled CSPRNG bytes: the requested length, never handed out twice, large requests served directly', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 2000; i++) {
    const b = pooledRandomBytes(16);
    assert.equal(b.length, 16);
    seen.add(Buffer.from(b).toString('hex'));
  }
  assert.equal(seen.size, 2000); // crosses several pool refills
  assert.equal(pooledRandomBytes(5000).length, 5000);
  assert.equal(pooledRandomBytes(0).length, 0);
});

test('PEM: 64-character lines, round trip', async () => {
  const { fromPem, toPem } = await import('../../../src/ca/pem.js');
  for (const n of [1, 47, 48, 49, 96, 1000]) {
    const der = Uint8Array.from({ length: n }, (_, i) => (i * 7) & 0xff);
    const pem = toPem('CERTIFICATE', der);
    const lines = pem.trimEnd().split('\n');
    assert.ok(lines.slice(1, -1).every((l, i, all) => (i < all.length - 1 ? l.length === 64 : l.length <= 64 && l.length > 0)));
    assert.deepEqual(Buffer.from(fromPem(pem, 'CERTIFICATE')), Buffer.from(der));
    assert.equal(pem, `-----BEGIN CERTIFICATE-----\n${(Buffer.from(der).toString('base64').match(/.{1,64}/g) ?? []).join('\n')}\n-----END CERTIFICATE-----\n`);
  }
});
