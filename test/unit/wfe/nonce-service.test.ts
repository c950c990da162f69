import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { FakeClock } from '../../../src/core/clock.js';
import { openDatabase, StorageAuthority } from '../../../src/sa/index.js';
import { NonceService } from '../../../src/wfe/nonce-service.js';
import { freshDatabaseUrl } from '../../support/database.js';

describe('RFC 8555 §6.5 nonces: MAC-protected, time-limited, single-use across instances', () => {
  let sa: StorageAuthority;
  let cleanup: () => Promise<void>;
  const clock = new FakeClock('2026-11-21T00:00:00Z');
  const key = randomBytes(32);
  before(async () => {
    const db = await freshDatabaseUrl();
    cleanup = db.cleanup;
    sa = new StorageAuthority(openDatabase(db.url));
    await sa.migrate();
  });
  after(async () => {
    await sa.close();
    await cleanup();
  });

  test('issued nonces are distinct base64url strings', () => {
    const n = new NonceService(sa, clock, 3600, key);
    const a = n.issue();
    assert.match(a, /^[A-Za-z0-9_-]+$/);
    assert.notEqual(a, n.issue());
  });

  test('a nonce from one instance is redeemed once by another instance with the same key', async () => {
    const one = new NonceService(sa, clock, 3600, key);
    const two = new NonceService(sa, clock, 3600, key);
    const v = one.issue();
    assert.equal(await two.redeem(v), true);
    assert.equal(await one.redeem(v), false);
  });

  test('concurrent redemptions of one nonce in the same batch: exactly one wins', async () => {
    const n = new NonceService(sa, clock, 3600, key);
    const v = n.issue();
    const others = [n.issue(), n.issue()];
    const results = await Promise.all([n.redeem(v), n.redeem(v), n.redeem(v), ...others.map((o) => n.redeem(o))]);
    assert.deepEqual(results.slice(0, 3).filter(Boolean).length, 1);
    assert.deepEqual(results.slice(3), [true, true]);
  });

  test('forged, truncated or foreign nonces are refused', async () => {
    const n = new NonceService(sa, clock, 3600, key);
    const v = n.issue();
    const raw = Buffer.from(v, 'base64url');
    raw[10] = (raw[10] as number) ^ 1;
    assert.equal(await n.redeem(raw.toString('base64url')), false, 'tampered body');
    assert.equal(await n.redeem(v.slice(0, -2)), false, 'truncated');
    assert.equal(await new NonceService(sa, clock, 3600, randomBytes(32)).redeem(n.issue()), false, 'other key');
    assert.equal(await n.redeem('AAAA'), false);
  });

  test('a nonce older than its lifetime is refused', async () => {
    const n = new NonceService(sa, clock, 60, key);
    const v = n.issue();
    clock.advance(61_000);
    assert.equal(await n.redeem(v), false);
  });
});
