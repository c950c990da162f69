// SPEC §4, §5.2, §5.4: which names a subscriber's ACME account may order,
// over real ACME — EAB credentials from the operator API, multi-domain
// orders across usage FQDNs, rejectedIdentifier problems that say why, and
// accounts from plain admin EAB credentials.
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { calculateJwkThumbprint } from 'jose';
import { AgencyFixture, type OperatorHandle } from '../../support/agency-fixture.js';
import { newAccountWith, account, newOrder, issue, type Acct } from '../../support/agency-acme.js';

const PREFIX = 'urn:ietf:params:acme:error:';


type Problem = { type: string; detail: string; status: number; identifier?: { type: string; value: string }; subproblems?: Problem[] };

describe('Issuance policy over ACME: names allowed per usage FQDN (SPEC §5.2)', () => {
  let f: AgencyFixture;
  let op: OperatorHandle;
  let sub: string;
  let acct: Acct;
  const ids: Record<string, string> = {};
  before(async () => {
    f = await AgencyFixture.start();
    op = await f.designateOperator();
    sub = await f.createSubscriber(op);
    ids['example.test'] = await f.apply(op, sub, 'example.test', '1m');
    ids['*.wild.test'] = await f.apply(op, sub, '*.wild.test', '1y');
    // Registered to other subscribers: one of the same operator, one of another operator.
    const sameOpOther = await f.createSubscriber(op, 'Jiro Tanaka');
    await f.apply(op, sameOpOther, 'taken.test', '1m');
    const op2 = await f.designateOperator({ name: 'Second Reseller G.K.' });
    await f.apply(op2, await f.createSubscriber(op2, 'Saburo Ito'), 'elsewhere.test', '1y');
    // An own usage FQDN that ended (a notice on a not-started FQDN ends it at once, today in Tokyo).
    ids['gone.test'] = await f.apply(op, sub, 'gone.test', '1m');
    const t = await op.api.post(`/usage-fqdns/${ids['gone.test']}/termination-notice`, {});
    assert.equal(t.status, 200, t.text);
    assert.equal(t.json().status, 'ended');
    acct = await account(f, await f.issueEab(op, sub));
  });
  after(() => f.close());

  const rejected = async (names: string[]): Promise<Problem> => {
    const r = await newOrder(f, acct, names);
    assert.equal(r.status, 400, r.body);
    const p = r.json() as unknown as Problem;
    assert.equal(p.type, `${PREFIX}rejectedIdentifier`);
    return p;
  };

  test('each allowed name on its own: the FQDN, www.FQDN, the wildcard FQDN and its base', async () => {
    for (const name of ['example.test', 'www.example.test', '*.wild.test', 'wild.test']) {
      const r = await newOrder(f, acct, [name]);
      assert.equal(r.status, 201, `${name}: ${r.body}`);
      assert.deepEqual(r.json()['identifiers'], [{ type: 'dns', value: name }]);
    }
  });

  test('one multi-domain certificate across two usage FQDNs: issued, linked to both, bound to the subscriber', async () => {
    const names = ['example.test', 'www.example.test', '*.wild.test', 'wild.test'];
    const serial = await issue(f, acct, names);
    const repos = f.shomei.inst.sa.repos;
    const cert = await repos.getCertificate(serial);
    assert.equal(cert?.subscriber_id, sub);
    assert.deepEqual((JSON.parse(cert?.names ?? '[]') as string[]).sort(), [...names].sort());
    assert.deepEqual((await repos.listUsageFqdnIdsOfCertificate(serial)).sort(), [ids['example.test'], ids['*.wild.test']].sort());
    // The managing operator sees it under each usage FQDN, and both have started.
    for (const fqdn of ['example.test', '*.wild.test']) {
      const u = (await op.api.get(`/usage-fqdns/${ids[fqdn]}`)).json();
      assert.equal(u.status, 'active', fqdn);
      assert.deepEqual(u.certificates.map((c: { serial: string }) => c.serial), [serial], fqdn);
    }
  });

  test('a name of no usage FQDN → rejectedIdentifier naming it and why', async () => {
    const p = await rejected(['other.test']);
    assert.match(p.detail, /"other\.test"/);
    assert.match(p.detail, /not a name of any usage FQDN registered for this subscriber/);
    assert.deepEqual(p.identifier, { type: 'dns', value: 'other.test' });
  });

  test("another subscriber's usage FQDN (same operator or another) → 'registered to another subscriber'", async () => {
    for (const [name, fqdn] of [
      ['taken.test', 'taken.test'],
      ['www.taken.test', 'taken.test'],
      ['elsewhere.test', 'elsewhere.test'],
    ] as const) {
      const p = await rejected([name]);
      assert.match(p.detail, new RegExp(`"${name.replace(/\./g, '\\.')}"`));
      assert.match(p.detail, new RegExp(`${fqdn.replace(/\./g, '\\.')} is registered to another subscriber`), p.detail);
    }
  });

  test("an own usage FQDN that ended → 'ended on <date>' for its names", async () => {
    for (const name of ['gone.test', 'www.gone.test']) {
      const p = await rejected([name]);
      assert.match(p.detail, /usage period of gone\.test ended on 2026-11-21/, p.detail);
    }
  });

  test('several refused names → one subproblem per refused identifier, each with its reason; allowed names are not listed', async () => {
    const p = await rejected(['example.test', 'other.test', 'taken.test', 'gone.test', 'www.wild.test']);
    assert.match(p.detail, /4 identifiers/);
    const subs = new Map((p.subproblems ?? []).map((s) => [s.identifier?.value, s]));
    assert.deepEqual([...subs.keys()].sort(), ['gone.test', 'other.test', 'taken.test', 'www.wild.test']);
    for (const s of subs.values()) {
      assert.equal(s.type, `${PREFIX}rejectedIdentifier`);
      assert.equal(s.identifier?.type, 'dns');
    }
    assert.match(subs.get('other.test')?.detail ?? '', /not a name of any usage FQDN/);
    assert.match(subs.get('taken.test')?.detail ?? '', /registered to another subscriber/);
    assert.match(subs.get('gone.test')?.detail ?? '', /ended on 2026-11-21/);
    assert.match(subs.get('www.wild.test')?.detail ?? '', /not a name of any usage FQDN/);
  });

  test('a wildcard usage FQDN allows only itself and its base: not www.wild.test, a.b.wild.test or a.wild.test', async () => {
    for (const name of ['www.wild.test', 'a.b.wild.test', 'a.wild.test', '*.b.wild.test']) {
      const p = await rejected([name]);
      assert.deepEqual(p.identifier, { type: 'dns', value: name });
    }
  });

  test('a non-wildcard usage FQDN allows neither a wildcard nor other subdomains of it', async () => {
    for (const name of ['*.example.test', 'mail.example.test', 'www.www.example.test', '*.www.example.test']) {
      const p = await rejected([name]);
      assert.deepEqual(p.identifier, { type: 'dns', value: name });
    }
  });

  test('a refused name in a multi-domain order refuses the whole order (no order is created)', async () => {
    const list = () => f.shomei.inst.sa.repos.listOrdersForAccount(acct.id, { limit: 1000, notExpiredAfter: '2000-01-01T00:00:00Z' });
    const before = await list();
    const p = await rejected(['example.test', 'www.example.test', 'other.test']);
    assert.equal(p.identifier?.value, 'other.test');
    assert.equal((await list()).length, before.length);
  });

  test('plain admin EAB credentials (no subscriber) → newAccount refused as unauthorized by default', async () => {
    const { r, key } = await newAccountWith(f, await f.shomei.mintEab('generic'));
    assert.equal(r.status, 403, r.body);
    const p = r.json() as unknown as Problem;
    assert.equal(p.type, `${PREFIX}unauthorized`);
    assert.match(p.detail, /not issued for a subscriber/);
    assert.equal(r.headers['location'], undefined);
    assert.equal(await f.shomei.inst.sa.repos.getAccountByThumbprint(await calculateJwkThumbprint(key.jwk, 'sha256')), undefined);
  });
});

describe('registry.allowUnboundAccounts: true — a generic CA for admin EAB accounts, subscribers still bound by §5.2', () => {
  let f: AgencyFixture;
  before(async () => {
    f = await AgencyFixture.start({ config: { registry: { allowUnboundAccounts: true } } });
  });
  after(() => f.close());

  test('an admin-EAB account orders and gets any name; the certificate belongs to no subscriber and no usage FQDN', async () => {
    const a = await account(f, await f.shomei.mintEab('generic'));
    const names = ['anything.test', '*.anything.test', 'unregistered.test'];
    const serial = await issue(f, a, names);
    const cert = await f.shomei.inst.sa.repos.getCertificate(serial);
    assert.equal(cert?.subscriber_id, null);
    assert.deepEqual(await f.shomei.inst.sa.repos.listUsageFqdnIdsOfCertificate(serial), []);
  });

  test("a subscriber's account is still limited to its usage FQDNs' names", async () => {
    const op = await f.designateOperator({ name: 'Third Reseller' });
    const sub = await f.createSubscriber(op);
    await f.apply(op, sub, 'mine.test', '1m');
    const a = await account(f, await f.issueEab(op, sub));
    assert.equal((await newOrder(f, a, ['www.mine.test'])).status, 201);
    const r = await newOrder(f, a, ['mine.test', 'anything-else.test']);
    assert.equal(r.status, 400);
    assert.equal(r.json()['type'], `${PREFIX}rejectedIdentifier`);
    assert.match(String(r.json()['detail']), /anything-else\.test/);
  });
});
