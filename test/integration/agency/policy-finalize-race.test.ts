// SPEC §5.4 / §6: a usage FQDN that ends after newOrder but before the
// certificate is stored must stop the issuance — finalize answers
// rejectedIdentifier, the order becomes invalid and no certificate is kept.
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { AgencyFixture, type OperatorHandle } from '../../support/agency-fixture.js';
import { type RawResponse } from '../../support/raw-acme.js';
import pg from 'pg';
import type { Repositories } from '../../../src/sa/index.js';
import { account, post, readyOrder, finalize, issue, type Acct } from '../../support/agency-acme.js';

const PREFIX = 'urn:ietf:params:acme:error:';


describe('Finalize race: the usage FQDN ends between newOrder and finalize', () => {
  let f: AgencyFixture;
  let op: OperatorHandle;
  let sub: string;
  let acct: Acct;
  before(async () => {
    f = await AgencyFixture.start({ clock: undefined });
    op = await f.designateOperator();
    sub = await f.createSubscriber(op);
    acct = await account(f, await f.issueEab(op, sub));
  });
  after(() => f.close());

  /** rejectedIdentifier for the names, no certificate on the order, none stored for the names. */
  async function assertRefused(order: { url: string; id: string }, fin: RawResponse, names: string[], usageFqdnId: string, detail: RegExp) {
    assert.equal(fin.status, 400, fin.body);
    assert.equal(fin.json()['type'], `${PREFIX}rejectedIdentifier`);
    const details = [fin.json()['detail'], ...((fin.json()['subproblems'] as { detail: string }[] | undefined) ?? []).map((x) => x.detail)];
    assert.ok(details.some((x) => detail.test(String(x))), `${detail} in ${fin.body}`);
    const o = (await post(f, acct, order.url, '')).json();
    assert.equal(o['certificate'], undefined);
    assert.equal((await f.shomei.inst.sa.repos.getOrder(order.id))?.certificate_serial, null);
    const certs = await f.shomei.inst.sa.repos.listManagedCertificates({ subscriberId: sub, limit: 1000 });
    assert.equal(certs.filter((c) => names.some((n) => (JSON.parse(c.names) as string[]).includes(n))).length, 0, 'no certificate stored for the names');
    assert.equal((await f.shomei.inst.sa.repos.listCertificatesOfUsageFqdn(usageFqdnId)).length, 0);
  }

  /** RFC 8555 §7.1.6: an order that can never be issued is invalid, with the error. */
  async function assertOrderInvalid(order: { url: string; id: string }) {
    const o = (await post(f, acct, order.url, '')).json();
    assert.equal(o['status'], 'invalid', JSON.stringify(o));
    assert.equal((o['error'] as { type: string } | undefined)?.type, `${PREFIX}rejectedIdentifier`);
    assert.equal((await f.shomei.inst.sa.repos.getOrder(order.id))?.status, 'invalid');
  }

  // Orders refused by finalize's first check (before the order moves to processing): their state right after.
  const refusedEarly: { name: string; order: Record<string, unknown>; row: string | undefined }[] = [];
  const recordEarly = async (name: string, order: { url: string; id: string }) =>
    refusedEarly.push({ name, order: (await post(f, acct, order.url, '')).json(), row: (await f.shomei.inst.sa.repos.getOrder(order.id))?.status });

  test('applied FQDN terminated (ends at once) after the order is ready → finalize refused, order invalid', async () => {
    const id = await f.apply(op, sub, 'race-a.test', '1m');
    const order = await readyOrder(f, acct, ['race-a.test', 'www.race-a.test']);
    const t = await op.api.post(`/usage-fqdns/${id}/termination-notice`, {});
    assert.equal(t.json().status, 'ended');
    const fin = await finalize(f, acct, order, ['race-a.test', 'www.race-a.test']);
    await assertRefused(order, fin, ['race-a.test', 'www.race-a.test'], id, /race-a\.test.*ended on 2026-11-21/);
    await recordEarly('race-a', order);
    const u = await f.shomei.inst.sa.repos.getUsageFqdn(id);
    assert.equal(u?.start_date, null, 'never started');
    assert.equal((await f.shomei.inst.sa.repos.listFeeLinesOfUsageFqdn(id)).length, 0, 'nothing charged');
  });

  test('active FQDN ended by the day-boundary job (termination notice) after the order is ready → finalize refused', async () => {
    const id = await f.apply(op, sub, 'race-b.test', '1m');
    f.clock.set('2026-12-01T01:00:00Z'); // 2026-12-01 in Tokyo → expiry 2027-01-31
    await issue(f, acct, ['race-b.test']);
    const liveBefore = (await f.shomei.inst.sa.repos.listCertificatesOfUsageFqdn(id)).map((c) => c.serial);
    assert.equal((await op.api.post(`/usage-fqdns/${id}/termination-notice`, {})).status, 200);
    f.clock.set('2027-01-31T14:00:00Z'); // 23:00 on the expiry date in Tokyo
    const order = await readyOrder(f, acct, ['www.race-b.test']);
    f.clock.set('2027-01-31T15:00:01Z'); // 2027-02-01 00:00:01 in Tokyo
    const run = await f.runLifecycle();
    assert.equal(run.ran, true);
    assert.equal((await f.shomei.inst.sa.repos.getUsageFqdn(id))?.status, 'ended');
    const fin = await finalize(f, acct, order, ['www.race-b.test']);
    assert.equal(fin.status, 400, fin.body);
    assert.equal(fin.json()['type'], `${PREFIX}rejectedIdentifier`);
    assert.match(String(fin.json()['detail']), /"www\.race-b\.test".*race-b\.test ended on 2027-01-31/);
    assert.equal((await f.shomei.inst.sa.repos.getOrder(order.id))?.certificate_serial, null);
    const now = (await f.shomei.inst.sa.repos.listCertificatesOfUsageFqdn(id)).map((c) => c.serial);
    assert.deepEqual(now, liveBefore, 'no new certificate linked to the ended FQDN');
    const certs = await f.shomei.inst.sa.repos.listManagedCertificates({ subscriberId: sub, limit: 1000 });
    assert.equal(certs.filter((c) => (JSON.parse(c.names) as string[]).includes('www.race-b.test')).length, 0);
    await recordEarly('race-b', order);
  });

  test('FQDN ends while the certificate is being signed → the check inside the storing transaction refuses it', async () => {
    const id = await f.apply(op, sub, 'race-c.test', '1y');
    const order = await readyOrder(f, acct, ['race-c.test']);
    const ca = f.shomei.inst.ca;
    const issueOrig = ca.issueFromPrecertificate;
    let signed = 0;
    ca.issueFromPrecertificate = async (...args) => {
      const out = await issueOrig(...args);
      signed += 1;
      // The first check in finalize has passed; the FQDN ends before the certificate is stored.
      await f.shomei.inst.registry.fileTerminationNotice(op.id, id, {}, { kind: 'admin', name: 'race' });
      return out;
    };
    try {
      const fin = await finalize(f, acct, order, ['race-c.test']);
      assert.equal(signed, 1, 'the certificate was signed, so the refusal came from the storing transaction');
      await assertRefused(order, fin, ['race-c.test'], id, /race-c\.test/);
      await assertOrderInvalid(order);
    } finally {
      ca.issueFromPrecertificate = issueOrig;
    }
    const u = await f.shomei.inst.sa.repos.getUsageFqdn(id);
    assert.equal(u?.status, 'ended');
    assert.equal(u?.start_date, null);
    assert.equal((await f.shomei.inst.sa.repos.listFeeLinesOfUsageFqdn(id)).length, 0);
  });

  test('an end of usage racing the storing transaction: the certificate is refused or revoked, never left valid', async () => {
    const id = await f.apply(op, sub, 'race-d.test', '1m');
    const order = await readyOrder(f, acct, ['race-d.test']);
    const sa = f.shomei.inst.sa;
    const transaction = sa.transaction.bind(sa);
    let reached!: () => void;
    const atLink = new Promise<void>((r) => (reached = r));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let first = true;
    // Pause finalize's storing transaction after its usage FQDN checks, just before it links the certificate.
    sa.transaction = <T>(fn: (tx: Repositories) => Promise<T>) =>
      transaction((tx) =>
        fn({
          ...tx,
          linkCertificateUsageFqdns: async (serial: string, usageFqdnIds: string[]) => {
            if (first) {
              first = false;
              reached();
              await gate;
            }
            return tx.linkCertificateUsageFqdns(serial, usageFqdnIds);
          },
        }),
      );
    let fin: RawResponse;
    try {
      const finP = finalize(f, acct, order, ['race-d.test']);
      await atLink;
      // Meanwhile the operator terminates the (not yet started) usage FQDN: it would end at once.
      let endSettled = false;
      const endP = f.shomei.inst.registry.fileTerminationNotice(op.id, id, {}, { kind: 'admin', name: 'race' }).finally(() => (endSettled = true));
      endP.catch(() => undefined);
      await endFinishesOrWaitsForALock(() => endSettled);
      release();
      fin = await finP;
      await endP;
    } finally {
      sa.transaction = transaction;
    }
    const u = await f.shomei.inst.sa.repos.getUsageFqdn(id);
    const certs = (await f.shomei.inst.sa.repos.listManagedCertificates({ subscriberId: sub, limit: 1000 })).filter((c) => (JSON.parse(c.names) as string[]).includes('race-d.test'));
    if (fin.status === 200) {
      assert.equal(certs.length, 1);
      const c = certs[0];
      // Either the end waited for the certificate (then the usage had started: the notice ends it at expiry) …
      if (u?.status === 'active') assert.notEqual(u.termination_notice_at, null);
      // … or it ended the usage and revoked the certificate with it.
      else assert.equal(c?.revocation_reason, 5, `usage ${u?.status}, certificate ${c?.serial} left valid`);
    } else {
      assert.equal(fin.json()['type'], `${PREFIX}rejectedIdentifier`, fin.body);
      assert.equal(certs.length, 0);
      assert.equal(u?.status, 'ended');
    }
  });

  /** On PostgreSQL: until the concurrent end of usage finished or waits on a row lock. SQLite runs one transaction at a time. */
  async function endFinishesOrWaitsForALock(done: () => boolean): Promise<void> {
    if (f.shomei.inst.sa.dialect !== 'postgres') {
      for (let i = 0; i < 20 && !done(); i++) await new Promise((r) => setImmediate(r));
      return;
    }
    const client = new pg.Client({ connectionString: f.shomei.inst.config.database.url });
    await client.connect();
    try {
      for (let i = 0; i < 5000 && !done(); i++) {
        const r = await client.query<{ n: number }>(`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`);
        if ((r.rows[0]?.n ?? 0) > 0) return;
      }
    } finally {
      await client.end();
    }
  }

  test(
    'an order refused by the first check in finalize becomes invalid too (not left "ready" to be finalized again and again)',
    async () => {
      assert.equal(refusedEarly.length, 2);
      for (const r of refusedEarly) {
        assert.equal(r.order['status'], 'invalid', `${r.name}: ${JSON.stringify(r.order)}`);
        assert.equal((r.order['error'] as { type: string } | undefined)?.type, `${PREFIX}rejectedIdentifier`, r.name);
        assert.equal(r.row, 'invalid', r.name);
      }
    },
  );
});
