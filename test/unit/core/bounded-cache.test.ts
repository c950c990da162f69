import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { BoundedCache } from '../../../src/core/bounded-cache.js';

test('BoundedCache evicts the least recently used entry beyond its size', () => {
  const c = new BoundedCache<string, number>(2);
  c.set('a', 1);
  c.set('b', 2);
  assert.equal(c.get('a'), 1); // a is now the most recent
  c.set('c', 3);
  assert.equal(c.get('b'), undefined);
  assert.equal(c.get('a'), 1);
  assert.equal(c.get('c'), 3);
  assert.equal(c.size, 2);
});
