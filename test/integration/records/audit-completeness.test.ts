// SPEC §11 "an audit trail for every state change", end to end: an operator
// is designated, a subscriber applies, gets credentials, obtains a
// certificate over ACME, revokes it over ACME, and the CRL is re-published;
// the audit trail records each change with its actor and channel, the chain
// verifies (also through the admin API), and seven years and a day later the
// retention job purges exactly the old events and nothing else.
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { sql } from 'kysely';
import { AgencyFixture, type OperatorHandle } from '../../support/agency-fixture.js';
import { account, finalize, issue, newOrder, readyOrder, type Acct } from '../../support/agency-acme.js';
import { revokeAsAccount } from '../../support/certificate-keys.js';
import { testDbKind } from '../../support/database.js';
import { verifyAuditChain } from '../../../src/records/audit-verify.js';
import type { AuditVerification } from '../../../src/records/audit-verify.js';
import type { AuditEventView } from '../../../src/records/audit-events.js';
import { openDatabase } from '../../../src/sa/index.js';

const DAY = 86_400_000;
/** Tables holding the CA's records: the retention job never touches them (AR 10, BR 5.5.2). */
const KEPT_TABLES = ['operators', 'subscribers', 'consent_records', 'fqdn_applications', 'usage_fqdns', 'fee_lines', 'eab_keys', 'accounts', 'orders', 'authorizations', 'challenges', 'serials', 'certificates', 'certificate_usage_fqdns', 'crl_shards'];

describe(`audit trail completeness and retention on ${testDbKind()}`, () => {
  let f: AgencyFixture;
  let op: OperatorHandle;
  let acct: Acct;
  let serial: string;
  let startSeq: number;
  const t0 = '2026-11-21T03:00:00.000Z';
  before(async () => {
    f = await AgencyFixture.start();
  });
  after(async () => {
    await f?.close();
  });
  const repos = () => f.shomei.inst.sa.repos;

  test('issuance, revocation and CRL publication leave the expected audit events, each with actor and channel', async () => {
    startSeq = Number((await repos().getAuditChain())?.seq);
    op = await f.designateOperator();
    const sub = await f.createSubscriber(op);
    const usageId = await f.apply(op, sub, 'www.shop.test', '1y');
    const eab = await f.issueEab(op, sub);
    acct = await account(f, eab);
    serial = await issue(f, acct, ['www.shop.test']);
    const cert = await repos().getCertificate(serial);
    assert.ok(cert);
    const r = await revokeAsAccount(f, acct, Buffer.from(cert.der, 'base64').toString('base64url'), 4);
    assert.equal(r.status, 200, r.body);
    const crl = await f.shomei.inst.crl.regenerate();
    assert.equal(crl.published.length, 1);

    const events = (await repos().listAuditAfter(startSeq, 1000)).filter((e) => e.action !== 'operator-api.call');
    const seen = events.map((e) => [e.action, e.channel]);
    assert.deepEqual(seen, [
      ['operator.designated', 'admin'],
      ['operator.api-key-issued', 'admin'],
      ['subscriber.created', 'operator-api'],
      ['usage-fqdn.applied', 'operator-api'],
      ['eab.created', 'operator-api'],
      ['account.created', 'acme'],
      ['order.created', 'acme'],
      ['challenge.processing', 'acme'],
      ['authorization.validated', 'acme'],
      ['order.processing', 'acme'],
      ['precertificate.signed', 'acme'],
      ['usage-fqdn.started', 'acme'],
      ['certificate.issued', 'acme'],
      ['certificate.revoked', 'acme'],
      ['crl.published', 'system'],
    ]);
    const by = (action: string) => events.find((e) => e.action === action);
    assert.equal(by('operator.designated')?.actor, 'admin:test-admin');
    assert.equal(by('operator.designated')?.object_id, op.id);
    assert.equal(by('subscriber.created')?.actor, `operator:${op.id}/key:${op.keyId}`);
    assert.equal(by('usage-fqdn.applied')?.object_id, usageId);
    for (const a of ['account.created', 'order.created', 'challenge.processing', 'order.processing', 'precertificate.signed', 'certificate.issued', 'certificate.revoked']) {
      assert.equal(by(a)?.actor, `account:${acct.id}`, a);
    }
    assert.equal(by('precertificate.signed')?.object_id, serial);
    assert.equal(by('certificate.issued')?.object_id, serial);
    assert.deepEqual(JSON.parse(by('certificate.revoked')?.details ?? '{}'), { reason: 4 });
    assert.deepEqual(JSON.parse(by('order.processing')?.details ?? '{}').before, { status: 'ready' });
    assert.equal(by('crl.published')?.actor, 'system');
    // Every operator API call is audited under its key too (AR 4).
    const calls = (await repos().listAuditAfter(startSeq, 1000)).filter((e) => e.action === 'operator-api.call');
    assert.ok(calls.length >= 3);
    assert.ok(calls.every((c) => c.channel === 'operator-api' && c.actor === `operator:${op.id}/key:${op.keyId}`));

    const v = await verifyAuditChain(repos());
    assert.equal(v.ok, true, JSON.stringify(v.problems));
    const api = await f.admin.get('/audit/verify');
    assert.equal(api.status, 200);
    assert.deepEqual((api.json() as unknown as AuditVerification).problems, []);
    assert.equal((api.json() as unknown as AuditVerification).headSeq, v.headSeq);
  });

  test('a refused request changes nothing and leaves nothing in the trail; a failed finalize is audited with the order moving to invalid', async () => {
    const before = Number((await repos().getAuditChain())?.seq);
    const refused = await newOrder(f, acct, ['other.shop.test']);
    assert.equal(refused.status, 400);
    assert.equal(Number((await repos().getAuditChain())?.seq), before);

    const order = await readyOrder(f, acct, ['www.shop.test']);
    // The usage FQDN ends after the order became ready (SPEC §5.4): finalize must fail and say why.
    const usage = (await repos().listUsageFqdns({ operatorId: op.id, limit: 10 })).find((u) => u.fqdn === 'www.shop.test');
    assert.ok(usage);
    assert.equal(await repos().updateUsageFqdn(usage.id, { status: 'active' }, { status: 'ended', ended_on: '2026-11-21', end_reason: 'termination-notice' }, f.clock.now().toISOString()), true);
    const r = await finalize(f, acct, order, ['www.shop.test']);
    assert.equal(r.status, 400, r.body);
    const events = (await repos().listAuditAfter(before, 100)).filter((e) => e.object_id === order.id);
    assert.deepEqual(events.map((e) => [e.action, e.channel, e.actor]), [
      ['order.created', 'acme', `account:${acct.id}`],
      ['order.invalid', 'acme', `account:${acct.id}`],
    ]);
    const details = JSON.parse(events[1]?.details ?? '{}') as { after: unknown; error: { kind: string } };
    assert.deepEqual(details.after, { status: 'invalid' });
    assert.equal(details.error.kind, 'rejectedIdentifier');
    assert.equal((await repos().getOrder(order.id))?.status, 'invalid');
  });

  test('the admin API lists audit events with filters, paged by seq', async () => {
    const first = await f.admin.get(`/audit/events?objectType=certificate&objectId=${serial}&limit=2`);
    assert.equal(first.status, 200, first.text);
    const page1 = first.json() as unknown as { items: AuditEventView[]; next: string | null };
    assert.deepEqual(page1.items.map((e) => e.action), ['precertificate.signed', 'certificate.issued']);
    assert.ok(page1.next);
    const second = await f.admin.get(`/audit/events?objectType=certificate&objectId=${serial}&limit=2&cursor=${page1.next}`);
    const page2 = second.json() as unknown as { items: AuditEventView[]; next: string | null };
    assert.deepEqual(page2.items.map((e) => e.action), ['certificate.revoked']);
    assert.equal(page2.next, null);
    assert.deepEqual(page2.items[0]?.details, { reason: 4 });

    const byActor = (await f.admin.get(`/audit/events?actor=${encodeURIComponent(`account:${acct.id}`)}&action=order.created`)).json() as unknown as { items: AuditEventView[] };
    assert.equal(byActor.items.length, 2);
    assert.equal(byActor.items[0]?.channel, 'acme');
    const none = (await f.admin.get('/audit/events?from=2026-11-22T00:00:00Z')).json() as unknown as { items: AuditEventView[] };
    assert.deepEqual(none.items, []);
    const all = (await f.admin.get('/audit/events?to=2026-11-22T00:00:00Z&limit=500')).json() as unknown as { items: AuditEventView[] };
    assert.ok(all.items.length > 15);
    assert.equal((await f.admin.get('/audit/events?cursor=not-a-seq')).status, 400);
    assert.equal((await f.admin.get('/audit/events?from=yesterday')).status, 400);
  });

  test('seven years and a day later the retention job purges exactly the old audit events; the chain still verifies', async () => {
    const url = f.shomei.inst.config.database.url;
    const db = openDatabase(url);
    const counts = async () => {
      const out: Record<string, number> = {};
      for (const t of KEPT_TABLES) out[t] = Number((await sql<{ n: number | string }>`select count(*) as n from ${sql.table(t)}`.execute(db.kysely)).rows[0]?.n);
      return out;
    };
    try {
      const oldHead = Number((await repos().getAuditChain())?.seq);
      // Two days on: a younger change.
      f.clock.set(new Date(Date.parse(t0) + 2 * DAY));
      const patched = await f.admin.patch(`/operators/${op.id}`, { representative: 'Jiro Yamada' });
      assert.equal(patched.status, 200, patched.text);
      const young = (await repos().listAuditAfter(oldHead, 100)).map((e) => e.seq);
      assert.ok(young.length >= 1);
      const kept = await counts();

      // Seven years and a day after the first events: they are past their period, the younger ones are not.
      f.clock.set(new Date(Date.parse('2033-11-21T03:00:00.000Z') + DAY));
      const run = await f.shomei.inst.jobs.run('retention');
      assert.equal(run.ran, true);
      const result = (run as { result: { auditEventsPurged: number; anchorSeq: number } }).result;
      assert.equal(result.anchorSeq, oldHead);
      const rows = await repos().listAuditAfter(0, 1000);
      assert.equal(rows[0]?.seq, young[0]);
      assert.deepEqual(rows.slice(0, young.length).map((e) => e.seq), young);
      assert.equal(rows.at(-1)?.action, 'audit.purged');
      assert.equal(rows.at(-1)?.channel, 'system');
      assert.deepEqual(JSON.parse(rows.at(-1)?.details ?? '{}').anchorSeq, oldHead);
      assert.equal(result.auditEventsPurged, oldHead);
      const v = await verifyAuditChain(repos());
      assert.deepEqual([v.ok, v.anchorSeq, v.firstSeq], [true, oldHead, young[0]]);
      // The CA's records stay, whatever their age.
      assert.deepEqual(await counts(), kept);
      assert.ok(kept['certificates'] === 1 && kept['consent_records'] === 1 && kept['fee_lines'] >= 2);

      // A second run the same day does nothing; the next day nothing more is old enough.
      const again = await f.shomei.inst.jobs.run('retention');
      assert.equal((again as { result: { ran: boolean } }).result.ran, false);
      f.clock.advance(DAY);
      const next = await f.shomei.inst.jobs.run('retention');
      assert.equal((next as { result: { auditEventsPurged: number } }).result.auditEventsPurged, 0);
      assert.equal((await verifyAuditChain(repos())).ok, true);
    } finally {
      await db.close();
    }
  });
});
