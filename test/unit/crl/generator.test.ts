import { afterEach, before, beforeEach, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import type { IssuingCa } from '../../../src/ca/issuing-ca.js';
import type { Signer } from '../../../src/ca/signer.js';
import { FakeClock } from '../../../src/core/clock.js';
import { createLogger } from '../../../src/core/logger.js';
import { validateConfig } from '../../../src/config/load.js';
import type { Config } from '../../../src/config/schema.js';
import { regenerateShards, type CrlGeneratorDeps } from '../../../src/crl/generator.js';
import { crlShardUrl } from '../../../src/crl/shard-url.js';
import type { StorageAuthority } from '../../../src/sa/index.js';
import { testDbKind } from '../../support/database.js';
import { tempDir } from '../ca/fixtures.js';
import {
  certificateDerOf,
  crlText,
  crlVerify,
  insertTestCertificate,
  opensslSerial,
  revokeTestCertificate,
  revokedBlocks,
  testCa,
  testStorage,
  type TestCa,
  type TestStorage,
} from './fixtures.js';

const START = '2026-11-21T00:00:00.000Z';
const HOUR = 3600_000;
const logger = createLogger('silent');

function configWith(crl: Partial<Config['crl']> = {}): Config {
  return validateConfig({ dataDir: tempDir(), artefacts: { baseUrl: 'http://pki.example' }, crl });
}

describe(`CRL shard generation on ${testDbKind()}`, () => {
  let ca: TestCa;
  let st: TestStorage;
  let clock: FakeClock;
  let config: Config;
  let deps: CrlGeneratorDeps;

  before(async () => {
    ca = await testCa(new Date('2026-01-01T00:00:00Z'));
  });
  beforeEach(async () => {
    st = await testStorage();
    clock = new FakeClock(START);
    config = configWith();
    deps = { config, sa: st.sa, clock, logger, issuingCa: () => ca.issuingCa };
  });
  afterEach(async () => {
    await st.close();
  });

  async function crlOf(shard: number, sa: StorageAuthority = st.sa) {
    const row = await sa.repos.getCrlShard(ca.keyIdHex, shard);
    assert.ok(row, `shard ${shard} has a CRL`);
    return { row, der: new Uint8Array(Buffer.from(row.der, 'base64')) };
  }

  async function publishedAudit() {
    return (await st.sa.repos.listAudit('crl_shard')).filter((e) => e.action === 'crl.published').map((e) => JSON.parse(e.details) as { shard: number; crlNumber: string; entries: number; issuer: string });
  }

  test('start-up publishes every missing shard once: thisUpdate = now, nextUpdate = now + nextUpdateHours, IDP = the shard URL', async () => {
    const first = await regenerateShards(deps, { onlyMissing: true });
    assert.deepEqual(first.published.map((p) => [p.shard, p.cause]), [[0, 'missing'], [1, 'missing'], [2, 'missing'], [3, 'missing']]);
    for (let shard = 0; shard < 4; shard++) {
      const { row, der } = await crlOf(shard);
      assert.equal(row.this_update, START);
      assert.equal(row.next_update, new Date(Date.parse(START) + 168 * HOUR).toISOString());
      assert.equal(row.entries, 0);
      const text = crlText(der);
      assert.ok(text.includes(`URI:${crlShardUrl('http://pki.example', ca.keyIdHex, shard)}`), text);
      assert.equal(crlVerify(der, ca.hierarchy.intermediate.pem).status, 0);
    }
    clock.advance(1000);
    assert.deepEqual((await regenerateShards(deps, { onlyMissing: true })).published, []);
    const audit = await publishedAudit();
    assert.deepEqual(audit.map((a) => a.shard).sort(), [0, 1, 2, 3]);
    assert.ok(audit.every((a) => a.issuer === ca.keyIdHex && a.entries === 0 && /^[0-9]+$/.test(a.crlNumber)));
  });

  test('nothing changed: nothing is re-signed; a revocation re-signs only its shard, with a higher number and the entry', async () => {
    const notAfter = new Date(Date.parse(START) + 60 * 24 * HOUR);
    const onShard1 = await insertTestCertificate(st.sa, { issuerKeyId: ca.keyIdHex, shard: 1, notAfter });
    const onShard2 = await insertTestCertificate(st.sa, { issuerKeyId: ca.keyIdHex, shard: 2, notAfter });
    await regenerateShards(deps);
    const before2 = (await crlOf(2)).row;
    clock.advance(300_000);
    const idle = await regenerateShards(deps);
    assert.deepEqual(idle.published, []);
    assert.deepEqual(idle.current, [0, 1, 2, 3]);

    await revokeTestCertificate(st.sa, onShard2, 1, clock.now());
    clock.advance(300_000);
    const run = await regenerateShards(deps);
    assert.deepEqual(run.published.map((p) => [p.shard, p.cause, p.entries]), [[2, 'changed', 1]]);
    const { row, der } = await crlOf(2);
    assert.ok(BigInt(row.crl_number) > BigInt(before2.crl_number));
    const blocks = revokedBlocks(crlText(der));
    assert.deepEqual([...blocks.keys()], [opensslSerial(onShard2)]);
    assert.match(blocks.get(opensslSerial(onShard2))!, /Key Compromise/);
    assert.equal(crlVerify(der, ca.hierarchy.intermediate.pem).status, 0);
    assert.equal(revokedBlocks(crlText((await crlOf(1)).der)).has(opensslSerial(onShard1)), false);
  });

  test('a revocation dated before the last CRL (backdated key compromise, BR §7.2) still re-signs the shard', async () => {
    const notAfter = new Date(Date.parse(START) + 60 * 24 * HOUR);
    const serial = await insertTestCertificate(st.sa, { issuerKeyId: ca.keyIdHex, shard: 3, notAfter });
    await regenerateShards(deps);
    clock.advance(600_000);
    await revokeTestCertificate(st.sa, serial, 4, new Date(Date.parse(START) - 24 * HOUR));
    const run = await regenerateShards(deps);
    assert.deepEqual(run.published.map((p) => [p.shard, p.cause]), [[3, 'changed']]);
    assert.match(revokedBlocks(crlText((await crlOf(3)).der)).get(opensslSerial(serial))!, /Revocation Date: Nov 20 00:00:00 2026 GMT[\s\S]*Superseded/);

  });

  test('every shard is re-signed after maxAgeHours, and never later than half its nextUpdate window', async () => {
    await regenerateShards(deps);
    clock.advance(24 * HOUR - 1000);
    assert.deepEqual((await regenerateShards(deps)).published, []);
    clock.advance(1000);
    assert.deepEqual((await regenerateShards(deps)).published.map((p) => p.cause), ['age', 'age', 'age', 'age']);

    deps.config = configWith({ maxAgeHours: 24, nextUpdateHours: 10 });
    clock.advance(5 * HOUR - 1000);
    assert.deepEqual((await regenerateShards(deps)).published, []);
    clock.advance(1000);
    const run = await regenerateShards(deps);
    assert.equal(run.published.length, 4);
    assert.equal(run.published[0]!.nextUpdate, new Date(clock.now().getTime() + 10 * HOUR).toISOString());
  });

  test('an expired revoked certificate is listed on one CRL after its expiry, then dropped (BR §7.2)', async () => {
    const notAfter = new Date(Date.parse(START) + 2 * HOUR);
    const serial = await insertTestCertificate(st.sa, { issuerKeyId: ca.keyIdHex, shard: 0, notAfter, revoked: { at: new Date(START), reason: 1 } });
    await regenerateShards(deps);
    assert.ok(revokedBlocks(crlText((await crlOf(0)).der)).has(opensslSerial(serial)));

    clock.advance(3 * HOUR); // expired since the last CRL: the shard changed
    const afterExpiry = await regenerateShards(deps);
    assert.deepEqual(afterExpiry.published.map((p) => [p.shard, p.cause, p.entries]), [[0, 'changed', 1]]);
    assert.ok(revokedBlocks(crlText((await crlOf(0)).der)).has(opensslSerial(serial)), 'listed on the first CRL after expiry');

    clock.advance(24 * HOUR);
    const next = await regenerateShards(deps);
    assert.equal(next.published.find((p) => p.shard === 0)?.entries, 0);
    assert.equal(revokedBlocks(crlText((await crlOf(0)).der)).size, 0, 'dropped afterwards');

    // A revoked certificate that had already expired before the shard's last CRL is never listed.
    await insertTestCertificate(st.sa, { issuerKeyId: ca.keyIdHex, shard: 0, notAfter: new Date(Date.parse(START) + HOUR), revoked: { at: new Date(START), reason: 4 } });
    clock.advance(1000);
    assert.deepEqual((await regenerateShards(deps, { force: true })).published.map((p) => p.entries), [0, 0, 0, 0]);
  });

  test('certificates without a recorded shard are listed on shard 0; without a recorded issuer, by the AKI in their DER', async () => {
    const other = await testCa(new Date('2026-01-01T00:00:00Z'));
    const notAfter = new Date(Date.parse(START) + 30 * 24 * HOUR);
    const revoked = { at: new Date(START), reason: 5 };
    const noShard = await insertTestCertificate(st.sa, { issuerKeyId: ca.keyIdHex, shard: null, notAfter, revoked });
    const legacySerial = '5a0b1c2d3e4f5061';
    const legacy = await insertTestCertificate(st.sa, { serial: legacySerial, issuerKeyId: null, shard: null, notAfter, der: await certificateDerOf(ca.issuingCa, legacySerial, notAfter), revoked });
    const otherSerial = '6a0b1c2d3e4f5061';
    const otherLegacy = await insertTestCertificate(st.sa, { serial: otherSerial, issuerKeyId: null, shard: null, notAfter, der: await certificateDerOf(other.issuingCa, otherSerial, notAfter), revoked });
    const otherIssuer = await insertTestCertificate(st.sa, { issuerKeyId: other.keyIdHex, shard: 0, notAfter, revoked });
    await regenerateShards(deps);
    const listed = [...revokedBlocks(crlText((await crlOf(0)).der)).keys()].sort();
    assert.deepEqual(listed, [opensslSerial(noShard), opensslSerial(legacy)].sort());
    assert.ok(!listed.includes(opensslSerial(otherLegacy)) && !listed.includes(opensslSerial(otherIssuer)));
    for (let shard = 1; shard < 4; shard++) assert.equal((await crlOf(shard)).row.entries, 0);
  });

  test('a changed artefacts URL re-signs every shard with the new IDP; shards beyond a reduced count are kept', async () => {
    await regenerateShards(deps);
    clock.advance(1000);
    deps.config = validateConfig({ dataDir: tempDir(), artefacts: { baseUrl: 'http://crl.example/pki' }, crl: { shards: 2 } });
    const run = await regenerateShards(deps);
    assert.deepEqual(run.published.map((p) => [p.shard, p.cause]), [[0, 'changed'], [1, 'changed'], [2, 'changed'], [3, 'changed']]);
    assert.ok(crlText((await crlOf(3)).der).includes(`URI:http://crl.example/pki/crl/${ca.keyIdHex.slice(0, 16)}/3.crl`));
  });

  test('CRL numbers strictly increase, also when two instances race for the same shard', async () => {
    const numbers: bigint[] = [];
    config = configWith({ shards: 1 });
    const sa2 = await st.second();
    for (let round = 0; round < 4; round++) {
      // Hold the first two signatures of the round until both instances have built on the same stored state.
      const gate = signingGate(ca.issuingCa.signer, 2);
      const racing = (sa: StorageAuthority): CrlGeneratorDeps => ({ config, sa, clock, logger, issuingCa: () => ({ ...ca.issuingCa, signer: gate.signer }) as IssuingCa });
      const [a, b] = await Promise.all([regenerateShards(racing(st.sa), { force: true }), regenerateShards(racing(sa2), { force: true })]);
      assert.deepEqual([...a.failed, ...b.failed], []);
      assert.equal(gate.calls(), 3, 'the loser rebuilt on the winner\'s CRL');
      numbers.push(...[...a.published, ...b.published].map((p) => BigInt(p.crlNumber)).sort((x, y) => (x < y ? -1 : 1)));
      if (round % 2 === 1) clock.advance(1000);
    }
    const audit = (await publishedAudit()).map((e) => BigInt(e.crlNumber));
    assert.equal(audit.length, 8);
    for (let i = 1; i < audit.length; i++) assert.ok(audit[i]! > audit[i - 1]!, `published in order ${audit.join(', ')}`);
    assert.deepEqual(audit, numbers);
    assert.equal(BigInt((await crlOf(0)).row.crl_number), audit[audit.length - 1]);
    const text = crlText((await crlOf(0)).der);
    assert.match(text, new RegExp(`CRL Number: \\n\\s+${audit[audit.length - 1]}\\n`));
  });

  test('two instances starting at once publish each missing shard exactly once', async () => {
    const sa2 = await st.second();
    const gate = signingGate(ca.issuingCa.signer, 2);
    const racing = (sa: StorageAuthority): CrlGeneratorDeps => ({ config, sa, clock, logger, issuingCa: () => ({ ...ca.issuingCa, signer: gate.signer }) as IssuingCa });
    const [a, b] = await Promise.all([regenerateShards(racing(st.sa), { onlyMissing: true }), regenerateShards(racing(sa2), { onlyMissing: true })]);
    assert.equal(a.published.length + b.published.length, 4);
    assert.deepEqual([...a.published, ...b.published].map((p) => p.shard).sort(), [0, 1, 2, 3]);
    assert.deepEqual((await publishedAudit()).map((e) => e.shard).sort(), [0, 1, 2, 3]);
  });

  test('the repository never stores a CRL built on a superseded row', async () => {
    await regenerateShards(deps, { onlyMissing: true });
    const { row } = await crlOf(0);
    const newer = { ...row, crl_number: (BigInt(row.crl_number) + 5n).toString() };
    assert.equal(await st.sa.transaction((tx) => tx.recordCrlPublication(newer, row.crl_number, 'system')), true);
    const stale = { ...row, crl_number: (BigInt(row.crl_number) + 1n).toString() };
    assert.equal(await st.sa.transaction((tx) => tx.recordCrlPublication(stale, row.crl_number, 'system')), false);
    assert.equal(await st.sa.transaction((tx) => tx.recordCrlPublication(stale, null, 'system')), false);
    assert.equal((await crlOf(0)).row.crl_number, newer.crl_number);
  });
});

/**
 * A signer that holds its first `n` calls until all `n` have arrived (so racing
 * generators both read the stored CRL before either publishes), then lets
 * everything through. No timers: the race is forced, not hoped for.
 */
function signingGate(inner: Signer, n: number): { signer: Signer; calls(): number } {
  let calls = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return {
    calls: () => calls,
    signer: {
      signatureAlgorithmOid: inner.signatureAlgorithmOid,
      spki: inner.spki,
      async sign(data) {
        calls += 1;
        if (calls === n) open();
        if (calls <= n) await opened;
        return inner.sign(data);
      },
    },
  };
}
