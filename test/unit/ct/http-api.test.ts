// Hostile input against the RFC 6962 §4 API of a built-in log (real HTTP on
// 127.0.0.1, real SQLite): every refusal is a 4xx with a JSON body naming
// the problem, nothing is a 500, and the log is unchanged afterwards.
import { after, before, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { FakeClock } from '../../../src/core/clock.js';
import { startCtLogFixture, type CtLogFixture } from '../../support/ct-log-fixture.js';

let fx: CtLogFixture;
let base: string;
const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');

before(async () => {
  fx = await startCtLogFixture({ clock: new FakeClock('2026-11-21T00:00:00Z') });
  base = `${fx.baseUrl}/ct/shomei-dev-a/ct/v1/`;
  // Two entries, so range checks have something to be outside of.
  for (const n of ['one.example.test', 'two.example.test']) {
    const c = await fx.issue([n]);
    const r = await fetch(`${base}add-chain`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chain: c.chain.map(b64) }) });
    assert.equal(r.status, 200);
  }
});
after(async () => {
  await fx.close();
});

async function expectError(path: string, status: number, re: RegExp, init?: RequestInit): Promise<void> {
  const res = await fetch(base + path, init);
  const text = await res.text();
  assert.equal(res.status, status, `${path}: ${text}`);
  const body = JSON.parse(text) as { success: boolean; error_message: string };
  assert.equal(body.success, false);
  assert.match(body.error_message, re, path);
}

const postJson = (body: string, contentType = 'application/json'): RequestInit => ({ method: 'POST', headers: { 'content-type': contentType }, body });

test('decimal parameters: missing, negative, signed, non-decimal, leading zeros, too large, repeated', async () => {
  await expectError('get-entries', 400, /missing parameter start/);
  await expectError('get-entries?start=0', 400, /missing parameter end/);
  for (const v of ['-1', '+1', 'abc', '1e3', '01', '0x10', '1.0', '', ' 1', '99999999999999999999']) {
    await expectError(`get-entries?start=${encodeURIComponent(v)}&end=1`, 400, /start/);
  }
  await expectError('get-entries?start=0&start=1&end=1', 400, /given once/);
});

test('range checks: end before start, start past the end, sizes larger than the log', async () => {
  await expectError('get-entries?start=1&end=0', 400, /end must not be smaller/);
  await expectError('get-entries?start=2&end=5', 400, /beyond the end of the log/);
  await expectError('get-sth-consistency?first=2&second=1', 400, /first must not be larger/);
  await expectError('get-sth-consistency?first=1&second=3', 400, /larger than the log/);
  await expectError('get-entry-and-proof?leaf_index=2&tree_size=2', 400, /smaller than tree_size/);
  await expectError('get-entry-and-proof?leaf_index=0&tree_size=9', 400, /larger than the log/);
  await expectError(`get-proof-by-hash?hash=${encodeURIComponent(b64(new Uint8Array(32)))}&tree_size=0`, 400, /at least 1/);
  await expectError(`get-proof-by-hash?hash=${encodeURIComponent(b64(new Uint8Array(32)))}&tree_size=3`, 400, /larger than the log/);
  // Safe integers far beyond 32 bits never reach the database's integer columns.
  const big = '9007199254740991';
  await expectError(`get-entries?start=${big}&end=${big}`, 400, /beyond the end/);
  await expectError(`get-sth-consistency?first=1&second=${big}`, 400, /larger than the log/);
  await expectError(`get-entry-and-proof?leaf_index=4294967296&tree_size=4294967297`, 400, /larger than the log/);
  await expectError(`get-proof-by-hash?hash=${encodeURIComponent(b64(new Uint8Array(32)))}&tree_size=${big}`, 400, /larger than the log/);
  const all = await fetch(`${base}get-entries?start=0&end=${big}`);
  assert.equal(all.status, 200);
  assert.equal(((await all.json()) as { entries: unknown[] }).entries.length, 2);
});

test('get-proof-by-hash: bad base64, wrong length → 400; unknown hash → 404; an unescaped + still works', async () => {
  await expectError('get-proof-by-hash?hash=!!!&tree_size=1', 400, /base64/);
  await expectError(`get-proof-by-hash?hash=${encodeURIComponent(b64(new Uint8Array(31)))}&tree_size=1`, 400, /SHA-256/);
  await expectError(`get-proof-by-hash?hash=${encodeURIComponent(b64(new Uint8Array(32).fill(1)))}&tree_size=1`, 404, /no entry/);
  // A hash whose base64 has '+', sent raw (it arrives as a space).
  const plusy = b64(new Uint8Array(32).fill(0xfb));
  assert.ok(plusy.includes('+'));
  await expectError(`get-proof-by-hash?hash=${plusy}&tree_size=1`, 404, /no entry/);
});

test('add-chain bodies: not JSON, not an object, no chain, wrong types, bad base64, garbage DER, too many', async () => {
  await expectError('add-chain', 400, /JSON/i, postJson('{"chain": [')); // unparsable
  await expectError('add-chain', 400, /JSON object/, postJson('[]'));
  await expectError('add-chain', 400, /chain must be an array/, postJson('{}'));
  await expectError('add-chain', 400, /chain must be an array/, postJson('{"chain": "MIIB"}'));
  await expectError('add-chain', 400, /chain is empty/, postJson('{"chain": []}'));
  await expectError('add-chain', 400, /chain\[0\] is not base64/, postJson('{"chain": [42]}'));
  await expectError('add-chain', 400, /chain\[1\] is not base64/, postJson('{"chain": ["AAAA", "not base64"]}'));
  await expectError('add-chain', 400, /chain\[0\] is empty/, postJson('{"chain": [""]}'));
  await expectError('add-chain', 400, /chain\[0\]/, postJson(JSON.stringify({ chain: [b64(randomBytes(200))] })));
  await expectError('add-chain', 400, /more than 10/, postJson(JSON.stringify({ chain: Array.from({ length: 11 }, () => 'AAAA') })));
  await expectError('add-pre-chain', 400, /poison/, postJson(JSON.stringify({ chain: (await fx.issue(['x.example.test'])).chain.map(b64) })));
  await expectError('add-chain', 400, /./, postJson('{"__proto__": {"chain": []}}'));
});

test('add-chain transport limits: wrong media type 415, oversized body 413 — as JSON', async () => {
  await expectError('add-chain', 415, /./, postJson('{"chain": []}', 'application/octet-stream'));
  // text/plain is parsed (as a string) by the listener, and then is not a JSON object.
  await expectError('add-chain', 400, /JSON object/, postJson('{"chain": []}', 'text/plain'));
  const huge = JSON.stringify({ chain: ['A'.repeat(300 * 1024)] });
  await expectError('add-chain', 413, /./, postJson(huge));
});

test('unknown paths, unknown logs and wrong methods are 404', async () => {
  for (const url of [`${base}get-nothing`, `${fx.baseUrl}/ct/no-such-log/ct/v1/get-sth`, `${base}add-chain`, `${fx.baseUrl}/ct/shomei-dev-a/`]) {
    const res = await fetch(url);
    assert.equal(res.status, 404, url);
  }
  const res = await fetch(`${base}get-sth`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  assert.equal(res.status, 404);
});

/** A raw request, so the path and query are sent byte for byte. */
function raw(path: string): Promise<number> {
  const u = new URL(fx.baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, method: 'GET' }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

test('fuzz: random queries and random chains never produce a 5xx, and the log is unchanged', async () => {
  const endpoints = ['get-entries', 'get-sth-consistency', 'get-proof-by-hash', 'get-entry-and-proof', 'get-sth', 'get-roots'];
  const params = ['start', 'end', 'first', 'second', 'hash', 'tree_size', 'leaf_index'];
  const values = ['0', '1', '2', '-1', '%00', '%ff', '9007199254740993', 'AAAA', '%2B%2F%3D', '', '[]', '%5B0%5D'];
  const pick = <T>(a: readonly T[]): T => a[randomBytes(1)[0]! % a.length]!;
  for (let i = 0; i < 300; i++) {
    const q = Array.from({ length: 1 + (i % 3) }, () => `${pick(params)}=${pick(values)}`).join('&');
    const status = await raw(`/ct/shomei-dev-a/ct/v1/${pick(endpoints)}?${q}`);
    assert.ok(status < 500, `${q} → ${status}`);
  }
  for (let i = 0; i < 60; i++) {
    const chain = Array.from({ length: 1 + (i % 4) }, () => b64(randomBytes(1 + (i * 37) % 700)));
    const res = await fetch(`${base}${i % 2 ? 'add-chain' : 'add-pre-chain'}`, postJson(JSON.stringify({ chain })));
    assert.equal(res.status, 400);
  }
  const sth = (await (await fetch(`${base}get-sth`)).json()) as { tree_size: number };
  assert.equal(sth.tree_size, 2);
});
