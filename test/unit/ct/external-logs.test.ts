import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { generateKeyPairSync } from 'node:crypto';
import { ConfigError, validateConfig } from '../../../src/config/load.js';
import { externalLogDescriptors } from '../../../src/ct/client/index.js';
import { hex, spkiOf } from './client-fixtures.js';
import * as v from './published-vectors.js';

type LogInput = { name: string; url: string; key: string; operator: string; startInclusive?: string; endExclusive?: string };

const config = (logs: LogInput[]) => validateConfig({ dataDir: '/tmp/shomei-ct-config', ct: { logs } });
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

test('ct.logs become descriptors: log id from the key, base URL ending in /, temporal window as dates', () => {
  const rsa = spkiOf(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
  const [argon, other] = externalLogDescriptors(
    config([
      {
        name: 'test-log',
        url: 'https://ct.example/logs/argon2027h1',
        key: v.LOG_PUBLIC_KEY_B64,
        operator: 'Example',
        startInclusive: '2027-01-01T00:00:00Z',
        endExclusive: '2027-07-01T00:00:00Z',
      },
      { name: 'rsa-log', url: 'http://ct.internal/rsa/', key: b64(rsa), operator: 'Internal' },
    ]),
  );
  assert.equal(argon!.name, 'test-log');
  assert.equal(argon!.url, 'https://ct.example/logs/argon2027h1/');
  assert.equal(argon!.operator, 'Example');
  assert.equal(hex(argon!.logId), v.LOG_ID_HEX);
  assert.equal(hex(argon!.publicKeySpki), hex(Buffer.from(v.LOG_PUBLIC_KEY_B64, 'base64')));
  assert.equal(argon!.startInclusive?.toISOString(), '2027-01-01T00:00:00.000Z');
  assert.equal(argon!.endExclusive?.toISOString(), '2027-07-01T00:00:00.000Z');
  assert.equal(other!.url, 'http://ct.internal/rsa/');
  assert.equal(other!.startInclusive, undefined);
  assert.equal(other!.endExclusive, undefined);
  assert.deepEqual(externalLogDescriptors(config([])), []);
});

test('ct.logs mistakes are ConfigErrors naming the field', () => {
  const p384 = b64(spkiOf(generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey));
  const rsa1024 = b64(spkiOf(generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey));
  const base = { name: 'l', url: 'https://ct.example/l/', key: v.LOG_PUBLIC_KEY_B64, operator: 'E' };
  const cases: Array<[Partial<LogInput>, RegExp]> = [
    [{ key: 'not base64!' }, /ct\.logs\[0\]\.key: expected the log's DER SubjectPublicKeyInfo/],
    [{ key: b64(Uint8Array.of(1, 2, 3)) }, /ct\.logs\[0\]\.key: expected/],
    [{ key: p384 }, /ct\.logs\[0\]\.key: a CT log key must be ECDSA P-256 or RSA/],
    [{ key: rsa1024 }, /ct\.logs\[0\]\.key: a CT log key must be/],
    [{ url: 'https://ct.example/l/ct/v1/' }, /ct\.logs\[0\]\.url: give the log's base URL, without ct\/v1\//],
    [{ url: 'ftp://ct.example/l/' }, /ct\.logs\[0\]\.url: expected an http\(s\) URL/],
    [{ startInclusive: '2027-07-01T00:00:00Z', endExclusive: '2027-01-01T00:00:00Z' }, /ct\.logs\[0\]: startInclusive must be before endExclusive/],
  ];
  for (const [change, message] of cases) {
    assert.throws(() => externalLogDescriptors(config([{ ...base, ...change }])), (e: unknown) => e instanceof ConfigError && message.test(e.message), String(message));
  }
});
