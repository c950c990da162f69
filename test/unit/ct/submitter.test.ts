import { test, after } from 'node:test';
import { strict as assert } from 'node:assert';
import { ConfigError } from '../../../src/config/load.js';
import { FakeClock } from '../../../src/core/clock.js';
import { isShomeiError } from '../../../src/core/errors.js';
import { createCtSubmitter, type CtSubmitterOptions } from '../../../src/ct/client/index.js';
import { issuerKeyHash, parseSctList, precertTbsFromCertificate, verifySct } from '../../../src/ct/precertificate.js';
import { decodeSct } from '../../../src/ct/rfc6962.js';
import type { CtLogDescriptor } from '../../../src/ct/types.js';
import {
  capturingLogger,
  hex,
  makeHierarchy,
  signFinal,
  signPrecert,
  startTestLog,
  type TestHierarchy,
  type TestLog,
  type TestLogBehaviour,
} from './client-fixtures.js';

const NOW = new Date('2026-11-21T00:00:00Z');
const NOT_AFTER = new Date('2027-02-19T00:00:00Z');

const open: TestLog[] = [];
after(async () => {
  await Promise.all(open.map((l) => l.close()));
});

let hierarchy: TestHierarchy | undefined;
async function leaf(notAfter = NOT_AFTER) {
  hierarchy ??= await makeHierarchy();
  const h = hierarchy;
  const f = h.leafFields(notAfter);
  const precertDer = await signPrecert(h, f);
  return { h, f, precertDer, chain: { precertDer, issuerDer: h.issuerDer, rootDer: h.rootDer } };
}

interface LogSpec {
  name: string;
  operator: string;
  behaviour?: TestLogBehaviour;
  startInclusive?: Date;
  endExclusive?: Date;
}

async function setup(specs: LogSpec[], o: Partial<CtSubmitterOptions> = {}) {
  const clock = new FakeClock(NOW);
  const logs: TestLog[] = [];
  for (const s of specs) {
    const l = await startTestLog({ ...s, clock });
    open.push(l);
    logs.push(l);
  }
  const { logger, lines } = capturingLogger();
  const submitter = createCtSubmitter({
    logs: logs.map((l) => l.descriptor),
    minScts: 2,
    minDistinctOperators: 2,
    timeoutMs: 5_000,
    logger,
    clock,
    ...o,
  });
  const byName = (n: string) => logs.find((l) => l.descriptor.name === n)!;
  return { clock, logs, byName, submitter, lines };
}

/** Each returned SCT decodes, comes from the named log and verifies over the precertificate entry. */
function assertValidScts(result: Array<{ log: string; sct: Uint8Array }>, logs: TestLog[], precertDer: Uint8Array, issuerDer: Uint8Array) {
  const entry = { type: 'precert' as const, issuerKeyHash: issuerKeyHash(issuerDer), tbsDer: precertTbsFromCertificate(precertDer) };
  for (const r of result) {
    const d = logs.find((l) => l.descriptor.name === r.log)!.descriptor;
    const sct = decodeSct(r.sct);
    assert.equal(hex(sct.logId), hex(d.logId));
    assert.equal(sct.timestampMs, BigInt(NOW.getTime()));
    assert.equal(verifySct(sct, entry, d.publicKeySpki), true);
  }
}

test('all logs answer: two SCTs from two operators, in log order, that verify — and survive embedding in the final certificate', async () => {
  const { logs, submitter, lines } = await setup([
    { name: 'log-a', operator: 'Operator A' },
    { name: 'log-b', operator: 'Operator B' },
    { name: 'log-c', operator: 'Operator C' },
  ]);
  const { h, f, precertDer, chain } = await leaf();
  const result = await submitter.submitPrecertificate(chain, NOT_AFTER);
  assert.deepEqual(result.map((r) => r.log), ['log-a', 'log-b']);
  assertValidScts(result, logs, precertDer, h.issuerDer);
  // RFC 6962 §4.1: every log got [precertificate, issuer, root].
  for (const l of logs) {
    assert.equal(l.requests.length, 1);
    assert.equal(l.requests[0]!.endpoint, 'add-pre-chain');
    assert.deepEqual(l.requests[0]!.chain.map(hex), [hex(precertDer), hex(h.issuerDer), hex(h.rootDer)]);
  }
  // Embedded in the final certificate, the SCTs still verify over the TBS rebuilt from it.
  const final = await signFinal(h, f, result.map((r) => r.sct));
  assert.deepEqual(parseSctList(final).map(hex), result.map((r) => hex(r.sct)));
  const entry = { type: 'precert' as const, issuerKeyHash: issuerKeyHash(h.issuerDer), tbsDer: precertTbsFromCertificate(final) };
  parseSctList(final).forEach((s, i) => assert.equal(verifySct(decodeSct(s), entry, logs[i]!.descriptor.publicKeySpki), true));
  assert.equal(lines.filter((l) => l['level'] === 40).length, 0, 'no warnings');
});

for (const [behaviour, reason] of [
  ['http500', 'HTTP 500'],
  ['badSignature', 'SCT signature does not verify'],
  ['otherLogId', 'SCT carries another log id'],
  ['futureTimestamp', 'SCT timestamp is in the future'],
  ['notJson', 'response is not JSON'],
] as const) {
  test(`policy met with 2 of 3 logs when the first log answers with ${behaviour}: its SCT is not embedded`, async () => {
    const { logs, submitter, lines } = await setup([
      { name: 'log-a', operator: 'Operator A', behaviour },
      { name: 'log-b', operator: 'Operator B' },
      { name: 'log-c', operator: 'Operator C' },
    ]);
    const { h, precertDer, chain } = await leaf();
    const result = await submitter.submitPrecertificate(chain, NOT_AFTER);
    assert.deepEqual(result.map((r) => r.log), ['log-b', 'log-c']);
    assertValidScts(result, logs, precertDer, h.issuerDer);
    assert.equal(logs[0]!.requests.length, 1, 'the failing log was asked');
    const warn = lines.find((l) => l['ctLog'] === 'log-a');
    assert.equal(warn?.['level'], 40);
    assert.equal(warn?.['reason'], reason);
  });
}

test('policy met with 2 of 3 logs when one never answers: the submission gives up after the timeout', async () => {
  const { submitter, lines } = await setup(
    [
      { name: 'log-a', operator: 'Operator A', behaviour: 'hang' },
      { name: 'log-b', operator: 'Operator B' },
      { name: 'log-c', operator: 'Operator C' },
    ],
    { timeoutMs: 1500 },
  );
  const { chain } = await leaf();
  const result = await submitter.submitPrecertificate(chain, NOT_AFTER);
  assert.deepEqual(result.map((r) => r.log), ['log-b', 'log-c']);
  assert.equal(lines.find((l) => l['ctLog'] === 'log-a')?.['reason'], 'timed out after 1500 ms');
});

test('policy not met: serverInternal naming every failing log and why; nothing to embed', async () => {
  const { submitter, logs, lines } = await setup([
    { name: 'log-a', operator: 'Operator A', behaviour: 'http500' },
    { name: 'log-b', operator: 'Operator B', behaviour: 'badSignature' },
    { name: 'log-c', operator: 'Operator C' },
  ]);
  const { chain } = await leaf();
  await assert.rejects(submitter.submitPrecertificate(chain, NOT_AFTER), (e: unknown) => {
    assert.ok(isShomeiError(e));
    assert.equal(e.kind, 'serverInternal');
    assert.match(e.detail, /^Not enough Certificate Transparency logs answered; please retry later/);
    assert.match(e.detail, /need 2 SCTs from 2 distinct log operator\(s\), got 1 from 1/);
    assert.match(e.detail, /log-a: HTTP 500/);
    assert.match(e.detail, /log-b: SCT signature does not verify/);
    assert.doesNotMatch(e.detail, /log-c:|127\.0\.0\.1/, 'no URL, and the good log is not blamed');
    return true;
  });
  assert.equal(logs[2]!.requests.length, 1);
  assert.ok(lines.some((l) => l['level'] === 50 && l['msg'] === 'CT policy not met; not issuing'));
});

test('a log that refuses connections is reported as such', async () => {
  const { submitter, logs } = await setup([
    { name: 'log-a', operator: 'Operator A' },
    { name: 'log-b', operator: 'Operator B' },
  ]);
  await logs[1]!.close();
  const { chain } = await leaf();
  await assert.rejects(submitter.submitPrecertificate(chain, NOT_AFTER), /log-b: connection failed \(ECONNREFUSED\)/);
});

test('temporal shards: only logs whose window holds notAfter are asked', async () => {
  const { submitter, byName } = await setup([
    { name: 'shard-2026', operator: 'Operator A', startInclusive: new Date('2026-01-01T00:00:00Z'), endExclusive: new Date('2027-01-01T00:00:00Z') },
    { name: 'shard-2027', operator: 'Operator A', startInclusive: new Date('2027-01-01T00:00:00Z'), endExclusive: new Date('2028-01-01T00:00:00Z') },
    { name: 'b-2027h1', operator: 'Operator B', startInclusive: new Date('2027-01-01T00:00:00Z'), endExclusive: new Date('2027-07-01T00:00:00Z') },
    { name: 'b-any', operator: 'Operator B' },
  ]);
  const { chain } = await leaf();
  const result = await submitter.submitPrecertificate(chain, NOT_AFTER);
  assert.deepEqual(result.map((r) => r.log), ['shard-2027', 'b-2027h1']);
  assert.equal(byName('shard-2026').requests.length, 0);
  assert.equal(byName('b-any').requests.length, 1);

  // notAfter exactly on a boundary belongs to the shard starting there (startInclusive), not the one ending there (endExclusive).
  const edge = await leaf(new Date('2027-01-01T00:00:00Z'));
  const r2 = await submitter.submitPrecertificate(edge.chain, new Date('2027-01-01T00:00:00Z'));
  assert.deepEqual(r2.map((r) => r.log), ['shard-2027', 'b-2027h1']);
  assert.equal(byName('shard-2026').requests.length, 0);
  assert.equal(byName('shard-2027').requests.length, 2);
});

test('temporal shards: when too few windows hold notAfter, nothing is submitted and the error says why', async () => {
  const { submitter, logs } = await setup([
    { name: 'log-a', operator: 'Operator A', endExclusive: new Date('2027-01-01T00:00:00Z') },
    { name: 'log-b', operator: 'Operator B' },
  ]);
  const { chain } = await leaf();
  await assert.rejects(submitter.submitPrecertificate(chain, NOT_AFTER), (e: unknown) => {
    assert.ok(isShomeiError(e) && e.kind === 'serverInternal');
    assert.match(e.detail, /only 1 log\(s\) are available/);
    assert.match(e.detail, /log-a: notAfter 2027-02-19T00:00:00\.000Z outside its temporal window/);
    return true;
  });
  assert.equal(logs[0]!.requests.length + logs[1]!.requests.length, 0);
});

test('distinct operators: two valid SCTs from one operator do not meet the policy when the other operator fails', async () => {
  const { submitter } = await setup([
    { name: 'a-1', operator: 'Operator A' },
    { name: 'a-2', operator: 'Operator A' },
    { name: 'b-1', operator: 'Operator B', behaviour: 'http500' },
  ]);
  const { chain } = await leaf();
  await assert.rejects(submitter.submitPrecertificate(chain, NOT_AFTER), (e: unknown) => {
    assert.ok(isShomeiError(e) && e.kind === 'serverInternal');
    assert.match(e.detail, /got 2 from 1/);
    assert.match(e.detail, /b-1: HTTP 500/);
    return true;
  });
});

test('distinct operators: with every log answering, the pick covers both operators rather than the first two logs', async () => {
  const { submitter } = await setup([
    { name: 'a-1', operator: 'Operator A' },
    { name: 'a-2', operator: ' operator a ' },
    { name: 'b-1', operator: 'Operator B' },
  ]);
  const { chain } = await leaf();
  const result = await submitter.submitPrecertificate(chain, NOT_AFTER);
  assert.deepEqual(result.map((r) => r.log), ['a-1', 'b-1']);
});

test('a certificate without the poison is not sent to add-pre-chain', async () => {
  const { submitter, logs } = await setup([
    { name: 'log-a', operator: 'Operator A' },
    { name: 'log-b', operator: 'Operator B' },
  ]);
  const { h, f } = await leaf();
  const notPrecert = await signFinal(h, f, [Uint8Array.of(1)]);
  await assert.rejects(
    submitter.submitPrecertificate({ precertDer: notPrecert, issuerDer: h.issuerDer }, NOT_AFTER),
    (e: unknown) => isShomeiError(e) && e.kind === 'serverInternal' && /poison/.test(e.detail),
  );
  assert.equal(logs[0]!.requests.length, 0);
});

test('construction fails fast when the configured logs can never meet the policy', async () => {
  const clock = new FakeClock(NOW);
  const { logger } = capturingLogger();
  const a = await startTestLog({ name: 'log-a', operator: 'Operator A', clock });
  const a2 = await startTestLog({ name: 'log-a2', operator: 'OPERATOR A', clock });
  const b = await startTestLog({ name: 'log-b', operator: 'Operator B', clock });
  open.push(a, a2, b);
  const make = (logs: CtLogDescriptor[], minScts = 2, minDistinctOperators = 2) =>
    createCtSubmitter({ logs, minScts, minDistinctOperators, timeoutMs: 1000, logger, clock });

  assert.throws(() => make([a.descriptor]), (e: unknown) => e instanceof ConfigError && /ct\.minScts = 2.*2 SCTs from distinct logs are required but only 1/.test(e.message));
  assert.throws(() => make([a.descriptor, a2.descriptor]), (e: unknown) => e instanceof ConfigError && /2 distinct log operators are required but the available logs have 1/.test(e.message));
  assert.throws(() => make([a.descriptor, b.descriptor], 1, 3), (e: unknown) => e instanceof ConfigError && /3 SCTs/.test(e.message));
  assert.throws(() => make([a.descriptor, { ...a.descriptor, name: 'copy' }]), (e: unknown) => e instanceof ConfigError && /configured twice/.test(e.message));
  assert.throws(() => make([a.descriptor, { ...b.descriptor, logId: a.descriptor.logId }]), (e: unknown) => e instanceof ConfigError && /not the SHA-256 of its public key/.test(e.message));
  assert.throws(() => make([a.descriptor, { ...b.descriptor, url: 'http://127.0.0.1:1/no-slash' }]), (e: unknown) => e instanceof ConfigError && /end with '\/'/.test(e.message));
  assert.equal(typeof make([a.descriptor, b.descriptor]).submitPrecertificate, 'function');
  assert.equal(typeof make([a.descriptor], 1, 1).submitPrecertificate, 'function');
});

test('final certificate add-chain is best-effort: every applicable log is tried, failures are reported and logged, never thrown', async () => {
  const { submitter, byName, lines } = await setup(
    [
      { name: 'log-a', operator: 'Operator A' },
      { name: 'log-b', operator: 'Operator B' },
      { name: 'log-c', operator: 'Operator C' },
      { name: 'log-d', operator: 'Operator D' },
      { name: 'log-old', operator: 'Operator E', endExclusive: new Date('2027-01-01T00:00:00Z') },
    ],
    { timeoutMs: 1500 },
  );
  const { h, f, chain } = await leaf();
  const scts = await submitter.submitPrecertificate(chain, NOT_AFTER);
  const final = await signFinal(h, f, scts.map((s) => s.sct));
  byName('log-b').behaviour = 'http500';
  byName('log-c').behaviour = 'hang';
  byName('log-d').behaviour = 'badSignature';
  const outcomes = await submitter.submitCertificate({ certDer: final, issuerDer: h.issuerDer }, NOT_AFTER);
  assert.deepEqual(outcomes, [
    { log: 'log-a', ok: true },
    { log: 'log-b', ok: false, error: 'HTTP 500' },
    { log: 'log-c', ok: false, error: 'timed out after 1500 ms' },
    { log: 'log-d', ok: false, error: 'SCT signature does not verify' },
  ]);
  const req = byName('log-a').requests.at(-1)!;
  assert.equal(req.endpoint, 'add-chain');
  assert.deepEqual(req.chain.map(hex), [hex(final), hex(h.issuerDer)]);
  assert.equal(byName('log-old').requests.length, 0);
  const warned = lines.filter((l) => l['endpoint'] === 'add-chain' && l['level'] === 40).map((l) => l['ctLog'] as string);
  assert.deepEqual(warned.sort(), ['log-b', 'log-c', 'log-d']);
});

test('final certificate add-chain when every log fails still resolves with the outcomes', async () => {
  const { submitter, logs } = await setup([
    { name: 'log-a', operator: 'Operator A' },
    { name: 'log-b', operator: 'Operator B' },
  ]);
  const { h, f, chain } = await leaf();
  const scts = await submitter.submitPrecertificate(chain, NOT_AFTER);
  const final = await signFinal(h, f, scts.map((s) => s.sct));
  for (const l of logs) l.behaviour = 'http500';
  const outcomes = await submitter.submitCertificate({ certDer: final, issuerDer: h.issuerDer, rootDer: h.rootDer }, NOT_AFTER);
  assert.deepEqual(outcomes, [
    { log: 'log-a', ok: false, error: 'HTTP 500' },
    { log: 'log-b', ok: false, error: 'HTTP 500' },
  ]);
  assert.deepEqual(logs[0]!.requests.at(-1)!.chain.map(hex), [hex(final), hex(h.issuerDer), hex(h.rootDer)]);
});
