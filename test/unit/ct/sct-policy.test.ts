import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { generateKeyPairSync } from 'node:crypto';
import { chooseScts, logAcceptsNotAfter, policyShortfall } from '../../../src/ct/client/index.js';
import { logIdOf } from '../../../src/ct/rfc6962.js';
import type { CtLogDescriptor } from '../../../src/ct/types.js';
import { spkiOf } from './client-fixtures.js';

function log(name: string, operator: string, extra: Partial<CtLogDescriptor> = {}): CtLogDescriptor {
  const spki = spkiOf(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
  return { name, url: `http://127.0.0.1:1/${name}/`, operator, publicKeySpki: spki, logId: logIdOf(spki), mmdSeconds: 86400, ...extra };
}

const names = (picked: Array<{ log: CtLogDescriptor }> | undefined) => picked?.map((p) => p.log.name);

test('chooseScts covers operators first, then fills up, keeping log order', () => {
  const [a1, a2, a3, b1] = [log('a1', 'A'), log('a2', 'A'), log('a3', 'A'), log('b1', 'B')];
  const valid = [a1, a2, a3, b1].map((l) => ({ log: l }));
  assert.deepEqual(names(chooseScts(valid, { minScts: 2, minDistinctOperators: 2 })), ['a1', 'b1']);
  assert.deepEqual(names(chooseScts(valid, { minScts: 3, minDistinctOperators: 2 })), ['a1', 'a2', 'b1']);
  assert.deepEqual(names(chooseScts(valid, { minScts: 2, minDistinctOperators: 1 })), ['a1', 'a2']);
  assert.equal(chooseScts(valid, { minScts: 2, minDistinctOperators: 3 }), undefined);
  assert.equal(chooseScts(valid, { minScts: 5, minDistinctOperators: 1 }), undefined);
});

test('chooseScts: one SCT per log, and more operators than SCTs means more SCTs', () => {
  const [a1, b1, c1] = [log('a1', 'A'), log('b1', 'B'), log('c1', 'C')];
  // The same log twice counts once (browsers count distinct logs).
  assert.equal(chooseScts([{ log: a1 }, { log: a1 }], { minScts: 2, minDistinctOperators: 1 }), undefined);
  assert.deepEqual(names(chooseScts([{ log: a1 }, { log: b1 }, { log: c1 }], { minScts: 1, minDistinctOperators: 3 })), ['a1', 'b1', 'c1']);
});

test('policyShortfall names what is missing; operators differing only in case or spaces are one', () => {
  assert.match(policyShortfall([log('a', 'A')], { minScts: 2, minDistinctOperators: 1 }) ?? '', /2 SCTs from distinct logs are required but only 1/);
  assert.match(
    policyShortfall([log('a', 'Google'), log('b', ' google  ')], { minScts: 2, minDistinctOperators: 2 }) ?? '',
    /2 distinct log operators are required but the available logs have 1/,
  );
  assert.equal(policyShortfall([log('a', 'Google'), log('b', 'Cloudflare')], { minScts: 2, minDistinctOperators: 2 }), undefined);
});

test('temporal shard window is [startInclusive, endExclusive) on notAfter', () => {
  const l = log('s', 'A', { startInclusive: new Date('2027-01-01T00:00:00Z'), endExclusive: new Date('2027-07-01T00:00:00Z') });
  assert.equal(logAcceptsNotAfter(l, new Date('2026-12-31T23:59:59.999Z')), false);
  assert.equal(logAcceptsNotAfter(l, new Date('2027-01-01T00:00:00Z')), true);
  assert.equal(logAcceptsNotAfter(l, new Date('2027-06-30T23:59:59Z')), true);
  assert.equal(logAcceptsNotAfter(l, new Date('2027-07-01T00:00:00Z')), false);
  assert.equal(logAcceptsNotAfter(log('open', 'A'), new Date('2099-01-01T00:00:00Z')), true);
});
