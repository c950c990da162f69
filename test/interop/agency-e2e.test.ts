import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeClock } from '../../src/core/clock.js';
import { AgencyFixture, type OperatorHandle } from '../support/agency-fixture.js';
import { describeRun, dnsSans, opensslVerify, readLeaf, removeDir, runClient, startTxtControl, storedSerial, tempDir, type ClientResult, type TxtControl } from './interop-support.js';

/**
 * The agency channel end to end (issue 3), with Debian's certbot as the
 * subscriber's ACME client: an admin designates an operator; the operator
 * registers a subscriber, applies for `example.test` (1 month) and
 * `*.wild.test` (1 year) and issues ACME credentials; certbot gets one
 * multi-domain certificate; other names are refused; the injected clock then
 * walks through a continuation, a termination notice (filed, withdrawn, filed
 * again) and the end of usage, which revokes the certificate; the operator's
 * statements show every fee.
 */
describe('agency channel end to end with certbot', { timeout: 10 * 60_000 }, () => {
  // 12:00 JST: the start date is 2026-11-21, the 1-month expiry 2026-12-31.
  const clock = new FakeClock('2026-11-21T03:00:00Z');
  let f: AgencyFixture;
  let txt: TxtControl;
  let work: string;
  let rootPath: string;
  let op: OperatorHandle;
  let subscriberId: string;
  let exampleId: string;
  let wildId: string;
  let eab: { kid: string; hmacKey: string };
  let serial: string;

  before(async () => {
    f = await AgencyFixture.start({ clock });
    work = tempDir('agency');
    txt = await startTxtControl(f.dns, work);
    rootPath = join(work, 'root.pem');
    writeFileSync(rootPath, f.shomei.rootPem);
  });
  after(async () => {
    await txt?.close();
    await f?.close();
    if (work) removeDir(work);
  });

  function certbot(args: string[]): Promise<ClientResult> {
    const profile = join(work, 'certbot');
    return runClient(
      'certbot',
      [
        'certonly',
        '--server', f.shomei.directoryUrl,
        '--agree-tos', '--email', 'hanako@customer.test', '--no-eff-email',
        `--eab-kid=${eab.kid}`, `--eab-hmac-key=${eab.hmacKey}`,
        '--manual', '--preferred-challenges', 'dns',
        '--manual-auth-hook', `${txt.hookPath} certbot-present`,
        '--manual-cleanup-hook', `${txt.hookPath} certbot-cleanup`,
        '--non-interactive',
        '--config-dir', join(profile, 'config'), '--work-dir', join(profile, 'work'), '--logs-dir', join(profile, 'logs'),
        ...args,
      ],
      { env: { ...process.env, REQUESTS_CA_BUNDLE: rootPath }, cwd: work },
    );
  }
  const certbotLog = () => readFileSync(join(work, 'certbot', 'logs', 'letsencrypt.log'), 'utf8');

  async function usage(id: string) {
    const r = await op.api.get(`/usage-fqdns/${id}`);
    assert.equal(r.status, 200, r.text);
    return r.json();
  }

  async function runDayBoundary(at: string) {
    clock.set(at);
    const out = await f.runLifecycle();
    assert.equal(out.ran, true);
    return out;
  }

  test('an admin designates an operator; it registers a subscriber, two usage FQDNs and ACME credentials', async () => {
    op = await f.designateOperator({ name: 'Sakura Reseller K.K.' });
    subscriberId = await f.createSubscriber(op, 'Hanako Suzuki');
    exampleId = await f.apply(op, subscriberId, 'example.test', '1m');
    wildId = await f.apply(op, subscriberId, '*.wild.test', '1y');
    eab = await f.issueEab(op, subscriberId);
    assert.equal((await usage(exampleId)).status, 'applied');
    assert.match(eab.kid, /^kid-/);
  });

  test('certbot gets one certificate for example.test + www.example.test + wild.test + *.wild.test', async () => {
    const names = ['example.test', 'www.example.test', 'wild.test', '*.wild.test'];
    const r = await certbot(['--cert-name', 'multi', ...names.flatMap((n) => ['-d', n])]);
    assert.equal(r.code, 0, describeRun(r));
    const live = join(work, 'certbot', 'config', 'live', 'multi');
    const leaf = readLeaf(join(live, 'cert.pem'));
    assert.deepEqual(dnsSans(leaf), [...names].sort());
    const v = opensslVerify(work, f.shomei.rootPem, readFileSync(join(live, 'cert.pem'), 'utf8'), readFileSync(join(live, 'chain.pem'), 'utf8'));
    assert.ok(v.ok, v.output);
    serial = storedSerial(leaf);

    // SPEC §5.3: both usage FQDNs start on the issue date (Asia/Tokyo) with their first expiry.
    const ex = await usage(exampleId);
    assert.equal(ex.status, 'active');
    assert.equal(ex.startDate, '2026-11-21');
    assert.equal(ex.expiryDate, '2026-12-31');
    assert.deepEqual(ex.certificates.map((c: { serial: string }) => c.serial), [serial]);
    const wild = await usage(wildId);
    assert.equal(wild.startDate, '2026-11-21');
    assert.equal(wild.expiryDate, '2027-11-30');

    const cert = await op.api.get(`/certificates/${serial}`);
    assert.equal(cert.status, 200, cert.text);
    assert.equal(cert.json().subscriberId, subscriberId);
  });

  test('an order for a name outside the usage FQDNs is refused with rejectedIdentifier', async () => {
    const r = await certbot(['--cert-name', 'other', '-d', 'other.test']);
    assert.notEqual(r.code, 0, describeRun(r));
    // certbot 2.1 reports server refusals poorly (certbot #9539); its debug log holds the server's answer.
    const log = certbotLog();
    assert.match(log, /urn:ietf:params:acme:error:rejectedIdentifier/, describeRun(r));
    assert.match(log, /other\.test/);
  });

  test('past the 1-month expiry with no termination notice, the usage continues and a fee line is added', async () => {
    await runDayBoundary('2026-12-31T14:59:00Z'); // 23:59 JST on the expiry date: nothing happens yet
    assert.equal((await usage(exampleId)).expiryDate, '2026-12-31');
    await runDayBoundary('2026-12-31T15:00:30Z'); // 00:00:30 JST on 2027-01-01
    const ex = await usage(exampleId);
    assert.equal(ex.status, 'active');
    assert.equal(ex.expiryDate, '2027-01-31');
    const jan = (await op.api.get('/statements/2027-01')).json();
    assert.deepEqual(
      jan.lines.map((l: { kind: string; fqdn: string; periodStart: string; periodEnd: string; total: number }) => [l.kind, l.fqdn, l.periodStart, l.periodEnd, l.total]),
      [['continuation', 'example.test', '2027-01-01', '2027-01-31', 550]],
    );
  });

  test('a termination notice is filed, withdrawn and filed again', async () => {
    clock.set('2027-01-10T01:00:00Z');
    const filed = await op.api.post(`/usage-fqdns/${exampleId}/termination-notice`, {});
    assert.equal(filed.status, 200, filed.text);
    assert.ok(filed.json().terminationNotice);
    const withdrawn = await op.api.delete(`/usage-fqdns/${exampleId}/termination-notice`);
    assert.equal(withdrawn.status, 200, withdrawn.text);
    assert.equal(withdrawn.json().terminationNotice, null);
    const again = await op.api.post(`/usage-fqdns/${exampleId}/termination-notice`, {});
    assert.equal(again.status, 200, again.text);
    assert.ok(again.json().terminationNotice);
  });

  test('past the expiry, the usage ends and the multi-domain certificate is revoked with reason 5', async () => {
    await runDayBoundary('2027-01-31T15:00:30Z'); // 00:00:30 JST on 2027-02-01
    const ex = await usage(exampleId);
    assert.equal(ex.status, 'ended');
    assert.equal(ex.endedOn, '2027-01-31');
    const row = await f.shomei.inst.sa.repos.getCertificate(serial);
    assert.ok(row?.revoked_at, 'certificate revoked');
    assert.equal(row?.revocation_reason, 5);
    assert.equal((await usage(wildId)).status, 'active', 'the 1-year usage FQDN runs on');
    // Each step was stored as a notification event for the operator to relay (SPEC §10).
    const events = (await f.admin.get(`/notification-events?operatorId=${op.id}`)).json().items as { kind: string; subjectId: string; payload: Record<string, unknown> }[];
    const about = (kind: string, subject: string) => events.filter((e) => e.kind === kind && e.subjectId === subject);
    assert.equal(about('usage-fqdn.started', exampleId).length, 1);
    assert.equal(about('usage-fqdn.continued', exampleId).length, 1);
    assert.equal(about('usage-fqdn.ended', exampleId).length, 1);
    assert.deepEqual(about('certificate.revoked', serial).map((e) => e.payload['reason']), [5]);
  });

  test('new orders for example.test are refused, naming the end of usage', async () => {
    const r = await certbot(['--cert-name', 'again', '-d', 'example.test']);
    assert.notEqual(r.code, 0, describeRun(r));
    const log = certbotLog();
    assert.match(log, /urn:ietf:params:acme:error:rejectedIdentifier/, describeRun(r));
    assert.match(log, /usage period of example\.test ended on 2027-01-31/);
  });

  test("the operator's statements show the right lines and totals", async () => {
    const nov = (await op.api.get('/statements/2026-11')).json();
    const lines = nov.lines.map((l: { kind: string; fqdn: string | null; period: string | null; unitPrice: number; tax: number; total: number }) => [l.kind, l.fqdn, l.period, l.unitPrice, l.tax, l.total]);
    assert.deepEqual(
      lines.sort(),
      [
        ['contract', null, null, 250000, 25000, 275000],
        ['registration', '*.wild.test', '1y', 5000, 500, 5500],
        ['registration', 'example.test', '1m', 500, 50, 550],
      ].sort(),
    );
    assert.equal(nov.subtotal, 255500);
    assert.equal(nov.tax, 25550);
    assert.equal(nov.total, 281050);
    const dec = (await op.api.get('/statements/2026-12')).json();
    assert.deepEqual(dec.lines, []);
    assert.equal(dec.openingBalance, 281050);
    const feb = (await op.api.get('/statements/2027-02')).json();
    assert.deepEqual(feb.lines, [], 'no continuation after the end of usage');
    assert.equal(feb.openingBalance, 281050 + 550);
    const csv = await op.api.get('/statements/2026-11?format=csv');
    assert.equal(csv.status, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    assert.match(csv.text, /\r\n2026-11,total,,,,,,,,,,281050,JPY\r\n/);
  });
});
