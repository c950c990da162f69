// RFC 9773 renewal windows of subscriber certificates: a certificate holding
// a name whose usage FQDN ends (termination notice, SPEC §5.3) before its
// notAfter — it will be revoked then (SPEC §5.4) — is told to renew now.
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { X509Certificate } from 'node:crypto';
import { AgencyFixture, type OperatorHandle } from '../../support/agency-fixture.js';
import { account, issue, type Acct } from '../../support/agency-acme.js';
import { AriClient, certIdOf } from '../../support/ari-client.js';

describe('ARI windows and the end of usage (RFC 9773 §4.2, SPEC §5.3–§5.4)', () => {
  let f: AgencyFixture;
  let op: OperatorHandle;
  let acct: Acct;
  let ari: AriClient;
  const ids: Record<string, string> = {};
  const certs: Record<string, string> = {};
  before(async () => {
    f = await AgencyFixture.start(); // 2026-11-21 12:00 in Tokyo
    op = await f.designateOperator();
    const sub = await f.createSubscriber(op);
    for (const fqdn of ['term.test', 'live.test', 'keep.test', '*.keep.test']) ids[fqdn] = await f.apply(op, sub, fqdn, '1m');
    acct = await account(f, await f.issueEab(op, sub));
    ari = await AriClient.fromDirectory(f.shomei.directoryUrl, f.shomei.rootPem);
    const plan: [string, string[]][] = [
      ['multi', ['term.test', 'live.test']], // a name of the ending FQDN and one of a continuing FQDN
      ['term', ['term.test', 'www.term.test']],
      ['live', ['live.test', 'www.live.test']],
      ['keep', ['keep.test']], // allowed by keep.test and by *.keep.test
    ];
    for (const [label, names] of plan) certs[label] = await issue(f, acct, names);
  });
  after(() => f.close());

  /** The CertID computed by the test client from the certificate's own DER. */
  async function certIdOfLabel(label: string): Promise<string> {
    const row = await f.shomei.inst.sa.repos.getCertificate(certs[label] as string);
    return certIdOf(new Uint8Array(Buffer.from(row?.der as string, 'base64')));
  }

  async function window(label: string): Promise<{ start: Date; end: Date }> {
    const r = await ari.get(await certIdOfLabel(label));
    assert.equal(r.status, 200, r.response.body);
    assert.equal(r.retryAfter, '21600');
    const w = r.window as { start: Date; end: Date };
    assert.ok(w.start < w.end);
    return w;
  }

  async function assertMiddleThird(label: string): Promise<void> {
    const row = await f.shomei.inst.sa.repos.getCertificate(certs[label] as string);
    const x = new X509Certificate(Buffer.from(row?.der as string, 'base64'));
    const nb = new Date(x.validFrom).getTime();
    const third = (new Date(x.validTo).getTime() - nb) / 3;
    const w = await window(label);
    assert.equal(w.start.getTime(), Math.floor((nb + third) / 1000) * 1000, `${label}: start`);
    assert.equal(w.end.getTime(), Math.floor((nb + 2 * third) / 1000) * 1000, `${label}: end`);
  }

  async function assertInThePast(label: string): Promise<void> {
    const w = await window(label);
    assert.ok(w.end < f.clock.now(), `${label}: window ${w.start.toISOString()}–${w.end.toISOString()} is not before ${f.clock.now().toISOString()}`);
  }

  const notice = (fqdn: string) => op.api.post(`/usage-fqdns/${ids[fqdn]}/termination-notice`, {});

  test('without termination notices every certificate gets the middle third of its validity', async () => {
    for (const label of ['multi', 'term', 'live', 'keep']) await assertMiddleThird(label);
  });

  test('a notice ending term.test at 2026-12-31 (before notAfter): its certificates, multi-domain ones included, are told to renew now', async () => {
    f.clock.set('2026-12-10T01:00:00Z');
    assert.equal((await notice('term.test')).status, 200);
    assert.equal((await notice('keep.test')).status, 200);
    await assertInThePast('multi');
    await assertInThePast('term');
    await assertMiddleThird('live');
    // keep.test is still allowed by *.keep.test, which continues: the certificate is not revoked (SPEC §5.4).
    await assertMiddleThird('keep');
  });

  test('a certificate issued after the notice keeps the middle third (no renewal loop until the end of usage)', async () => {
    certs['after'] = await issue(f, acct, ['term.test']);
    await assertMiddleThird('after');
  });

  test('withdrawing the notice restores the normal window', async () => {
    assert.equal((await op.api.delete(`/usage-fqdns/${ids['term.test']}/termination-notice`)).status, 200);
    await assertMiddleThird('multi');
    await assertMiddleThird('term');
  });

  test('at the end of usage the certificate is revoked and its window stays in the past; continuing ones keep theirs', async () => {
    assert.equal((await notice('term.test')).status, 200);
    await assertInThePast('term');
    f.clock.set('2026-12-31T16:00:00Z'); // 2027-01-01 01:00 in Tokyo: the day after the expiry date
    const run = await f.runLifecycle();
    assert.equal(run.ran, true);
    const row = await f.shomei.inst.sa.repos.getCertificate(certs['term'] as string);
    assert.notEqual(row?.revoked_at, null, 'revoked at the end of usage (SPEC §5.4)');
    await assertInThePast('term');
    await assertMiddleThird('live');
  });
});
