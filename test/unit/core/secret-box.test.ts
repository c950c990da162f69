import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretBox } from '../../../src/core/secret-box.js';

test('SecretBox seals with AES-256-GCM: round trip, tamper and wrong context are refused', () => {
  const box = new SecretBox(randomBytes(32));
  const secret = Buffer.from('hmac key material');
  const sealed = box.seal(secret, 'eab:kid-1');
  assert.ok(!sealed.includes(secret.toString('base64url')));
  assert.deepEqual(box.open(sealed, 'eab:kid-1'), secret);
  assert.throws(() => box.open(sealed, 'eab:kid-2'), 'bound to its context (a sealed key cannot be moved to another kid)');
  const parts = sealed.split('.');
  const ct = Buffer.from(parts[3] as string, 'base64url');
  ct[0] = (ct[0] as number) ^ 1;
  assert.throws(() => box.open([parts[0], parts[1], parts[2], ct.toString('base64url')].join('.'), 'eab:kid-1'));
  assert.throws(() => new SecretBox(randomBytes(16)).open(sealed, 'eab:kid-1'));
});

test('SecretBox.fromFile creates a 0600 master key once and reuses it', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'box-')), 'secrets', 'master.key');
  const a = SecretBox.fromFile(path);
  assert.equal(statSync(path).mode & 0o777, 0o600);
  const b = SecretBox.fromFile(path);
  assert.deepEqual(b.open(a.seal(Buffer.from('x'), 'c'), 'c'), Buffer.from('x'));
});
