import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildArtefactServer } from '../../../src/artefacts/server.js';
import { crlDistributionPointsDer } from '../../../src/ca/x509-extensions.js';
import { FakeClock } from '../../../src/core/clock.js';
import { createLogger } from '../../../src/core/logger.js';
import { validateConfig } from '../../../src/config/load.js';
import { createCrlPublisher, type CrlPublisher } from '../../../src/crl/publisher.js';
import { crlShardFor } from '../../../src/crl/shard-url.js';
import { CRL_JOB, type CrlJobResult } from '../../../src/jobs/crl-job.js';
import { JobRunner } from '../../../src/jobs/job-runner.js';
import { testDbKind } from '../../support/database.js';
import { tempDir } from '../ca/fixtures.js';
import { insertTestCertificate, revokeTestCertificate, testCa, testStorage, type TestCa, type TestStorage } from './fixtures.js';

const START = '2026-11-21T00:00:00.000Z';
const logger = createLogger('silent');

describe(`CRL publisher: HTTP serving and the scheduled job on ${testDbKind()}`, () => {
  let ca: TestCa;
  let st: TestStorage;
  let clock: FakeClock;
  let publisher: CrlPublisher;
  let app: FastifyInstance;
  let base: string;
  const config = validateConfig({ dataDir: tempDir(), artefacts: { baseUrl: 'http://pki.example' }, crl: { shards: 4, regenerateSeconds: 300 } });

  before(async () => {
    ca = await testCa(new Date('2026-01-01T00:00:00Z'));
    st = await testStorage();
    clock = new FakeClock(START);
    publisher = createCrlPublisher({ config, sa: st.sa, clock, logger, issuingCa: () => ca.issuingCa });
    app = await buildArtefactServer(
      () => {
        throw new Error('issuer certificates are not part of this test');
      },
      logger,
      [publisher.routes],
    );
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await app?.close();
    await st?.close();
  });

  const pathOf = (shard: number) => new URL(publisher.distributionPointFor('00').url.replace(/\/0\.crl$/, `/${shard}.crl`)).pathname;

  test('the scheduled job publishes missing shards, then runs at most every crl.regenerateSeconds', async () => {
    const runner = new JobRunner({ sa: st.sa, clock, logger, intervalSeconds: 60, leaseSeconds: 300 }, [publisher.job()]);
    const first = await runner.run(CRL_JOB);
    assert.equal(first.ran, true);
    const r1 = (first as { result: CrlJobResult }).result;
    assert.ok(r1.ran);
    assert.deepEqual(r1.published.map((p) => [p.shard, p.cause]), [[0, 'missing'], [1, 'missing'], [2, 'missing'], [3, 'missing']]);
    assert.equal(await st.sa.repos.getJobProgress(CRL_JOB), START);

    const serial = await insertTestCertificate(st.sa, { issuerKeyId: ca.keyIdHex, shard: 2, notAfter: new Date('2027-01-01T00:00:00Z') });
    await revokeTestCertificate(st.sa, serial, 1, clock.now());
    clock.advance(299_000);
    const early = (await runner.run(CRL_JOB)) as { result: CrlJobResult };
    assert.deepEqual(early.result, { ran: false, nextRunAt: '2026-11-21T00:05:00.000Z' });
    assert.equal((await st.sa.repos.getCrlShard(ca.keyIdHex, 2))?.entries, 0);

    clock.advance(1000);
    const due = (await runner.run(CRL_JOB)) as { result: CrlJobResult };
    assert.ok(due.result.ran);
    assert.deepEqual(due.result.published.map((p) => [p.shard, p.cause, p.entries]), [[2, 'changed', 1]]);
    assert.equal(await st.sa.repos.getJobProgress(CRL_JOB), '2026-11-21T00:05:00.000Z');
  });

  test('GET serves the stored DER with type, caching, Last-Modified and ETag headers', async () => {
    const row = (await st.sa.repos.getCrlShard(ca.keyIdHex, 2))!;
    const res = await fetch(`${base}${pathOf(2)}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/pkix-crl');
    assert.equal(res.headers.get('cache-control'), 'public, max-age=300');
    assert.equal(res.headers.get('last-modified'), new Date(row.this_update).toUTCString());
    assert.equal(res.headers.get('etag'), `"${row.crl_number}"`);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), Buffer.from(row.der, 'base64'));
  });

  test('max-age never reaches past nextUpdate', async () => {
    const row = (await st.sa.repos.getCrlShard(ca.keyIdHex, 1))!;
    const saved = clock.now();
    try {
      clock.set(new Date(Date.parse(row.next_update) - 100_000));
      assert.equal((await fetch(`${base}${pathOf(1)}`)).headers.get('cache-control'), 'public, max-age=100');
      clock.set(new Date(Date.parse(row.next_update) + 1000));
      assert.equal((await fetch(`${base}${pathOf(1)}`)).headers.get('cache-control'), 'public, max-age=0, must-revalidate');
    } finally {
      clock.set(saved);
    }
  });

  test('HEAD answers with the headers and no body', async () => {
    const row = (await st.sa.repos.getCrlShard(ca.keyIdHex, 0))!;
    const res = await fetch(`${base}${pathOf(0)}`, { method: 'HEAD' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/pkix-crl');
    assert.equal(res.headers.get('content-length'), String(Buffer.from(row.der, 'base64').length));
    assert.equal(res.headers.get('etag'), `"${row.crl_number}"`);
    assert.equal((await res.arrayBuffer()).byteLength, 0);
  });

  test('conditional requests: 304 for the current ETag or a date at/after thisUpdate, 200 once re-signed', async () => {
    const row = (await st.sa.repos.getCrlShard(ca.keyIdHex, 3))!;
    const url = `${base}${pathOf(3)}`;
    const byTag = await fetch(url, { headers: { 'If-None-Match': `"${row.crl_number}"` } });
    assert.equal(byTag.status, 304);
    assert.equal((await byTag.arrayBuffer()).byteLength, 0);
    assert.equal((await fetch(url, { headers: { 'If-Modified-Since': new Date(row.this_update).toUTCString() } })).status, 304);
    assert.equal((await fetch(url, { headers: { 'If-Modified-Since': new Date(Date.parse(row.this_update) - 1000).toUTCString() } })).status, 200);

    clock.advance(1000);
    await publisher.regenerate({ force: true });
    const fresh = await fetch(url, { headers: { 'If-None-Match': `"${row.crl_number}"` } });
    assert.equal(fresh.status, 200);
    assert.notEqual(fresh.headers.get('etag'), `"${row.crl_number}"`);
  });

  test('404 for unknown shards, unknown issuers and non-canonical paths', async () => {
    const issuer = ca.keyIdHex.slice(0, 16);
    for (const path of [`/crl/${issuer}/9.crl`, '/crl/0000000000000000/0.crl', `/crl/${issuer.toUpperCase()}/0.crl`, `/crl/${issuer}/00.crl`, `/crl/${issuer}/0.der`, '/crl/x/0.crl']) {
      const res = await fetch(`${base}${path}`);
      assert.equal(res.status, 404, path);
      assert.notEqual(res.headers.get('content-type'), 'application/pkix-crl');
    }
    assert.equal((await fetch(`${base}${pathOf(0)}`)).status, 200);
  });

  test('start-up stops when a shard cannot be signed; a scheduled run reports each failed shard and goes on', async () => {
    const broken = await testStorage();
    try {
      const bad = { ...ca.issuingCa.signer, sign: async () => Uint8Array.of(0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01) };
      const p = createCrlPublisher({ config, sa: broken.sa, clock, logger, issuingCa: () => ({ ...ca.issuingCa, signer: bad }) });
      await assert.rejects(p.ensureShards(), /CRL shards could not be generated: shard 0: signature produced by the CA key does not verify/);
      const report = await p.regenerate();
      assert.deepEqual(report.failed.map((f) => f.shard), [0, 1, 2, 3]);
      assert.deepEqual(report.published, []);
      assert.equal(await broken.sa.repos.getCrlShard(ca.keyIdHex, 0), undefined);
    } finally {
      await broken.close();
    }
  });

  test('distributionPointFor: the shard, URL and CRL DP extension a new certificate gets', () => {
    const serial = '7d3f0a9c11e2b4d5a6f7081920a1b2c3';
    const dp = publisher.distributionPointFor(serial);
    assert.equal(dp.issuerKeyId, ca.keyIdHex);
    assert.equal(dp.shard, crlShardFor(serial, 4));
    assert.equal(dp.url, `http://pki.example/crl/${ca.keyIdHex.slice(0, 16)}/${dp.shard}.crl`);
    assert.deepEqual(Buffer.from(dp.extensionDer), Buffer.from(crlDistributionPointsDer(dp.url)));
  });
});
