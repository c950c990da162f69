import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { newSerialHex } from '../../../src/ca/serial.js';
import { crlIssuerId, crlShardFor, crlShardUrl, parseCrlShardPath } from '../../../src/crl/shard-url.js';

const KEY_ID = 'F34326D16EF8257D22C033DC483B420904B7F044';

describe('CRL shard assignment', () => {
  test('a serial always lands on the same shard: its value modulo the shard count', () => {
    for (let i = 0; i < 200; i++) {
      const serial = newSerialHex();
      const shard = crlShardFor(serial, 4);
      assert.equal(shard, Number(BigInt(`0x${serial}`) % 4n));
      assert.equal(crlShardFor(serial, 4), shard);
    }
    assert.equal(crlShardFor('0a', 7), 3);
    assert.equal(crlShardFor('ffff', 1), 0);
  });

  test('the DER sign byte does not change the shard (00ab… and ab… are one serial)', () => {
    assert.equal(crlShardFor('00ab12cd', 5), crlShardFor('ab12cd', 5));
    assert.equal(crlShardFor('00AB12CD', 5), crlShardFor('ab12cd', 5));
  });

  test('random serials spread evenly over the shards', () => {
    for (const shards of [4, 7]) {
      const counts = new Array<number>(shards).fill(0);
      const n = 2000 * shards;
      for (let i = 0; i < n; i++) counts[crlShardFor(newSerialHex(), shards)]! += 1;
      // Expected 2000 each, standard deviation ≈ 42: ±250 is beyond 5σ.
      for (const c of counts) assert.ok(c > 1750 && c < 2250, `uneven spread over ${shards} shards: ${counts.join(', ')}`);
    }
  });

  test('invalid shard counts and serials are refused', () => {
    assert.throws(() => crlShardFor('ab', 0), /shard count/);
    assert.throws(() => crlShardFor('ab', 1025), /shard count/);
    assert.throws(() => crlShardFor('ab', 2.5), /shard count/);
    assert.throws(() => crlShardFor('', 4), /not a serial/);
  });
});

describe('CRL shard URLs (BR §7.1.2.11.2, §7.2.2.1)', () => {
  test('http://<base>/crl/<first 16 hex of the issuer key id>/<shard>.crl', () => {
    assert.equal(crlShardUrl('http://localhost:14080', KEY_ID, 3), 'http://localhost:14080/crl/f34326d16ef8257d/3.crl');
    assert.equal(crlIssuerId(KEY_ID), 'f34326d16ef8257d');
  });

  test('a base path is kept, trailing slashes and default ports are normalised', () => {
    assert.equal(crlShardUrl('http://pki.example/ca/', KEY_ID, 0), 'http://pki.example/ca/crl/f34326d16ef8257d/0.crl');
    assert.equal(crlShardUrl('http://PKI.Example:80//', KEY_ID, 12), 'http://pki.example/crl/f34326d16ef8257d/12.crl');
  });

  test('only http:// is allowed (BR §7.1.2.11.2)', () => {
    assert.throws(() => crlShardUrl('https://pki.example', KEY_ID, 0), /http:\/\//);
    assert.throws(() => crlShardUrl('ftp://pki.example', KEY_ID, 0), /http:\/\//);
  });

  test('credentials, queries, fragments, bad key ids and shards are refused', () => {
    assert.throws(() => crlShardUrl('http://u:p@pki.example', KEY_ID, 0), /credentials/);
    assert.throws(() => crlShardUrl('http://pki.example/?x=1', KEY_ID, 0), /query/);
    assert.throws(() => crlShardUrl('http://pki.example', 'abcdef', 0), /16 hex/);
    assert.throws(() => crlShardUrl('http://pki.example', 'zz'.repeat(10), 0), /16 hex/);
    for (const shard of [-1, 1.5, 1024]) assert.throws(() => crlShardUrl('http://pki.example', KEY_ID, shard), /outside/);
  });

  test('the listener finds issuer and shard from the path of every URL it hands out', () => {
    for (const shard of [0, 3, 10, 1023]) {
      const url = new URL(crlShardUrl('http://pki.example', KEY_ID, shard));
      assert.deepEqual(parseCrlShardPath(url.pathname), { issuerId: 'f34326d16ef8257d', shard });
    }
    assert.deepEqual(parseCrlShardPath('/crl/f34326d16ef8257d/2.crl?cache=bust'), { issuerId: 'f34326d16ef8257d', shard: 2 });
  });

  test('only the canonical spelling is a shard path', () => {
    for (const path of [
      '/crl/F34326D16EF8257D/2.crl',
      '/crl/f34326d16ef8257d/02.crl',
      '/crl/f34326d16ef8257d/2.der',
      '/crl/f34326d16ef8257/2.crl',
      '/crl/f34326d16ef8257d/1024.crl',
      '/crl/f34326d16ef8257d/-1.crl',
      '/crl/f34326d16ef8257d/2.crl/x',
      '/x/crl/f34326d16ef8257d/2.crl',
    ]) {
      assert.equal(parseCrlShardPath(path), undefined, path);
    }
  });
});
