import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { isValidSerialHex, newSerialHex, serialHexToBytes } from '../../../src/ca/serial.js';

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
