// AR 19 / AT 7 contract termination and hand-over, end to end over the real
// admin and operator APIs and ACME, with the clock injected: the CA desk or a
// successor must exist; the departed operator's access ends at the effective
// instant (not a second later, not a second earlier); the termination job
// moves live usage FQDNs, their subscribers and certificates in one
// transaction, idempotently; the new managing operator sees, revokes and is
// billed for them; the subscriber's ACME account keeps renewing; hand-over
// demands need ≥ 10 days' notice and lapse; the hand-over package extracts
// with the system tar and verifies with sha256sum -c.
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgencyFixture, type OperatorHandle } from '../../support/agency-fixture.js';
import { account, issue, type Acct } from '../../support/agency-acme.js';
import { ApiClient } from '../../support/api-client.js';
import { applyTermination } from '../../../src/registry/transfers.js';
import type { OperatorTerminationRow } from '../../../src/sa/index.js';
import { parseCsv } from '../../support/csv-parse.js';

type Json = Record<string, unknown>;


interface Extracted {
  dir: string;
  files: string[];
  manifest: { operator: { id: string; name: string; status: string }; generatedAt: string; files: { name: string; bytes: number; sha256: string }[] };
  json(name: string): Json[];
  csv(name: string): string[][];
}

/** Write the archive, extract it with the system tar, check it with sha256sum -c and against the manifest. */
function extractAndVerify(work: string, archive: Buffer, label: string): Extracted {
  const at = join(work, label);
  execFileSync('mkdir', ['-p', at]);
  writeFileSync(join(at, 'package.tar.gz'), archive);
  execFileSync('tar', ['-xzf', 'package.tar.gz'], { cwd: at });
  const top = readdirSync(at).filter((n) => n !== 'package.tar.gz');
  assert.equal(top.length, 1, `one top-level directory: ${top.join(',')}`);
  const dir = join(at, top[0] as string);
  // The real tool: every line of SHA256SUMS checks out.
  const check = execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir, encoding: 'utf8' });
  const files = readdirSync(dir).sort();
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Extracted['manifest'];
  for (const m of manifest.files) {
    const data = readFileSync(join(dir, m.name));
    assert.equal(createHash('sha256').update(data).digest('hex'), m.sha256, `${m.name} hash`);
    assert.equal(data.length, m.bytes, `${m.name} size`);
    assert.match(check, new RegExp(`^${m.name.replace('.', '\\.')}: OK$`, 'm'));
  }
  assert.match(check, /^manifest\.json: OK$/m);
  return {
    dir,
    files,
    manifest,
    json: (name) => JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as Json[],
    csv: (name) => parseCsv(readFileSync(join(dir, `${name}.csv`), 'utf8')),
  };
}

describe('Contract termination, transfer and hand-over (AR 19, AT 7)', () => {
  let f: AgencyFixture;
  let adminToken: string;
  let opA: OperatorHandle; // leaves; the CA desk takes over
  let opB: OperatorHandle; // leaves; opS takes over
  let opS: OperatorHandle; // successor
  let opN: OperatorHandle; // no ACME-edition handling application
  let desk: OperatorHandle;
  let subA: string;
  let subA2: string; // no usage FQDN: stays with opA
  let subB: string;
  let acctA: Acct;
  let acctB: Acct;
  const ids: Record<string, string> = {};
  const certs: Record<string, string> = {};
  let work: string;

  const repos = () => f.shomei.inst.sa.repos;
  const runTermination = async () => {
    const out = await f.shomei.inst.jobs.run('termination');
    assert.equal(out.ran, true);
    return (out as { result: { transferred: Json[]; failed: Json[]; lapsedDemands: number } }).result;
  };
  const events = async (kind: string, operatorId?: string) =>
    (await f.admin.get(`/notification-events?kind=${kind}${operatorId ? `&operatorId=${operatorId}` : ''}`)).json().items as { operatorId: string; subjectId: string; payload: Json }[];

  before(async () => {
    f = await AgencyFixture.start(); // 2026-11-21 12:00 in Tokyo
    adminToken = (await f.shomei.inst.registry.createAdminToken({ name: 'handover-admin' }, { kind: 'admin', name: 'bootstrap' })).token;
    work = mkdtempSync(join(tmpdir(), 'shomei-handover-'));
    opA = await f.designateOperator({ name: 'Leaving A K.K.' });
    opB = await f.designateOperator({ name: 'Leaving B K.K.' });
    opS = await f.designateOperator({ name: 'Successor S K.K.' });
    opN = await f.designateOperator({ name: 'No ACME N K.K.', acmeHandling: false });
    subA = await f.createSubscriber(opA, 'Subscriber A');
    subA2 = await f.createSubscriber(opA, 'Subscriber A2');
    subB = await f.createSubscriber(opB, 'Subscriber B');
    ids['a1'] = await f.apply(opA, subA, 'a1.test', '1m');
    ids['aend'] = await f.apply(opA, subA, 'aend.test', '1m');
    ids['apend'] = await f.apply(opA, subA, 'apend.test', '1y'); // applied, never started
    ids['b1'] = await f.apply(opB, subB, 'b1.test', '1y');
    acctA = await account(f, await f.issueEab(opA, subA));
    acctB = await account(f, await f.issueEab(opB, subB));
    certs['a1'] = await issue(f, acctA, ['a1.test', 'www.a1.test']);
    certs['aend'] = await issue(f, acctA, ['aend.test']);
    certs['b1'] = await issue(f, acctB, ['b1.test']);
    const tn = await opA.api.post(`/usage-fqdns/${ids['aend']}/termination-notice`, {});
    assert.equal(tn.status, 200, tn.text);
  });
  after(async () => {
    await f.close();
    rmSync(work, { recursive: true, force: true });
  });

  test('without a successor and without the CA desk, termination is refused, telling the admin to designate the desk', async () => {
    const r = await f.admin.post(`/operators/${opA.id}/termination`, { effectiveAt: '2027-02-01', reason: 'Contract ended' });
    assert.equal(r.status, 409, r.text);
    assert.match(r.json().detail, /reseller desk.*--ca-desk/);
    assert.equal(await repos().getOperatorTermination(opA.id), undefined);
  });

  test('the CA desk cannot leave without a successor; a successor needs the ACME-edition application; bad dates are refused', async () => {
    const d = await f.admin.post('/operators', { name: 'CA Reseller Desk', representative: 'CA', contacts: [{ email: 'desk@ca.test' }], acmeHandling: true, caDesk: true });
    assert.equal(d.status, 201, d.text);
    const k = await f.admin.post(`/operators/${d.json().id}/api-keys`, { label: 'desk' });
    desk = { id: d.json().id, token: k.json().token, keyId: k.json().key.id, api: f.operatorClient(k.json().token) };

    const self = await f.admin.post(`/operators/${desk.id}/termination`, { effectiveAt: '2027-02-01', reason: 'x' });
    assert.equal(self.status, 409, self.text);
    assert.match(self.json().detail, /desk can only be terminated with a successor/);
    const noAcme = await f.admin.post(`/operators/${opA.id}/termination`, { effectiveAt: '2027-02-01', reason: 'x', successorOperatorId: opN.id });
    assert.equal(noAcme.status, 409, noAcme.text);
    assert.match(noAcme.json().detail, /ACME-edition handling/);
    const own = await f.admin.post(`/operators/${opA.id}/termination`, { effectiveAt: '2027-02-01', reason: 'x', successorOperatorId: opA.id });
    assert.equal(own.status, 400, own.text);
    for (const effectiveAt of ['2026-11-20', '2026-11-20T23:59:59+09:00', '2027-02-30', '2027-02-01T00:00:00', 'tomorrow']) {
      const r = await f.admin.post(`/operators/${opA.id}/termination`, { effectiveAt, reason: 'x' });
      assert.equal(r.status, 400, `${effectiveAt}: ${r.text}`);
    }
    assert.equal(await repos().getOperatorTermination(opA.id), undefined);
  });

  test('a hand-over demand needs a termination on record first', async () => {
    const r = await f.admin.post(`/operators/${opA.id}/handover-demands`, { deadline: '2026-12-31' });
    assert.equal(r.status, 409, r.text);
  });

  test('terminate A (local date → start of that day in Tokyo, CA desk takes over) and B (instant, successor S); one termination per operator', async () => {
    const a = await f.admin.post(`/operators/${opA.id}/termination`, { effectiveAt: '2027-02-01', reason: 'Contract ended by the CA' });
    assert.equal(a.status, 201, a.text);
    assert.deepEqual(
      [a.json().effectiveAt, a.json().effectiveDate, a.json().status, a.json().successorOperatorId, a.json().handoverTo],
      ['2027-01-31T15:00:00.000Z', '2027-02-01', 'scheduled', null, { id: desk.id, name: 'CA Reseller Desk' }],
    );
    const again = await f.admin.post(`/operators/${opA.id}/termination`, { effectiveAt: '2027-03-01', reason: 'again' });
    assert.equal(again.status, 409, again.text);

    const b = await f.admin.post(`/operators/${opB.id}/termination`, { effectiveAt: '2027-01-15T10:00:00+09:00', reason: 'Merged into S', successorOperatorId: opS.id });
    assert.equal(b.status, 201, b.text);
    assert.deepEqual([b.json().effectiveAt, b.json().handoverTo], ['2027-01-15T01:00:00.000Z', { id: opS.id, name: 'Successor S K.K.' }]);
    assert.equal((await f.admin.get(`/operators/${opB.id}/termination`)).json().id, b.json().id);

    const ev = await events('operator.termination-scheduled', opA.id);
    assert.equal(ev.length, 1);
    assert.deepEqual(ev[0]?.payload, { terminationId: a.json().id, operatorName: 'Leaving A K.K.', effectiveAt: '2027-01-31T15:00:00.000Z', reason: 'Contract ended by the CA', successorName: 'CA Reseller Desk' });
    assert.equal((await events('operator.termination-scheduled', opB.id))[0]?.payload['successorName'], 'Successor S K.K.');
    // A scheduled termination does not stop the operator yet.
    assert.equal((await opA.api.get('/me')).status, 200);
    const audit = await repos().listAudit('operator', opA.id);
    assert.ok(audit.some((e) => e.action === 'operator.termination-scheduled' && e.actor === 'admin:test-admin'));
  });

  test('hand-over demand (AR 19): 9 days ahead refused with the earliest date, 10 days accepted and notified; fulfilled once', async () => {
    // Today is 2026-11-21 in Tokyo.
    const nine = await f.admin.post(`/operators/${opA.id}/handover-demands`, { deadline: '2026-11-30' });
    assert.equal(nine.status, 400, nine.text);
    assert.match(nine.json().detail, /at least 10 days.*2026-12-01 or later/);
    const ten = await f.admin.post(`/operators/${opA.id}/handover-demands`, { deadline: '2026-12-01' });
    assert.equal(ten.status, 201, ten.text);
    const d = ten.json();
    assert.equal(d.status, 'open');
    assert.equal(d.items.length, 5); // the standard list
    const ev = await events('operator.handover-demand', opA.id);
    assert.deepEqual(ev.map((e) => e.payload), [{ demandId: d.id, operatorName: 'Leaving A K.K.', deadline: '2026-12-01', items: d.items }]);

    const b = await f.admin.post(`/operators/${opB.id}/handover-demands`, { deadline: '2026-12-05', items: ['Subscriber list', 'Open complaints'] });
    assert.equal(b.status, 201, b.text);
    assert.deepEqual(b.json().items, ['Subscriber list', 'Open complaints']);

    const done = await f.admin.post(`/operators/${opA.id}/handover-demands/${d.id}/fulfilled`);
    assert.equal(done.status, 200, done.text);
    assert.deepEqual([done.json().status, done.json().fulfilledAt], ['fulfilled', '2026-11-21T03:00:00.000Z']);
    assert.equal((await f.admin.post(`/operators/${opA.id}/handover-demands/${d.id}/fulfilled`)).status, 409);
    // Another operator's path does not reach it.
    assert.equal((await f.admin.post(`/operators/${opB.id}/handover-demands/${d.id}/fulfilled`)).status, 404);
    assert.deepEqual((await f.admin.get(`/operators/${opA.id}/handover-demands`)).json().items.map((x: Json) => x['status']), ['fulfilled']);
  });

  test('hand-over package of A before the transfer: system tar extracts it, sha256sum -c and the manifest agree, JSON and CSV agree; the export is audited', async () => {
    const r = await f.admin.withToken(adminToken).getBytes(`/operators/${opA.id}/handover-package`);
    assert.equal(r.status, 200, r.body.toString('utf8').slice(0, 300));
    assert.equal(r.headers['content-type'], 'application/gzip');
    assert.match(String(r.headers['content-disposition']), new RegExp(`^attachment; filename="shomei-handover-${opA.id}-2026-11-21\\.tar\\.gz"$`));
    const p = extractAndVerify(work, r.body, 'before');
    const tables = ['subscribers', 'usage-fqdns', 'certificates', 'consent-records', 'open-notices'];
    assert.deepEqual(p.files, ['SHA256SUMS', 'manifest.json', ...tables.flatMap((t) => [`${t}.csv`, `${t}.json`])].sort());
    assert.deepEqual(p.manifest.operator, { id: opA.id, name: 'Leaving A K.K.', status: 'active' });
    assert.equal(p.manifest.generatedAt, '2026-11-21T03:00:00.000Z');
    assert.deepEqual(p.manifest.files.map((x) => x.name).sort(), tables.flatMap((t) => [`${t}.csv`, `${t}.json`]).sort());
    for (const t of tables) {
      const csv = p.csv(t);
      assert.equal(csv.length - 1, p.json(t).length, `${t}: CSV rows = JSON rows`);
      // Same columns, same values (lists are arrays in JSON, space-separated in CSV).
      const header = csv[0] as string[];
      p.json(t).forEach((o, i) => {
        for (const [j, col] of header.entries()) {
          const v = o[col];
          const expected = v === null || v === undefined ? '' : Array.isArray(v) ? v.join(' ') : String(v);
          assert.equal((csv[i + 1] as string[])[j], expected.replace(/^([=+\-@])/, "'$1"), `${t}[${i}].${col}`);
        }
      });
    }
    assert.deepEqual(p.json('subscribers').map((s) => s['id']).sort(), [subA, subA2].sort());
    assert.deepEqual(p.json('usage-fqdns').map((u) => [u['fqdn'], u['status'], u['managing_operator_id']]).sort(), [
      ['a1.test', 'active', opA.id],
      ['aend.test', 'active', opA.id],
      ['apend.test', 'applied', opA.id],
    ]);
    const a1 = p.json('usage-fqdns').find((u) => u['fqdn'] === 'a1.test') as Json;
    assert.deepEqual([a1['period'], a1['start_date'], a1['expiry_date'], a1['termination_notice_at']], ['1m', '2026-11-21', '2026-12-31', null]);
    const certsJson = p.json('certificates');
    assert.deepEqual(
      certsJson.map((c) => [c['serial'], c['names'], c['status'], c['usage_fqdn_ids']]).sort((x, y) => String(x[1]).localeCompare(String(y[1]))),
      [
        [certs['a1'], ['a1.test', 'www.a1.test'], 'valid', [ids['a1']]],
        [certs['aend'], ['aend.test'], 'valid', [ids['aend']]],
      ],
    );
    assert.match(String(certsJson[0]?.['pem']), /^-----BEGIN CERTIFICATE-----\n/);
    // AR 10: the consent records of every application, with the versions agreed to.
    const consents = p.json('consent-records');
    assert.equal(consents.length, 3);
    assert.ok(consents.every((c) => c['operator_id'] === opA.id && c['subscriber_id'] === subA && c['terms_version'] === 'acme-terms-2026-04'));
    assert.deepEqual(p.json('open-notices').map((n) => [n['kind'], n['fqdn']]).sort(), [
      ['operator-termination', null],
      ['usage-fqdn-termination-notice', 'aend.test'],
    ]);

    const manifestHash = createHash('sha256').update(readFileSync(join(p.dir, 'manifest.json'))).digest('hex');
    assert.equal(r.headers['x-shomei-manifest-sha256'], manifestHash);
    const exported = (await repos().listAudit('operator', opA.id)).filter((e) => e.action === 'operator.handover-package-exported');
    assert.equal(exported.length, 1);
    assert.equal(exported[0]?.actor, 'admin:handover-admin');
    const details = JSON.parse(exported[0]?.details as string) as Json;
    assert.equal(details['manifestSha256'], manifestHash);
    assert.deepEqual(details['rowCounts'], { subscribers: 2, 'usage-fqdns': 3, certificates: 2, 'consent-records': 3, 'open-notices': 2 });
  });

  test('2027-01-01: the job transfers nothing yet and lapses the unfulfilled demand whose deadline passed', async () => {
    f.clock.set('2026-12-31T15:00:00Z'); // 2027-01-01 00:00 Tokyo
    const r = await runTermination();
    assert.deepEqual([r.transferred, r.failed, r.lapsedDemands], [[], [], 1]);
    assert.deepEqual((await f.admin.get(`/operators/${opB.id}/handover-demands`)).json().items.map((x: Json) => x['status']), ['lapsed']);
    assert.equal((await runTermination()).lapsedDemands, 0);
    // A lapsed demand can still be marked fulfilled (late delivery).
    const lapsed = (await f.admin.get(`/operators/${opB.id}/handover-demands`)).json().items[0] as Json;
    const late = await f.admin.post(`/operators/${opB.id}/handover-demands/${lapsed['id']}/fulfilled`);
    assert.deepEqual([late.status, late.json().status, late.json().fulfilledAt], [200, 'fulfilled', '2026-12-31T15:00:00.000Z']);
    // The usage lifecycle of that day: a1 continues (billed to A), aend ends (its certificate revoked).
    const out = await f.runLifecycle();
    assert.equal(out.ran, true);
    assert.equal((await repos().getUsageFqdn(ids['aend'] as string))?.status, 'ended');
    assert.notEqual((await repos().getCertificate(certs['aend'] as string))?.revoked_at, null);
  });

  test('B: one second before the effective instant the operator still works; at the instant every call is 403, even before the job runs', async () => {
    f.clock.set('2027-01-15T00:59:59Z');
    assert.equal((await opB.api.get('/me')).status, 200);
    assert.deepEqual((await runTermination()).transferred, []);
    f.clock.set('2027-01-15T01:00:00Z');
    for (const path of ['/me', '/subscribers', '/certificates', `/usage-fqdns/${ids['b1']}`]) {
      const r = await opB.api.get(path);
      assert.equal(r.status, 403, `${path}: ${r.text}`);
      assert.match(r.json().detail, /contract ended/);
    }
    // Not moved yet: the job does that.
    assert.equal((await repos().getUsageFqdn(ids['b1'] as string))?.operator_id, opB.id);
  });

  test('B → successor S: subscriber, usage FQDN and certificate move in one run; S sees and revokes them, B cannot; ACME keeps renewing', async () => {
    const r = await runTermination();
    assert.deepEqual(r.failed, []);
    assert.equal(r.transferred.length, 1);
    assert.deepEqual(
      { ...r.transferred[0] },
      { terminationId: (await repos().getOperatorTermination(opB.id))?.id, operatorId: opB.id, transferredTo: opS.id, transferredToName: 'Successor S K.K.', fellBackToCaDesk: false, usageFqdns: 1, subscribers: 1, certificates: 1 },
    );
    const t = (await f.admin.get(`/operators/${opB.id}/termination`)).json();
    assert.deepEqual([t.status, t.transferredAt, t.transferredTo, t.transferSummary.usageFqdns], ['effective', '2027-01-15T01:00:00.000Z', opS.id, 1]);
    assert.equal((await f.admin.get(`/operators/${opB.id}`)).json().status, 'terminated');

    // S manages them through its operator API.
    assert.deepEqual((await opS.api.get('/subscribers')).json().items.map((s: Json) => s['id']), [subB]);
    const u = await opS.api.get(`/usage-fqdns/${ids['b1']}`);
    assert.deepEqual([u.status, u.json().operatorId, u.json().status], [200, opS.id, 'active']);
    const listed = (await opS.api.get('/certificates')).json().items as Json[];
    assert.deepEqual(listed.map((c) => [c['serial'], c['operatorId']]), [[certs['b1'], opS.id]]);

    // The subscriber's ACME account (EAB bound to the subscriber) keeps renewing; the new certificate is S's too.
    certs['b1-renewed'] = await issue(f, acctB, ['b1.test']);
    assert.equal((await opS.api.get(`/certificates/${certs['b1-renewed']}`)).json().operatorId, opS.id);
    // S can issue new credentials for the subscriber and revoke on its behalf (AT 11); B cannot.
    assert.equal((await opS.api.post(`/subscribers/${subB}/credentials`, {})).status, 201);
    assert.equal((await opB.api.post(`/certificates/${certs['b1']}/revoke`, { reason: 4 })).status, 403);
    const rv = await opS.api.post(`/certificates/${certs['b1']}/revoke`, { reason: 4 });
    assert.equal(rv.status, 200, rv.text);
    assert.equal(rv.json().revocationReason, 4);

    // Audit: one event per moved subscriber / FQDN with before/after, and a summary.
    const moved = (await repos().listAudit('usage-fqdn', ids['b1'])).filter((e) => e.action === 'usage-fqdn.transferred');
    assert.equal(moved.length, 1);
    assert.deepEqual(JSON.parse(moved[0]?.details as string).before, { operatorId: opB.id });
    assert.deepEqual(JSON.parse(moved[0]?.details as string).after, { operatorId: opS.id });
    assert.equal(moved[0]?.actor, 'system:termination');
    assert.equal((await repos().listAudit('subscriber', subB)).filter((e) => e.action === 'subscriber.transferred').length, 1);
    assert.equal((await repos().listAudit('operator', opB.id)).filter((e) => e.action === 'operator.termination-effective').length, 1);

    // Notifications: to the departed operator (and its subscribers, AR 18) and to the receiver.
    const eff = await events('operator.termination-effective', opB.id);
    assert.deepEqual(eff.map((e) => e.payload), [{ terminationId: t.id, operatorName: 'Leaving B K.K.', effectiveAt: '2027-01-15T01:00:00.000Z', transferredToName: 'Successor S K.K.', usageFqdns: 1, subscribers: 1, certificates: 1, transferredSubscriberIds: [subB] }]);
    const rec = await events('operator.handover-received', opS.id);
    assert.deepEqual(rec.map((e) => e.payload), [{ fromOperatorName: 'Leaving B K.K.', usageFqdns: 1, subscribers: 1, certificates: 1 }]);
  });

  test('the job is idempotent: a second run and a replay of the old row transfer nothing again', async () => {
    const before = (await repos().listAudit('usage-fqdn', ids['b1'])).length;
    assert.deepEqual((await runTermination()).transferred, []);
    const stale: OperatorTerminationRow = { ...((await repos().getOperatorTermination(opB.id)) as OperatorTerminationRow), status: 'scheduled' };
    assert.equal(await applyTermination(f.shomei.inst.registry.deps, stale), null);
    assert.equal((await repos().listAudit('usage-fqdn', ids['b1'])).length, before);
    assert.equal((await events('operator.handover-received', opS.id)).length, 1);
  });

  test('A: boundary at 2027-02-01 00:00 Tokyo; transfer to the CA desk; ended FQDNs, subscribers without live FQDNs and past fees stay with A', async () => {
    f.clock.set('2027-01-31T14:59:59Z');
    assert.equal((await opA.api.get('/me')).status, 200);
    assert.equal((await opA.api.get(`/usage-fqdns/${ids['a1']}`)).status, 200);
    assert.deepEqual((await runTermination()).transferred, []);

    f.clock.set('2027-01-31T15:00:00Z');
    assert.equal((await opA.api.get('/me')).status, 403);
    const r = await runTermination();
    assert.equal(r.transferred.length, 1);
    assert.deepEqual([r.transferred[0]?.['transferredTo'], r.transferred[0]?.['usageFqdns'], r.transferred[0]?.['subscribers'], r.transferred[0]?.['certificates']], [desk.id, 2, 1, 1]);

    const u = async (k: string) => repos().getUsageFqdn(ids[k] as string);
    assert.deepEqual([(await u('a1'))?.operator_id, (await u('apend'))?.operator_id, (await u('aend'))?.operator_id], [desk.id, desk.id, opA.id]);
    assert.equal((await repos().getSubscriber(subA))?.operator_id, desk.id);
    assert.equal((await repos().getSubscriber(subA2))?.operator_id, opA.id);

    // The desk works them through its operator API.
    assert.deepEqual((await desk.api.get('/usage-fqdns')).json().items.map((x: Json) => x['fqdn']).sort(), ['a1.test', 'apend.test']);
    const deskCerts = (await desk.api.get('/certificates')).json().items as Json[];
    assert.deepEqual(deskCerts.map((c) => c['serial']).sort(), [certs['a1'], certs['aend']].sort());
    assert.equal((await opA.api.post(`/certificates/${certs['a1']}/revoke`, { reason: 5 })).status, 403);
  });

  test('the continuation after the transfer is booked on the new managing operator; earlier fee lines stay with A', async () => {
    assert.ok(f.shomei.inst.jobs.jobNames.indexOf('termination') < f.shomei.inst.jobs.jobNames.indexOf('usage-lifecycle'), 'termination runs before the usage lifecycle');
    const out = await f.runLifecycle();
    assert.equal(out.ran, true);
    const lines = await repos().listFeeLinesOfUsageFqdn(ids['a1'] as string);
    assert.deepEqual(
      lines.map((l) => [l.kind, l.accrual_date, l.operator_id]),
      [
        ['registration', '2026-11-21', opA.id],
        ['continuation', '2027-01-01', opA.id],
        ['continuation', '2027-02-01', desk.id],
      ],
    );
    // The subscriber keeps renewing over ACME with the same account.
    const renewed = await issue(f, acctA, ['a1.test']);
    assert.equal((await desk.api.get(`/certificates/${renewed}`)).json().operatorId, desk.id);
    assert.equal((await desk.api.post(`/certificates/${certs['a1']}/revoke`, { reason: 4 })).status, 200);
  });

  test("A's package after the transfer still lists what it brokered, now managed by the desk, without the notices that closed", async () => {
    const r = await f.admin.withToken(adminToken).getBytes(`/operators/${opA.id}/handover-package`);
    assert.equal(r.status, 200);
    const p = extractAndVerify(work, r.body, 'after');
    assert.deepEqual(p.manifest.operator.status, 'terminated');
    assert.deepEqual(p.json('usage-fqdns').map((u) => [u['fqdn'], u['status'], u['managing_operator_id']]).sort(), [
      ['a1.test', 'active', desk.id],
      ['aend.test', 'ended', opA.id],
      ['apend.test', 'applied', desk.id],
    ]);
    assert.equal(p.json('consent-records').length, 3);
    assert.deepEqual(p.json('open-notices'), []);
    assert.equal(p.csv('open-notices').length, 1); // header only
    assert.equal((await repos().listAudit('operator', opA.id)).filter((e) => e.action === 'operator.handover-package-exported').length, 2);
  });

  test('the admin API refuses an operator client and unknown operators', async () => {
    const asOperator = new ApiClient(f.shomei.inst.adminApiUrl, f.shomei.rootPem, opS.token);
    assert.equal((await asOperator.get(`/operators/${opS.id}/handover-package`)).status, 401);
    assert.equal((await f.admin.get('/operators/op_doesnotexist/handover-package')).status, 404);
    assert.equal((await f.admin.get(`/operators/${opS.id}/termination`)).status, 404);
  });
});
