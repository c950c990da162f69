// Micro-benchmark of the CA's per-issuance CPU: checkCsr + issue for P-256
// CSRs, the way the RA's finalize calls them (the checked SPKI object is
// passed on to issue). Not a test (no .test.ts suffix): run it by hand.
//
//   node --import tsx bench/ca-micro.ts [--n 2000] [--warmup 300] [--concurrency 1]
//
// Prints wall-clock ops/s and µs/op, main-thread busy µs/op (event-loop
// utilisation: what limits a saturated server) and process CPU µs/op (all
// threads, including WebCrypto's thread pool).
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createCertificateAuthority } from '../src/ca/authority.js';
import { checkCsr } from '../src/ca/csr.js';
import { validateConfig } from '../src/config/load.js';
import { FakeClock } from '../src/core/clock.js';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '2000' },
    warmup: { type: 'string', default: '300' },
    concurrency: { type: 'string', default: '1' },
    rounds: { type: 'string', default: '3' },
  },
});
const N = Number(values.n);
const WARMUP = Number(values.warmup);
const CONCURRENCY = Number(values.concurrency);
const ROUNDS = Number(values.rounds);

// --- a small CSR builder (same shape as bench/csr.ts: empty subject, SAN extensionRequest) ---
function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  if (n < 0x100) return Buffer.from([0x81, n]);
  return Buffer.from([0x82, n >> 8, n & 0xff]);
}
function tlv(tag: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), len(body.length), body]);
}
const OID_EXTENSION_REQUEST = Buffer.from('06092a864886f70d01090e', 'hex');
const OID_SAN = Buffer.from('0603551d11', 'hex');
const ALG_ECDSA_SHA256 = Buffer.from('300a06082a8648ce3d040302', 'hex');

function csrFor(key: KeyObject, spki: Buffer, names: string[]): Uint8Array {
  const generalNames = tlv(0x30, ...names.map((n) => tlv(0x82, Buffer.from(n, 'ascii'))));
  const extensions = tlv(0x30, tlv(0x30, OID_SAN, tlv(0x04, generalNames)));
  const attributes = tlv(0xa0, tlv(0x30, OID_EXTENSION_REQUEST, tlv(0x31, extensions)));
  const info = tlv(0x30, Buffer.from([2, 1, 0]), Buffer.from([0x30, 0]), spki, attributes);
  const sig = sign('sha256', info, { key, dsaEncoding: 'der' });
  return new Uint8Array(tlv(0x30, info, ALG_ECDSA_SHA256, tlv(0x03, Buffer.from([0]), sig)));
}

const NOW = new Date('2026-11-21T00:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'shomei-ca-bench-'));
process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
const ca = await createCertificateAuthority(validateConfig({ dataDir: dir }), { clock: new FakeClock(NOW) });

const pool = Array.from({ length: 64 }, () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey, spki: publicKey.export({ type: 'spki', format: 'der' }) };
});
function makeCsrs(count: number, tag: string): Array<{ der: Uint8Array; names: string[] }> {
  return Array.from({ length: count }, (_, i) => {
    const k = pool[i % pool.length]!;
    const names = [`b${i}-${tag}.bench.example.com`];
    return { der: csrFor(k.privateKey, k.spki, names), names };
  });
}

/** Wall time inside checkCsr and inside newSerial + issue (meaningful at concurrency 1). */
const phase = { checkCsr: 0, issue: 0 };

async function one(c: { der: Uint8Array; names: string[] }, now: Date): Promise<number> {
  const t0 = performance.now();
  const csr = await checkCsr(c.der);
  const t1 = performance.now();
  const issued = await ca.issue({ serialHex: ca.newSerial(), spki: csr.spki, names: csr.names, now });
  phase.checkCsr += t1 - t0;
  phase.issue += performance.now() - t1;
  return issued.der.length;
}

async function run(csrs: Array<{ der: Uint8Array; names: string[] }>): Promise<number> {
  let bytes = 0;
  let next = 0;
  const now = new Date(NOW.getTime() + 60_000);
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < csrs.length) bytes += await one(csrs[next++]!, now);
    }),
  );
  return bytes;
}

await run(makeCsrs(WARMUP, 'w'));
const results: Array<{ opsPerSec: number; usPerOp: number; mainUsPerOp: number; cpuUsPerOp: number; csrUs: number; issueUs: number }> = [];
for (let r = 0; r < ROUNDS; r++) {
  const csrs = makeCsrs(N, `r${r}`);
  phase.checkCsr = 0;
  phase.issue = 0;
  const elu0 = performance.eventLoopUtilization();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await run(csrs);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const elu = performance.eventLoopUtilization(elu0);
  results.push({
    opsPerSec: (N / ms) * 1000,
    usPerOp: (ms * 1000) / N,
    mainUsPerOp: (elu.active * 1000) / N,
    cpuUsPerOp: (cpu.user + cpu.system) / N,
    csrUs: (phase.checkCsr * 1000) / N,
    issueUs: (phase.issue * 1000) / N,
  });
}
const best = results.reduce((a, b) => (b.usPerOp < a.usPerOp ? b : a));
const f = (x: number) => x.toFixed(1);
for (const [i, r] of results.entries()) {
  console.log(
    `round ${i + 1}: ${f(r.opsPerSec)} ops/s, ${f(r.usPerOp)} µs/op wall, ${f(r.mainUsPerOp)} µs/op main-thread busy, ${f(r.cpuUsPerOp)} µs/op process CPU` +
      (CONCURRENCY === 1 ? ` (checkCsr ${f(r.csrUs)} µs, newSerial+issue ${f(r.issueUs)} µs)` : ''),
  );
}
console.log(
  `checkCsr+issue P-256, N=${N}, concurrency ${CONCURRENCY}, best of ${ROUNDS}: ${f(best.opsPerSec)} ops/s, ${f(best.usPerOp)} µs/op ` +
    `(main thread ${f(best.mainUsPerOp)} µs/op, process CPU ${f(best.cpuUsPerOp)} µs/op)`,
);
