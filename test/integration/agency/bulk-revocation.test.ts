// Admin bulk revocation (BR §5.7.1.2, §4.9.1.1; SPEC §7) over the real stack:
// jobs created through the admin API select exactly the certificates of a
// serial list, usage FQDN, subscriber, operator or issuing CA (as issued up to
// the job's creation), and the job runner revokes them in batches with the
// cursor committed per batch — so a stopped runner's successor resumes where
// it stopped, two workers never revoke anything twice, and a cancelled job
// stops. Certificates are issued over ACME (dns-01, test DNS server).
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { AgencyFixture, type OperatorHandle } from '../../support/agency-fixture.js';
import type { ApiResponse } from '../../support/api-client.js';
import { account, issue, type Acct } from '../../support/agency-acme.js';
import { issueWithKey, keySigner, newCertificateKey } from '../../support/certificate-keys.js';
import { createLogger } from '../../../src/core/logger.js';
import { jwkToSpki, sha256Hex } from '../../../src/core/keys.js';
import { JobRunner } from '../../../src/jobs/job-runner.js';
import { BULK_REVOCATION_JOB, bulkRevocationJob, type BulkRevocationReport } from '../../../src/jobs/bulk-revocation-job.js';
import { runRevocationJob, runRevocationJobBatch } from '../../../src/registry/revocation-job-batches.js';
import type { RevocationJobView } from '../../../src/registry/revocation-jobs.js';
import { openDatabase, StorageAuthority, type RevocationJobRow } from '../../../src/sa/index.js';

const logger = createLogger('silent');
const DAY = 86_400_000;

function apiProblem(r: ApiResponse, status: number, kind: string): { detail: string } {
  assert.equal(r.status, status, r.text);
  assert.match(String(r.headers['content-type']), /^application\/problem\+json/);
  const p = r.json() as { type: string; status: number; detail: string };
  assert.equal(p.type, `urn:shomei:problem:${kind}`, r.text);
  assert.equal(p.status, status);
  return p;
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Two operators; A has subscribers A1 (two usage FQDNs) and A2, B has B1; six certificates. */
interface World {
  opA: OperatorHandle;
  opB: OperatorHandle;
  subA1: string;
  subA2: string;
  subB1: string;
  fqA1: string;
  fqA1b: string;
  c: { a1: string; a1www: string; a1b: string; a2: string; b1: string; b1again: string };
}

describe('Bulk revocation jobs (admin API + job runner)', () => {
  let f: AgencyFixture;
  /** Every certificate this suite issued (the issuer selector must find them all). */
  const issued: string[] = [];
  /** A second "instance" on the same database: its own pool on PostgreSQL, the same handle on SQLite. */
  let sa2: StorageAuthority;
  let ownSa2 = false;

  before(async () => {
    f = await AgencyFixture.start();
    if (f.shomei.inst.sa.dialect === 'postgres') {
      sa2 = new StorageAuthority(openDatabase(f.shomei.inst.config.database.url, { poolSize: 4 }));
      ownSa2 = true;
    } else {
      sa2 = f.shomei.inst.sa;
    }
  });
  after(async () => {
    if (ownSa2) await sa2.close();
    await f?.close();
  });

  const repos = () => f.shomei.inst.sa.repos;
  const deps = (sa: StorageAuthority = f.shomei.inst.sa) => ({ sa, clock: f.clock, logger });
  const runner = (o: { batchSize?: number; only?: string } = {}, sa: StorageAuthority = f.shomei.inst.sa) =>
    new JobRunner({ sa, clock: f.clock, logger, intervalSeconds: 60, leaseSeconds: 300 }, [bulkRevocationJob(deps(sa), o)]);
  const issueOne = async (a: Acct, names: string[]) => {
    const s = await issue(f, a, names);
    issued.push(s);
    return s;
  };
  const create = async (body: Record<string, unknown>): Promise<RevocationJobView> => {
    const r = await f.admin.post('/revocation-jobs', body);
    assert.equal(r.status, 202, r.text);
    return r.json() as RevocationJobView;
  };
  const getJob = async (id: string): Promise<RevocationJobView> => {
    const r = await f.admin.get(`/revocation-jobs/${id}`);
    assert.equal(r.status, 200, r.text);
    return r.json() as RevocationJobView;
  };
  const revokedOf = async (serials: string[]) => {
    const out: Record<string, number | null> = {};
    for (const s of serials) out[s] = (await repos().getCertificate(s))?.revocation_reason ?? null;
    return out;
  };
  const revokedAudits = async (serial: string) => (await repos().listAudit('certificate', serial)).filter((e) => e.action === 'certificate.revoked');

  async function world(tag: string): Promise<World> {
    const opA = await f.designateOperator({ name: `${tag} Alpha` });
    const opB = await f.designateOperator({ name: `${tag} Beta` });
    const subA1 = await f.createSubscriber(opA, `${tag} A1`);
    const subA2 = await f.createSubscriber(opA, `${tag} A2`);
    const subB1 = await f.createSubscriber(opB, `${tag} B1`);
    const fqA1 = await f.apply(opA, subA1, `${tag}-a1.test`, '1y');
    const fqA1b = await f.apply(opA, subA1, `${tag}-a1b.test`, '1y');
    await f.apply(opA, subA2, `${tag}-a2.test`, '1y');
    await f.apply(opB, subB1, `${tag}-b1.test`, '1y');
    const a1 = await account(f, await f.issueEab(opA, subA1));
    const a2 = await account(f, await f.issueEab(opA, subA2));
    const b1 = await account(f, await f.issueEab(opB, subB1));
    const c = {
      a1: await issueOne(a1, [`${tag}-a1.test`]),
      a1www: await issueOne(a1, [`${tag}-a1.test`, `www.${tag}-a1.test`]),
      a1b: await issueOne(a1, [`${tag}-a1b.test`]),
      a2: await issueOne(a2, [`${tag}-a2.test`]),
      b1: await issueOne(b1, [`${tag}-b1.test`]),
      b1again: await issueOne(b1, [`${tag}-b1.test`]),
    };
    return { opA, opB, subA1, subA2, subB1, fqA1, fqA1b, c };
  }

  /** A subscriber with `n` certificates on one usage FQDN. */
  async function subscriberWith(tag: string, n: number): Promise<{ sub: string; acct: Acct; serials: string[]; op: OperatorHandle }> {
    const op = await f.designateOperator({ name: `${tag} Reseller` });
    const sub = await f.createSubscriber(op, tag);
    await f.apply(op, sub, `${tag}.test`, '1y');
    const acct = await account(f, await f.issueEab(op, sub));
    const serials: string[] = [];
    for (let i = 0; i < n; i++) serials.push(await issueOne(acct, [`${tag}.test`]));
    return { sub, acct, serials: serials.sort(), op };
  }

  test('each selector revokes exactly its certificates; already revoked ones are skipped; every revocation is audited with the job id and notified', async () => {
    const w = await world('sel');
    const all = Object.values(w.c);
    const expectRevoked = async (want: Record<string, number | null>) => assert.deepEqual(await revokedOf(all), want);

    // usage FQDN: the two certificates covering sel-a1.test, not sel-a1b.test.
    const j1 = await create({ selector: 'usage_fqdn', id: w.fqA1, reason: 4, note: 'CAA misread for sel-a1.test' });
    assert.deepEqual([j1.status, j1.total, j1.revoked, j1.skipped, j1.progress, j1.targetId, j1.note, j1.createdBy], ['pending', 2, 0, 0, 0, w.fqA1, 'CAA misread for sel-a1.test', 'admin:test-admin']);
    const out = await runner().run(BULK_REVOCATION_JOB);
    assert.equal(out.ran, true);
    const report = (out as { result: BulkRevocationReport }).result;
    assert.deepEqual(report.jobs.find((j) => j.id === j1.id), { id: j1.id, status: 'done', total: 2, revoked: 2, skipped: 0, error: null });
    const done1 = await getJob(j1.id);
    assert.deepEqual([done1.status, done1.revoked, done1.skipped, done1.progress, done1.finishedAt], ['done', 2, 0, 1, f.clock.now().toISOString()]);
    const { a1, a1www, a1b, a2, b1, b1again } = w.c;
    await expectRevoked({ [a1]: 4, [a1www]: 4, [a1b]: null, [a2]: null, [b1]: null, [b1again]: null });
    const audits = await revokedAudits(a1);
    assert.equal(audits.length, 1);
    assert.equal(audits[0]?.actor, 'admin:test-admin');
    assert.deepEqual(JSON.parse(audits[0]?.details ?? '{}'), { reason: 4, via: 'revocation-job', job: j1.id });
    const ev = (await repos().listNotificationEvents({ kind: 'certificate.revoked', operatorId: w.opA.id })).filter((e) => e.subject_id === a1www);
    assert.deepEqual(
      ev.map((e) => [e.subscriber_id, JSON.parse(e.payload)]),
      [[w.subA1, { reason: 4, via: 'revocation-job', job: j1.id }]],
    );

    // subscriber A1: its third certificate; the two above are skipped.
    const j2 = await create({ selector: 'subscriber', id: w.subA1, reason: 5 });
    await runner({ only: j2.id }).run(BULK_REVOCATION_JOB);
    assert.deepEqual((({ status, total, revoked, skipped }) => ({ status, total, revoked, skipped }))(await getJob(j2.id)), { status: 'done', total: 3, revoked: 1, skipped: 2 });
    await expectRevoked({ [a1]: 4, [a1www]: 4, [a1b]: 5, [a2]: null, [b1]: null, [b1again]: null });

    // operator A: what is left of its subscribers' certificates (A2's); operator B's stay.
    const j3 = await create({ selector: 'operator', id: w.opA.id, reason: 9 });
    assert.equal(j3.total, 4);
    await runner({ only: j3.id }).run(BULK_REVOCATION_JOB);
    assert.deepEqual((({ status, revoked, skipped }) => ({ status, revoked, skipped }))(await getJob(j3.id)), { status: 'done', revoked: 1, skipped: 3 });
    await expectRevoked({ [a1]: 4, [a1www]: 4, [a1b]: 5, [a2]: 9, [b1]: null, [b1again]: null });

    // serials: upper case with colons and a duplicate are the same serial; only operator B's first certificate goes.
    const colons = (s: string) => (s.toUpperCase().match(/../g) ?? []).join(':');
    const j4 = await create({ selector: 'serials', serials: [colons(b1), b1, a1], reason: 0 });
    assert.deepEqual([j4.total, j4.serialCount, j4.targetId], [2, 2, null]);
    await runner({ only: j4.id }).run(BULK_REVOCATION_JOB);
    assert.deepEqual((({ status, revoked, skipped }) => ({ status, revoked, skipped }))(await getJob(j4.id)), { status: 'done', revoked: 1, skipped: 1 });
    await expectRevoked({ [a1]: 4, [a1www]: 4, [a1b]: 5, [a2]: 9, [b1]: 0, [b1again]: null });
    for (const s of all) assert.ok((await revokedAudits(s)).length <= 1, `${s} revoked at most once`);
    // The job's own trail: created and done.
    const trail = (await repos().listAudit('revocation-job', j4.id)).map((e) => e.action);
    assert.deepEqual(trail, ['revocation-job.created', 'revocation-job.done']);
  });

  test('reason 1 (keyCompromise): each key is blocked, its certificates outside the selection are revoked too, a revoked one gets reason 1', async () => {
    const w = await world('kc');
    const acctA = await account(f, await f.issueEab(w.opA, w.subA1));
    const acctB = await account(f, await f.issueEab(w.opB, w.subB1));
    const shared = await newCertificateKey();
    const x = await issueWithKey(f, acctA, ['kc-a1.test'], shared);
    const y = await issueWithKey(f, acctB, ['kc-b1.test'], shared); // same key, operator B, not selected
    const otherKey = await newCertificateKey();
    const z = await issueWithKey(f, acctA, ['kc-a1b.test'], otherKey);
    const earlierKey = await newCertificateKey();
    const old = await issueWithKey(f, acctA, ['kc-a1.test'], earlierKey);
    assert.equal((await w.opA.api.post(`/certificates/${old.serial}/revoke`, { reason: 4 })).status, 200);
    const oldDate = (await repos().getCertificate(old.serial))?.revoked_at;
    issued.push(x.serial, y.serial, z.serial, old.serial);
    f.clock.advance(60_000);

    const job = await create({ selector: 'serials', serials: [x.serial, z.serial, old.serial], reason: 1 });
    await runner({ only: job.id }).run(BULK_REVOCATION_JOB);
    assert.deepEqual((({ status, total, revoked, skipped }) => ({ status, total, revoked, skipped }))(await getJob(job.id)), { status: 'done', total: 3, revoked: 2, skipped: 1 });
    assert.deepEqual(await revokedOf([x.serial, y.serial, z.serial, old.serial, w.c.a1]), { [x.serial]: 1, [y.serial]: 1, [z.serial]: 1, [old.serial]: 1, [w.c.a1]: null });
    assert.equal((await repos().getCertificate(old.serial))?.revoked_at, oldDate, 'the reason changed, the date stayed (BR §7.2.2)');
    for (const key of [shared, otherKey, earlierKey]) {
      const spki = sha256Hex(jwkToSpki((await keySigner(key)).jwk));
      const b = await repos().getBlockedKey(spki);
      assert.deepEqual(b && [b.reason, b.actor], ['admin', 'admin:test-admin']);
    }
    const cascade = await revokedAudits(y.serial);
    assert.deepEqual(JSON.parse(cascade[0]?.details ?? '{}'), { reason: 1, via: 'revocation-job', job: job.id, cause: 'keyCompromise', sourceSerial: x.serial });
    const ev = (await repos().listNotificationEvents({ kind: 'certificate.revoked', operatorId: w.opB.id })).filter((e) => e.subject_id === y.serial);
    assert.equal(ev.length, 1, "operator B hears of its subscriber's certificate");
  });

  test('a stopped runner leaves the cursor after its last batch; a new runner resumes there; a stale worker replaying a batch writes nothing', async () => {
    const { sub, serials } = await subscriberWith('resume', 5);
    const job = await create({ selector: 'subscriber', id: sub, reason: 4 });
    assert.equal(job.total, 5);
    // One batch of two, then the lease is "lost" (the runner dies or stalls).
    let renewals = 0;
    const first = bulkRevocationJob(deps(), { batchSize: 2, only: job.id });
    const stopped = (await first.run({ renewLease: async () => renewals++ < 1 })) as BulkRevocationReport;
    assert.equal(stopped.stopped, true);
    const afterOne = (await repos().getRevocationJob(job.id)) as RevocationJobRow;
    assert.deepEqual([afterOne.status, afterOne.revoked, afterOne.skipped, afterOne.cursor], ['running', 2, 0, serials[1]]);
    assert.deepEqual(Object.values(await revokedOf(serials)), [4, 4, null, null, null], 'the two lowest serials, in order');
    assert.equal((await getJob(job.id)).progress, 0.4);

    // Two workers holding the same snapshot of the job (past the lease): one batch each, the second finds the cursor moved.
    const batch = await runRevocationJobBatch(deps(), afterOne, 2);
    assert.deepEqual(batch, { kind: 'advanced', revoked: 2, skipped: 0 });
    assert.deepEqual(await runRevocationJobBatch(deps(sa2), afterOne, 2), { kind: 'lost' });
    const mid = (await repos().getRevocationJob(job.id)) as RevocationJobRow;
    assert.deepEqual([mid.revoked, mid.cursor], [4, serials[3]]);

    // A fresh runner (another process) finishes from the cursor.
    const out = await runner({ batchSize: 2 }, sa2).run(BULK_REVOCATION_JOB);
    assert.equal(out.ran, true);
    const done = await getJob(job.id);
    assert.deepEqual([done.status, done.revoked, done.skipped, done.total, done.progress], ['done', 5, 0, 5, 1]);
    for (const s of serials) assert.equal((await revokedAudits(s)).length, 1, `${s} revoked exactly once`);
    assert.equal((await repos().listAudit('revocation-job', job.id)).filter((e) => e.action === 'revocation-job.done').length, 1);
  });

  test('a serials job walks its own list in serial order across batches and resumes from its cursor', async () => {
    const { serials } = await subscriberWith('listed', 4);
    const job = await create({ selector: 'serials', serials: [...serials].reverse(), reason: 3 });
    let renewals = 0;
    await bulkRevocationJob(deps(), { batchSize: 1, only: job.id }).run({ renewLease: async () => renewals++ < 1 });
    const row = (await repos().getRevocationJob(job.id)) as RevocationJobRow;
    assert.deepEqual([row.status, row.revoked, row.cursor], ['running', 1, serials[0]]);
    assert.deepEqual(Object.values(await revokedOf(serials)), [3, null, null, null]);
    await runner({ batchSize: 3 }, sa2).run(BULK_REVOCATION_JOB);
    const done = await getJob(job.id);
    assert.deepEqual([done.status, done.total, done.revoked, done.skipped], ['done', 4, 4, 0]);
    for (const s of serials) assert.equal((await revokedAudits(s)).length, 1, `${s} revoked exactly once`);
  });

  test('two runners at once: the lease lets one work; even racing past the lease nothing is revoked twice', async () => {
    const { sub, serials } = await subscriberWith('race', 6);
    const job = await create({ selector: 'subscriber', id: sub, reason: 5 });
    const entered = deferred();
    const gate = deferred();
    const real = bulkRevocationJob(deps(), { batchSize: 2 });
    const a = new JobRunner({ sa: f.shomei.inst.sa, clock: f.clock, logger, intervalSeconds: 60, leaseSeconds: 300 }, [
      { name: BULK_REVOCATION_JOB, run: async (ctx) => (entered.resolve(), await gate.promise, real.run(ctx)) },
    ]);
    const pa = a.run(BULK_REVOCATION_JOB);
    await entered.promise;
    assert.deepEqual(await runner({ batchSize: 2 }, sa2).run(BULK_REVOCATION_JOB), { job: BULK_REVOCATION_JOB, ran: false, reason: 'lease-held' });
    gate.resolve();
    assert.equal((await pa).ran, true);
    assert.deepEqual((({ status, revoked, skipped }) => ({ status, revoked, skipped }))(await getJob(job.id)), { status: 'done', revoked: 6, skipped: 0 });

    // Without the lease: two workers loop over one job at the same time, one certificate per batch.
    const { sub: sub2, serials: serials2 } = await subscriberWith('race2', 6);
    const job2 = await create({ selector: 'subscriber', id: sub2, reason: 5 });
    const go = async () => true;
    await Promise.all([runRevocationJob(deps(), job2.id, { batchSize: 1, keepGoing: go }), runRevocationJob(deps(sa2), job2.id, { batchSize: 1, keepGoing: go })]);
    // Whoever lost a race stopped; finish what is left, if anything.
    await runRevocationJob(deps(), job2.id, { batchSize: 1, keepGoing: go });
    const after2 = await getJob(job2.id);
    assert.deepEqual([after2.status, after2.revoked, after2.skipped], ['done', 6, 0]);
    for (const s of [...serials, ...serials2]) assert.equal((await revokedAudits(s)).length, 1, `${s} revoked exactly once`);
  });

  test('cancel: a pending job revokes nothing; a running job stops after its committed batch; a finished job is 409; unknown is 404', async () => {
    const { sub, serials } = await subscriberWith('cancel', 3);
    const pending = await create({ selector: 'subscriber', id: sub, reason: 4 });
    const c = await f.admin.post(`/revocation-jobs/${pending.id}/cancel`, {});
    assert.equal(c.status, 200, c.text);
    assert.deepEqual([c.json().status, c.json().finishedAt], ['cancelled', f.clock.now().toISOString()]);
    await runner().run(BULK_REVOCATION_JOB);
    assert.deepEqual(Object.values(await revokedOf(serials)), [null, null, null]);
    apiProblem(await f.admin.post(`/revocation-jobs/${pending.id}/cancel`, {}), 409, 'conflict');

    const running = await create({ selector: 'subscriber', id: sub, reason: 4 });
    let renewals = 0;
    await bulkRevocationJob(deps(), { batchSize: 1, only: running.id }).run({ renewLease: async () => renewals++ < 1 });
    assert.equal((await getJob(running.id)).status, 'running');
    assert.equal((await f.admin.post(`/revocation-jobs/${running.id}/cancel`)).status, 200);
    await runner({ batchSize: 1 }).run(BULK_REVOCATION_JOB);
    const j = await getJob(running.id);
    assert.deepEqual([j.status, j.revoked, j.skipped], ['cancelled', 1, 0]);
    assert.deepEqual(Object.values(await revokedOf(serials)), [4, null, null]);
    const trail = (await repos().listAudit('revocation-job', running.id)).map((e) => [e.action, e.actor]);
    assert.deepEqual(trail, [['revocation-job.created', 'admin:test-admin'], ['revocation-job.cancelled', 'admin:test-admin']]);
    apiProblem(await f.admin.post('/revocation-jobs/rj_doesnotexist0/cancel'), 404, 'notFound');
  });

  test('the job set is fixed at creation: expired certificates are skipped, certificates issued afterwards are not part of it', async () => {
    const op = await f.designateOperator({ name: 'Timeline Reseller' });
    const sub = await f.createSubscriber(op, 'Timeline');
    await f.apply(op, sub, 'timeline.test', '1y');
    const acct = await account(f, await f.issueEab(op, sub));
    const old = await issueOne(acct, ['timeline.test']);
    f.clock.advance(80 * DAY);
    const recent = await issueOne(acct, ['timeline.test']);
    f.clock.advance(15 * DAY); // the first certificate (90 days) has expired
    const job = await create({ selector: 'subscriber', id: sub, reason: 4 });
    assert.equal(job.total, 2);
    f.clock.advance(1000);
    const later = await issueOne(acct, ['timeline.test']);
    await runner({ only: job.id }).run(BULK_REVOCATION_JOB);
    assert.deepEqual((({ status, total, revoked, skipped }) => ({ status, total, revoked, skipped }))(await getJob(job.id)), { status: 'done', total: 2, revoked: 1, skipped: 1 });
    assert.deepEqual(await revokedOf([old, recent, later]), { [old]: null, [recent]: 4, [later]: null });
  });

  test('admin API: validation errors are problem documents (400), unknown targets 404; 10,000 serials fit in one request; jobs are listed in pages', async () => {
    const { sub, serials } = await subscriberWith('valid', 1);
    const known = serials[0] as string;
    const bad: [Record<string, unknown> | undefined, number, string, RegExp?][] = [
      [{}, 400, 'malformed', /selector/],
      [{ selector: 'everything', reason: 4 }, 400, 'malformed'],
      [{ selector: 'serials', reason: 4 }, 400, 'malformed', /needs "serials"/],
      [{ selector: 'serials', serials: [], reason: 4 }, 400, 'malformed'],
      [{ selector: 'serials', serials: ['not-hex'], reason: 4 }, 400, 'malformed'],
      [{ selector: 'serials', serials: [known], id: sub, reason: 4 }, 400, 'malformed', /not "id"/],
      [{ selector: 'subscriber', reason: 4 }, 400, 'malformed', /needs "id"/],
      [{ selector: 'subscriber', id: sub, serials: [known], reason: 4 }, 400, 'malformed', /not "serials"/],
      [{ selector: 'subscriber', id: 'op_abcdefghijkl', reason: 4 }, 400, 'malformed', /sub_/],
      [{ selector: 'issuer', id: 'xyz', reason: 4 }, 400, 'malformed', /hex/],
      [{ selector: 'subscriber', id: sub, reason: 2 }, 400, 'badRevocationReason', /0, 1, 3, 4, 5, 9/],
      [{ selector: 'subscriber', id: sub, reason: 6 }, 400, 'badRevocationReason'],
      [{ selector: 'subscriber', id: sub, reason: '4' }, 400, 'malformed'],
      [{ selector: 'subscriber', id: sub, reason: 4, why: 'x' }, 400, 'malformed', /unknown property "why"/],
      [{ selector: 'subscriber', id: sub, reason: 4, note: 'x'.repeat(501) }, 400, 'malformed'],
      [{ selector: 'subscriber', id: 'sub_doesnotexist', reason: 4 }, 404, 'notFound', /No subscriber sub_doesnotexist/],
      [{ selector: 'usage_fqdn', id: 'fq_doesnotexist', reason: 4 }, 404, 'notFound'],
      [{ selector: 'operator', id: 'op_doesnotexist', reason: 4 }, 404, 'notFound'],
      [{ selector: 'issuer', id: 'ab:cd:ef', reason: 4 }, 404, 'notFound', /abcdef/],
      [{ selector: 'serials', serials: [known, '0badc0de'], reason: 4 }, 404, 'notFound', /0badc0de/],
      [{ selector: 'serials', serials: Array.from({ length: 10_001 }, (_, i) => `ee${i.toString(16).padStart(38, '0')}`), reason: 4 }, 400, 'malformed', /10000/],
    ];
    for (const [body, status, kind, detail] of bad) {
      const p = apiProblem(await f.admin.post('/revocation-jobs', body), status, kind);
      if (detail) assert.match(p.detail, detail, JSON.stringify(body).slice(0, 200));
    }
    // 10,000 serials (~430 kB, far above the server-wide body limit) are read and checked: all unknown.
    const many = Array.from({ length: 10_000 }, (_, i) => `ee${i.toString(16).padStart(38, '0')}`);
    assert.match(apiProblem(await f.admin.post('/revocation-jobs', { selector: 'serials', serials: many, reason: 4 }), 404, 'notFound').detail, /and 9990 more/);
    apiProblem(await f.admin.withToken('').post('/revocation-jobs', { selector: 'subscriber', id: sub, reason: 4 }), 401, 'unauthorized');
    apiProblem(await f.admin.get('/revocation-jobs/rj_doesnotexist0'), 404, 'notFound');
    apiProblem(await f.admin.get('/revocation-jobs/not-a-job'), 400, 'malformed');
    assert.equal(await repos().getRevocationJob('rj_doesnotexist0'), undefined);

    // Paging: every job of this suite, oldest first, one per page.
    const seen: string[] = [];
    let next: string | null = null;
    do {
      const r = await f.admin.get(`/revocation-jobs?limit=1${next ? `&cursor=${next}` : ''}`);
      assert.equal(r.status, 200, r.text);
      const page = r.json() as { items: RevocationJobView[]; next: string | null };
      assert.ok(page.items.length <= 1);
      seen.push(...page.items.map((j) => j.id));
      next = page.next;
    } while (next !== null);
    const listed = (await f.admin.get('/revocation-jobs?limit=500')).json().items as RevocationJobView[];
    assert.deepEqual(seen, listed.map((j) => j.id));
    assert.ok(seen.length >= 10, `${seen.length} jobs`);
    assert.ok(listed.every((j) => j.status === 'done' || j.status === 'cancelled'), 'no job left unfinished');
  });

  test('issuer: every certificate of the issuing CA (key id in any case, with colons) — the live ones revoked, the rest skipped', async () => {
    const rows = await Promise.all(issued.map((s) => repos().getCertificate(s)));
    const issuerKeyId = rows[0]?.issuer_key_id;
    assert.ok(issuerKeyId, 'certificates record their issuer key id');
    assert.ok(rows.every((r) => r?.issuer_key_id === issuerKeyId));
    const now = f.clock.now().toISOString();
    const live = rows.filter((r) => r && r.revoked_at === null && r.not_after > now).map((r) => r?.serial as string);
    assert.ok(live.length > 0);
    const job = await create({ selector: 'issuer', id: (issuerKeyId.toUpperCase().match(/../g) ?? []).join(':'), reason: 9 });
    assert.equal(job.targetId, issuerKeyId);
    // The suite's certificates are all there is on this fixture's database (plus none from elsewhere).
    assert.equal(job.total, issued.length);
    await runner({ only: job.id, batchSize: 7 }).run(BULK_REVOCATION_JOB);
    const done = await getJob(job.id);
    assert.deepEqual([done.status, done.revoked, done.skipped], ['done', live.length, issued.length - live.length]);
    for (const s of live) assert.equal((await repos().getCertificate(s))?.revocation_reason, 9);
  });
});
