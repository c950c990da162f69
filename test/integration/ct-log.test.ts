// The built-in RFC 6962 logs end to end over real HTTP on 127.0.0.1 and a
// real database (SQLite; PostgreSQL with SHOMEI_TEST_DB=postgres): submit
// (pre)certificates, verify the SCT signatures, inclusion proofs against a
// fresh STH and consistency proofs between two STHs — each checked with
// node:crypto and the Merkle verifiers, never by asking the log again.
import { after, before, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto';
import { statSync } from 'node:fs';
import { tbsOf } from '../../src/ca/tbs-extensions.js';
import { FakeClock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/logger.js';
import { openBuiltinLogs } from '../../src/ct/log/builtin-logs.js';
import { logKeyPath } from '../../src/ct/log/log-key.js';
import { leafHash, mth, verifyConsistency, verifyInclusion } from '../../src/ct/log/merkle.js';
import {
  decodeDigitallySigned,
  encodeCertificateChain,
  encodePrecertChainEntry,
  merkleTreeLeaf,
  sctFromJson,
  sctSignatureInput,
  treeHeadSignatureInput,
  type Sct,
  type SignedEntry,
} from '../../src/ct/rfc6962.js';
import { startCtLogFixture, type CtLogFixture } from '../support/ct-log-fixture.js';

const clock = new FakeClock('2026-11-21T00:00:00Z');
let fx: CtLogFixture;
let logUrl: string;
let logSpki: Uint8Array;

before(async () => {
  fx = await startCtLogFixture({ clock });
  const d = fx.logs.descriptors(fx.baseUrl)[0]!;
  logUrl = `${d.url}ct/v1/`;
  logSpki = d.publicKeySpki;
});
after(async () => {
  await fx.close();
});

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');
const unb64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));
const sha256 = (b: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(b).digest());

async function post(path: string, chain: Uint8Array[]): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(logUrl + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chain: chain.map(b64) }) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function get(path: string): Promise<Record<string, unknown>> {
  const res = await fetch(logUrl + path);
  assert.equal(res.status, 200, `${path}: ${res.status} ${await res.clone().text()}`);
  return (await res.json()) as Record<string, unknown>;
}

function verifiesWithLogKey(data: Uint8Array, sig: Uint8Array): boolean {
  const key = createPublicKey({ key: Buffer.from(logSpki), format: 'der', type: 'spki' });
  return nodeVerify('sha256', data, { key, dsaEncoding: 'der' }, sig);
}

interface Sth {
  size: number;
  timestamp: number;
  root: Uint8Array;
  sig: Uint8Array;
}

/** get-sth, with its signature checked (§3.5: ECDSA P-256 SHA-256 over the TreeHeadSignature). */
async function verifiedSth(): Promise<Sth> {
  const j = await get('get-sth');
  const sth = { size: j.tree_size as number, timestamp: j.timestamp as number, root: unb64(j.sha256_root_hash as string), sig: unb64(j.tree_head_signature as string) };
  const ds = decodeDigitallySigned(sth.sig);
  assert.deepEqual([ds.hashAlgorithm, ds.signatureAlgorithm], [4, 3]);
  assert.ok(verifiesWithLogKey(treeHeadSignatureInput(BigInt(sth.timestamp), BigInt(sth.size), sth.root), ds.signature), 'STH signature');
  return sth;
}

function precertEntry(tbsWithoutPoison: Uint8Array): SignedEntry {
  return { type: 'precert', issuerKeyHash: sha256(fx.hierarchy.intermediateSigner.spki), tbsDer: tbsWithoutPoison };
}

function checkSct(sct: Sct, entry: SignedEntry): void {
  assert.deepEqual(sct.logId, sha256(logSpki), 'log id = SHA-256 of the log key');
  assert.equal(sct.hashAlgorithm, 4);
  assert.equal(sct.signatureAlgorithm, 3);
  assert.equal(sct.timestampMs, BigInt(clock.now().getTime()));
  assert.ok(verifiesWithLogKey(sctSignatureInput(sct.timestampMs, entry, sct.extensions), sct.signature), 'SCT signature');
}

/** Leaf hashes of the whole log, from get-entries (paged as the log chooses). */
async function allLeafHashes(size: number): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  while (out.length < size) {
    const j = await get(`get-entries?start=${out.length}&end=${size - 1}`);
    const entries = j.entries as Array<{ leaf_input: string }>;
    assert.ok(entries.length > 0);
    for (const e of entries) out.push(leafHash(unb64(e.leaf_input)));
  }
  return out;
}

let firstSth: Sth;
let precert: Awaited<ReturnType<CtLogFixture['issue']>>;
let precertSct: Sct;
let lastSct: Sct;

test('§4.2 add-pre-chain: the SCT signs the precert entry (issuer key hash, TBS without the poison)', async () => {
  precert = await fx.issue(['pre.example.test', 'www.pre.example.test'], { precert: true });
  const r = await post('add-pre-chain', precert.chain);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  precertSct = sctFromJson(r.body);
  checkSct(precertSct, precertEntry(precert.tbsWithoutPoison));
  // The same SCT does not verify over the precertificate's own (poisoned) TBS.
  const poisoned = precertEntry(tbsOf(precert.der));
  assert.ok(!verifiesWithLogKey(sctSignatureInput(precertSct.timestampMs, poisoned, new Uint8Array(0)), precertSct.signature));
});

test('§4.1 add-chain: the SCT signs the x509 entry; the root may be omitted and is stored anyway (§3.1)', async () => {
  clock.advance(1000);
  const cert = await fx.issue(['cert.example.test']);
  const r = await post('add-chain', cert.chain.slice(0, 2));
  assert.equal(r.status, 200, JSON.stringify(r.body));
  lastSct = sctFromJson(r.body);
  checkSct(lastSct, { type: 'x509', certDer: cert.der });
  const e = await get('get-entries?start=1&end=1');
  const [entry] = e.entries as Array<{ leaf_input: string; extra_data: string }>;
  assert.deepEqual(unb64(entry!.extra_data), encodeCertificateChain([fx.hierarchy.intermediate.der, fx.hierarchy.root.der]));
});

test('§4.1 resubmitting the same (pre)certificate returns the SCT already issued and adds nothing', async () => {
  const before = await verifiedSth();
  clock.advance(5000);
  const r = await post('add-pre-chain', precert.chain);
  assert.equal(r.status, 200);
  assert.deepEqual(sctFromJson(r.body), precertSct);
  assert.equal((await verifiedSth()).size, before.size);
});

test('§4.3/§4.5 get-sth and get-proof-by-hash: inclusion of both entries verifies against a fresh STH', async () => {
  firstSth = await verifiedSth();
  assert.equal(firstSth.size, 2);
  // Signed after the last entry (the one the previous test fetched: the tree has not changed since).
  assert.ok(firstSth.timestamp >= Number(lastSct.timestampMs) && firstSth.timestamp <= clock.now().getTime());
  const leaf = leafHash(merkleTreeLeaf(precertSct.timestampMs, precertEntry(precert.tbsWithoutPoison), new Uint8Array(0)));
  const j = await get(`get-proof-by-hash?hash=${encodeURIComponent(b64(leaf))}&tree_size=${firstSth.size}`);
  assert.equal(j.leaf_index, 0);
  const path = (j.audit_path as string[]).map(unb64);
  assert.ok(verifyInclusion(0, firstSth.size, leaf, path, firstSth.root));
  assert.ok(!verifyInclusion(0, firstSth.size, sha256(leaf), path, firstSth.root));
});

test('§4.6 get-entries: leaf_input is the MerkleTreeLeaf, extra_data the PrecertChainEntry; the root matches the STH', async () => {
  const j = await get('get-entries?start=0&end=0');
  const [e] = j.entries as Array<{ leaf_input: string; extra_data: string }>;
  assert.deepEqual(unb64(e!.leaf_input), merkleTreeLeaf(precertSct.timestampMs, precertEntry(precert.tbsWithoutPoison), new Uint8Array(0)));
  assert.deepEqual(unb64(e!.extra_data), encodePrecertChainEntry(precert.der, [fx.hierarchy.intermediate.der, fx.hierarchy.root.der]));
  assert.deepEqual(mth(await allLeafHashes(firstSth.size)), firstSth.root);
});

test('get-sth re-signs only when the tree changed or the STH is an hour old', async () => {
  const a = await verifiedSth();
  clock.advance(60_000);
  const b = await verifiedSth();
  assert.deepEqual(b, a, 'unchanged tree: the stored STH');
  clock.advance(3_600_000);
  const c = await verifiedSth();
  assert.equal(c.size, a.size);
  assert.equal(c.timestamp, clock.now().getTime());
  assert.deepEqual(c.root, a.root);
});

test('concurrent submissions are sequenced one at a time: distinct indexes, no lost entry, consistent tree', async () => {
  const certs = await Promise.all(Array.from({ length: 24 }, (_, i) => fx.issue([`c${i}.concurrent.example.test`])));
  const results = await Promise.all(certs.map((c, i) => post(i % 2 === 0 ? 'add-chain' : 'add-chain', c.chain)));
  for (const r of results) assert.equal(r.status, 200, JSON.stringify(r.body));
  const sth = await verifiedSth();
  assert.equal(sth.size, firstSth.size + certs.length);
  const leaves = await allLeafHashes(sth.size);
  assert.deepEqual(mth(leaves), sth.root, 'STH root = MTH of the entries the log serves');
  // Every certificate is in the log exactly once, at the index get-proof-by-hash gives.
  const seen = new Set<number>();
  for (let i = 0; i < certs.length; i++) {
    const sct = sctFromJson(results[i]!.body);
    const leaf = leafHash(merkleTreeLeaf(sct.timestampMs, { type: 'x509', certDer: certs[i]!.der }, new Uint8Array(0)));
    const p = await get(`get-proof-by-hash?hash=${encodeURIComponent(b64(leaf))}&tree_size=${sth.size}`);
    const idx = p.leaf_index as number;
    assert.ok(!seen.has(idx));
    seen.add(idx);
    assert.ok(verifyInclusion(idx, sth.size, leaf, (p.audit_path as string[]).map(unb64), sth.root));
  }
});

test('§4.4 get-sth-consistency: the first STH is a prefix of the second; §4.8 get-entry-and-proof', async () => {
  const second = await verifiedSth();
  assert.ok(second.size > firstSth.size);
  const j = await get(`get-sth-consistency?first=${firstSth.size}&second=${second.size}`);
  const proof = (j.consistency as string[]).map(unb64);
  assert.ok(proof.length > 0);
  assert.ok(verifyConsistency(firstSth.size, second.size, firstSth.root, second.root, proof));
  assert.ok(!verifyConsistency(firstSth.size, second.size, sha256(firstSth.root), second.root, proof));
  // Every (m, n) pair up to the current size, against roots computed from the entries.
  const leaves = await allLeafHashes(second.size);
  for (const m of [1, 2, 3, 7, 8, 13]) {
    for (const n of [m, m + 1, 16, second.size]) {
      if (n < m || n > second.size) continue;
      const c = await get(`get-sth-consistency?first=${m}&second=${n}`);
      assert.ok(verifyConsistency(m, n, mth(leaves.slice(0, m)), mth(leaves.slice(0, n)), (c.consistency as string[]).map(unb64)), `${m}→${n}`);
    }
  }
  const idx = 5;
  const ep = await get(`get-entry-and-proof?leaf_index=${idx}&tree_size=${second.size}`);
  const leaf = leafHash(unb64(ep.leaf_input as string));
  assert.deepEqual(leaf, leaves[idx]);
  assert.ok(verifyInclusion(idx, second.size, leaf, (ep.audit_path as string[]).map(unb64), second.root));
});

test('§4.7 get-roots lists the accepted roots', async () => {
  const j = await get('get-roots');
  assert.deepEqual(j.certificates, [b64(fx.hierarchy.root.der)]);
});

test('§4.6 get-entries returns at most 256 entries and never past the end (end may exceed the tree)', async () => {
  const sth = await verifiedSth();
  const j = await get(`get-entries?start=1&end=${sth.size + 1000}`);
  assert.equal((j.entries as unknown[]).length, sth.size - 1);
  for (let i = 0; i < 240; i++) await post('add-chain', (await fx.issue([`bulk${i}.example.test`])).chain);
  const big = await get('get-entries?start=0&end=100000');
  assert.equal((big.entries as unknown[]).length, 256);
});

test('the log key is a 0600 PKCS#8 file; reopening keeps the key, the id and the tree', async () => {
  const path = logKeyPath(fx.config.dataDir, 'shomei-dev-a');
  assert.equal(statSync(path).mode & 0o777, 0o600);
  const sth = await verifiedSth();
  const again = await openBuiltinLogs({
    config: fx.config,
    sa: fx.sa,
    clock,
    logger: createLogger('silent'),
    acceptedRoots: () => [fx.hierarchy.root.der],
  });
  const d = again.descriptors(fx.baseUrl);
  assert.deepEqual(d.map((x) => x.name), ['shomei-dev-a', 'shomei-dev-b']);
  assert.deepEqual(d[0]!.publicKeySpki, logSpki);
  assert.notDeepEqual(d[1]!.logId, d[0]!.logId, 'each log has its own key');
  const reopened = await again.logs[0]!.sth();
  assert.equal(reopened.treeSize, sth.size);
  assert.deepEqual(reopened.rootHash, sth.root);
});

test('/ct/log-list.json describes both logs (v3 shape: log_id = SHA-256 of key, url, mmd, distinct operators)', async () => {
  const res = await fetch(`${fx.baseUrl}/ct/log-list.json`);
  assert.equal(res.status, 200);
  const list = (await res.json()) as { operators: Array<{ name: string; logs: Array<{ log_id: string; key: string; url: string; mmd: number }> }> };
  assert.deepEqual(list.operators.map((o) => o.name), ['Shomei Dev Log Operator A', 'Shomei Dev Log Operator B']);
  for (const op of list.operators) {
    const [l] = op.logs;
    assert.equal(l!.log_id, b64(sha256(unb64(l!.key))));
    assert.match(l!.url, new RegExp(`^${fx.baseUrl}/ct/shomei-dev-[ab]/$`));
    assert.equal(l!.mmd, 86400);
  }
});
