// Usage FQDNs after the application (SPEC §5.3–§5.4: start by the first
// certificate, termination notice and its withdrawal, continuation period),
// certificates of the operator's subscribers (SPEC §7) and fee statements
// (SPEC §9) through the operator API. Certificates are issued for real over
// ACME (dns-01 through the test DNS server). The clock only moves forward, in
// the last tests.
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { X509Certificate } from 'node:crypto';
import { AgencyFixture, type OperatorHandle } from '../../support/agency-fixture.js';
import type { ApiResponse } from '../../support/api-client.js';
import { account, issue, type Acct } from '../../support/agency-acme.js';
import { parseCsv } from '../../support/csv-parse.js';


function assertProblem(r: ApiResponse, status: number, kind: string): { detail: string } {
  assert.equal(r.status, status, r.text);
  assert.match(String(r.headers['content-type']), /^application\/problem\+json/);
  const p = r.json() as { type: string; status: number; detail: string };
  assert.equal(p.type, `urn:shomei:problem:${kind}`);
  assert.equal(p.status, status);
  return p;
}


describe('operator API: usage FQDNs, certificates and statements', () => {
  let f: AgencyFixture;
  let op: OperatorHandle;
  let sub: string;
  let acct: Acct;
  /** shop.test (1m): started, gets a termination notice. cont.test (1m): started, continues. pending.test (1y): never started. */
  const fq = { shop: '', cont: '', pending: '' };
  const cert = { shopWww: '', shop: '', www: '', plain: '', multi: '', cont: '' };

  before(async () => {
    f = await AgencyFixture.start();
    op = await f.designateOperator();
    sub = await f.createSubscriber(op);
    fq.shop = await f.apply(op, sub, 'shop.test', '1m');
    fq.cont = await f.apply(op, sub, 'cont.test', '1m');
    fq.pending = await f.apply(op, sub, 'pending.test', '1y');
    acct = await account(f, await f.issueEab(op, sub));
    cert.shopWww = await issue(f, acct, ['shop.test', 'www.shop.test']);
    cert.shop = await issue(f, acct, ['shop.test']);
    cert.www = await issue(f, acct, ['www.shop.test']);
    cert.plain = await issue(f, acct, ['www.shop.test', 'shop.test']);
    cert.multi = await issue(f, acct, ['shop.test', 'cont.test']);
    cert.cont = await issue(f, acct, ['cont.test', 'www.cont.test']);
  });
  after(async () => f.close());

  test('the first certificate starts the usage FQDN: GET shows start and expiry dates and its certificates', async () => {
    const r = await op.api.get(`/usage-fqdns/${fq.shop}`);
    assert.equal(r.status, 200);
    const u = r.json();
    assert.equal(u.status, 'active');
    // Issued 2026-11-21 12:00 JST; 1 month: the last day of the month after the start month.
    assert.equal(u.startDate, '2026-11-21');
    assert.equal(u.expiryDate, '2026-12-31');
    assert.equal(u.terminationNotice, null);
    const serials = (u.certificates as { serial: string }[]).map((c) => c.serial).sort();
    assert.deepEqual(serials, [cert.shopWww, cert.shop, cert.www, cert.plain, cert.multi].sort());
    const pending = (await op.api.get(`/usage-fqdns/${fq.pending}`)).json();
    assert.equal(pending.status, 'applied');
    assert.equal(pending.startDate, null);
    assert.equal(pending.expiryDate, null);
    assert.deepEqual(pending.certificates, []);
    const active = (await op.api.get('/usage-fqdns?status=active')).json().items as { id: string }[];
    assert.deepEqual(active.map((x) => x.id).sort(), [fq.shop, fq.cont].sort());
  });

  test('termination notice: file → withdraw → file again; a second notice or withdrawal is a conflict', async () => {
    const path = `/usage-fqdns/${fq.shop}/termination-notice`;
    const filed = await op.api.post(path, { unavoidable: true, note: 'contract with the subscriber ended' });
    assert.equal(filed.status, 200, filed.text);
    assert.equal(filed.json().status, 'active', 'usage continues until the expiry date');
    assert.equal(filed.json().terminationNotice.filedAt, f.clock.now().toISOString());
    assert.equal(filed.json().terminationNotice.filedBy, `operator:${op.id}/key:${op.keyId}`);
    assert.equal(filed.json().expiryDate, '2026-12-31');
    assertProblem(await op.api.post(path, {}), 409, 'conflict');

    const withdrawn = await op.api.delete(path);
    assert.equal(withdrawn.status, 200, withdrawn.text);
    assert.equal(withdrawn.json().terminationNotice, null);
    assertProblem(await op.api.delete(path), 409, 'conflict');

    // As curl sends them: the action with no body at all, the withdrawal with a JSON content type and an empty body.
    const again = await op.api.call('POST', path);
    assert.equal(again.status, 200, again.text);
    const viaCurl = await op.api.call('DELETE', path, { rawBody: '', contentType: 'application/json' });
    assert.equal(viaCurl.status, 200, viaCurl.text);
    assert.equal((await op.api.call('POST', path)).status, 200);
    assert.ok(again.json().terminationNotice);
    assert.equal((await op.api.get(`/usage-fqdns/${fq.shop}`)).json().terminationNotice.filedAt, again.json().terminationNotice.filedAt);

    const audit = (await f.shomei.inst.sa.repos.listAudit('usage-fqdn', fq.shop)).map((a) => a.action);
    assert.deepEqual(
      audit.filter((a) => a.startsWith('usage-fqdn.termination')),
      ['usage-fqdn.termination-filed', 'usage-fqdn.termination-withdrawn', 'usage-fqdn.termination-filed', 'usage-fqdn.termination-withdrawn', 'usage-fqdn.termination-filed'],
    );
    const kinds = ((await f.admin.get(`/notification-events?operatorId=${op.id}`)).json().items as { kind: string; subjectId: string }[]).filter((e) => e.subjectId === fq.shop).map((e) => e.kind);
    assert.ok(kinds.includes('usage-fqdn.termination-filed') && kinds.includes('usage-fqdn.termination-withdrawn'));
    assertProblem(await op.api.post(path, { unavoidable: 'yes' }), 400, 'malformed');
    assertProblem(await op.api.post(path, { note: 'x'.repeat(501) }), 400, 'malformed');
    assertProblem(await op.api.post(path, { reason: 'x' }), 400, 'malformed');
  });

  test('continuation period: PATCH changes it (GET shows it); bad values are 400s', async () => {
    const r = await op.api.patch(`/usage-fqdns/${fq.cont}`, { continuationPeriod: '1y' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json().continuationPeriod, '1y');
    assert.equal(r.json().period, '1m', 'the current period is unchanged');
    assert.equal(r.json().expiryDate, '2026-12-31');
    assert.equal((await op.api.get(`/usage-fqdns/${fq.cont}`)).json().continuationPeriod, '1y');
    assertProblem(await op.api.patch(`/usage-fqdns/${fq.cont}`, { continuationPeriod: '2y' }), 400, 'malformed');
    assertProblem(await op.api.patch(`/usage-fqdns/${fq.cont}`, {}), 400, 'malformed');
    assertProblem(await op.api.patch(`/usage-fqdns/${fq.cont}`, { continuationPeriod: '1y', period: '1y' }), 400, 'malformed');
    assertProblem(await op.api.patch('/usage-fqdns/fq_doesnotexist', { continuationPeriod: '1y' }), 404, 'notFound');
  });

  test('a usage FQDN that has not started ends at once on a termination notice; nothing left to withdraw or change', async () => {
    const r = await op.api.post(`/usage-fqdns/${fq.pending}/termination-notice`, {});
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json().status, 'ended');
    assert.equal(r.json().endReason, 'terminated-before-start');
    assert.equal(r.json().endedOn, '2026-11-21');
    assertProblem(await op.api.delete(`/usage-fqdns/${fq.pending}/termination-notice`), 409, 'conflict');
    assertProblem(await op.api.post(`/usage-fqdns/${fq.pending}/termination-notice`, {}), 409, 'conflict');
    assertProblem(await op.api.patch(`/usage-fqdns/${fq.pending}`, { continuationPeriod: '1m' }), 409, 'conflict');
  });

  test("certificates: list (filters, paging) and fetch as JSON with the PEM", async () => {
    const all = await op.api.get('/certificates');
    assert.equal(all.status, 200);
    const items = all.json().items as { serial: string; names: string[]; subscriberId: string; operatorId: string; revokedAt: string | null }[];
    assert.deepEqual(items.map((c) => c.serial).sort(), Object.values(cert).sort());
    assert.ok(items.every((c) => c.subscriberId === sub && c.operatorId === op.id && c.revokedAt === null));
    const ofCont = (await op.api.get(`/certificates?usageFqdnId=${fq.cont}`)).json().items as { serial: string }[];
    assert.deepEqual(ofCont.map((c) => c.serial).sort(), [cert.multi, cert.cont].sort());
    assert.equal((await op.api.get(`/certificates?subscriberId=${sub}`)).json().items.length, 6);
    const p1 = (await op.api.get('/certificates?limit=4')).json();
    const p2 = (await op.api.get(`/certificates?limit=4&cursor=${encodeURIComponent(p1.next as string)}`)).json();
    assert.equal(p1.items.length, 4);
    assert.equal(p2.items.length, 2);
    assert.equal(p2.next, null);
    assert.deepEqual([...p1.items, ...p2.items].map((c: { serial: string }) => c.serial).sort(), Object.values(cert).sort());

    const one = await op.api.get(`/certificates/${cert.multi}`);
    assert.equal(one.status, 200);
    const c = one.json();
    assert.equal(c.serial, cert.multi);
    assert.deepEqual([...c.names].sort(), ['cont.test', 'shop.test']);
    assert.deepEqual([...c.usageFqdnIds].sort(), [fq.shop, fq.cont].sort());
    const x509 = new X509Certificate(c.pem as string);
    assert.equal(x509.serialNumber.toLowerCase(), cert.multi);
    assert.equal(new Date(x509.validFrom).toISOString(), c.notBefore);
    // Colon-separated and upper-case serials name the same certificate.
    const colon = cert.multi.toUpperCase().match(/../g)?.join(':') as string;
    assert.equal((await op.api.get(`/certificates/${colon}`)).json().serial, cert.multi);
    assertProblem(await op.api.get('/certificates/0badc0ffee'), 404, 'notFound');
  });

  test('Accept: application/pem-certificate-chain gives the PEM, end-entity certificate first', async () => {
    const json = (await op.api.get(`/certificates/${cert.cont}`)).json();
    const r = await op.api.get(`/certificates/${cert.cont}`, { headers: { accept: 'application/pem-certificate-chain' } });
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /^application\/pem-certificate-chain/);
    assert.ok(r.text.startsWith(json.pem as string), 'the end-entity certificate comes first');
    assert.equal(new X509Certificate(r.text).serialNumber.toLowerCase(), cert.cont);
  });

  test(
    'the PEM chain also holds the issuing intermediate (RFC 8555 §9.1)',
    async () => {
      const r = await op.api.get(`/certificates/${cert.cont}`, { headers: { accept: 'application/pem-certificate-chain' } });
      assert.equal(r.text.match(/-----BEGIN CERTIFICATE-----/g)?.length, 2);
    },
  );

  test('revocation by the operator: reason 4 → 200 with revokedAt; 2 or 9 → 400 badRevocationReason; again → 409 alreadyRevoked', async () => {
    f.clock.advance(60_000);
    const r = await op.api.post(`/certificates/${cert.shopWww}/revoke`, { reason: 4 });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json().revokedAt, f.clock.now().toISOString());
    assert.equal(r.json().revocationReason, 4);
    for (const reason of [2, 9, 6, 8, 10, -1]) {
      const p = assertProblem(await op.api.post(`/certificates/${cert.www}/revoke`, { reason }), 400, 'badRevocationReason');
      assert.match(p.detail, /0, 1, 3, 4, 5/);
    }
    for (const reason of ['4', null, 4.5, true]) assertProblem(await op.api.post(`/certificates/${cert.www}/revoke`, { reason }), 400, 'malformed');
    assert.equal((await op.api.get(`/certificates/${cert.www}`)).json().revokedAt, null, 'refused requests revoke nothing');
    assertProblem(await op.api.post(`/certificates/${cert.shopWww}/revoke`, { reason: 4 }), 409, 'alreadyRevoked');
    assertProblem(await op.api.post(`/certificates/${cert.shopWww}/revoke`, { reason: 1 }), 409, 'alreadyRevoked');
    // No reason = 0 (unspecified).
    const plain = await op.api.post(`/certificates/${cert.plain}/revoke`, {});
    assert.equal(plain.status, 200, plain.text);
    assert.equal(plain.json().revocationReason, 0);
    const ev = ((await f.admin.get(`/notification-events?kind=certificate.revoked&operatorId=${op.id}`)).json().items as { subjectId: string; payload: { reason: number; via: string } }[]).find((e) => e.subjectId === cert.shopWww);
    assert.deepEqual(ev?.payload, { reason: 4, via: 'operator' });
  });

  test('the CA may revoke with 9 (privilegeWithdrawn); the operator sees it', async () => {
    assertProblem(await f.admin.post(`/certificates/${cert.www}/revoke`, { reason: 2 }), 400, 'badRevocationReason');
    const r = await f.admin.post(`/certificates/${cert.www}/revoke`, { reason: 9 });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json().revocationReason, 9);
    const seen = (await op.api.get(`/certificates/${cert.www}`)).json();
    assert.equal(seen.revocationReason, 9);
    assert.ok(seen.revokedAt);
    assertProblem(await f.admin.post(`/certificates/${cert.www}/revoke`, { reason: 9 }), 409, 'alreadyRevoked');
    const listed = (await f.admin.get(`/certificates?operatorId=${op.id}`)).json().items as { serial: string; revokedAt: string | null }[];
    assert.deepEqual(listed.filter((c) => c.revokedAt !== null).map((c) => c.serial).sort(), [cert.shopWww, cert.plain, cert.www].sort());
  });

  test('statement as JSON: contract fee and one registration line per started usage FQDN, with totals', async () => {
    const r = await op.api.get('/statements/2026-11');
    assert.equal(r.status, 200, r.text);
    const s = r.json();
    assert.equal(s.operatorId, op.id);
    assert.equal(s.month, '2026-11');
    assert.equal(s.currency, 'JPY');
    const lines = (s.lines as { kind: string; usageFqdnId: string | null; unitPrice: number; tax: number; total: number; periodStart: string | null; periodEnd: string | null }[]).map((l) => [l.kind, l.usageFqdnId, l.unitPrice, l.tax, l.total, l.periodStart, l.periodEnd]);
    assert.deepEqual(
      lines.sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
      [
        ['contract', null, 250000, 25000, 275000, null, null],
        ['registration', fq.shop, 500, 50, 550, '2026-11-21', '2026-12-31'],
        ['registration', fq.cont, 500, 50, 550, '2026-11-21', '2026-12-31'],
      ].sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
      'the never-started FQDN is not charged',
    );
    assert.equal(s.subtotal, 251000);
    assert.equal(s.tax, 25100);
    assert.equal(s.total, 276100);
    assert.equal(s.openingBalance, 0);
    assert.equal(s.paymentsTotal, 0);
    assert.equal(s.closingBalance, 276100);
  });

  test('statement as CSV (RFC 4180): a row per line, then subtotal, tax, total and balance rows', async () => {
    const r = await op.api.get('/statements/2026-11?format=csv');
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /^text\/csv/);
    assert.match(String(r.headers['content-disposition']), /attachment; filename="statement-2026-11\.csv"/);
    const rows = parseCsv(r.text);
    const header = rows[0] as string[];
    assert.deepEqual(header.slice(0, 2), ['date', 'kind']);
    assert.ok(rows.every((x) => x.length === header.length), 'every record has every column');
    const col = (name: string) => header.indexOf(name);
    const byKind = new Map(rows.slice(1).map((x) => [x[col('kind')], x]));
    const kinds = rows.slice(1).map((x) => x[col('kind')]);
    assert.deepEqual(kinds.slice(0, 3).sort(), ['contract', 'registration', 'registration']);
    assert.deepEqual(kinds.slice(3), ['subtotal', 'tax', 'total', 'opening_balance', 'payments', 'closing_balance']);
    assert.equal(byKind.get('subtotal')?.[col('total')], '251000');
    assert.equal(byKind.get('tax')?.[col('total')], '25100');
    assert.equal(byKind.get('total')?.[col('total')], '276100');
    assert.equal(byKind.get('closing_balance')?.[col('total')], '276100');
    assert.equal(byKind.get('contract')?.[col('total')], '275000');
    assert.equal(byKind.get('contract')?.[col('currency')], 'JPY');
    const reg = rows.filter((x) => x[col('kind')] === 'registration').map((x) => x[col('fqdn')]);
    assert.deepEqual(reg.sort(), ['cont.test', 'shop.test']);
  });

  test('invalid months and formats → 400', async () => {
    for (const m of ['2026-13', '2026-00', '2026-1', '26-11', 'latest', '2026-11-01', '%20', '0000-01', '0001-01', '0999-12']) {
      const r = await op.api.get(`/statements/${m}`);
      assertProblem(r, 400, 'malformed');
    }
    assertProblem(await op.api.get('/statements/2026-11?format=xml'), 400, 'malformed');
    const empty = (await op.api.get('/statements/2026-10')).json();
    assert.deepEqual(empty.lines, []);
    assert.equal(empty.closingBalance, 0);
  });

  test('withdrawal is possible until the end of the expiry date (CA time zone), a 409 afterwards', async () => {
    const path = `/usage-fqdns/${fq.shop}/termination-notice`;
    // 2026-12-31 23:59 in Tokyo: still the expiry date.
    f.clock.set('2026-12-31T14:59:00Z');
    assert.equal((await op.api.delete(path)).status, 200);
    assert.equal((await op.api.post(path, {})).status, 200);
    // 2027-01-01 00:00:01 in Tokyo: too late, whether or not the day job has run.
    f.clock.set('2026-12-31T15:00:01Z');
    const late = assertProblem(await op.api.delete(path), 409, 'conflict');
    assert.match(late.detail, /2026-12-31/);
    assert.ok((await op.api.get(`/usage-fqdns/${fq.shop}`)).json().terminationNotice, 'the notice stays filed');
  });

  test('at the day boundary: the terminated FQDN ends and its certificates are revoked; the other continues with its new period', async () => {
    await f.runLifecycle();
    const shop = (await op.api.get(`/usage-fqdns/${fq.shop}`)).json();
    assert.equal(shop.status, 'ended');
    assert.equal(shop.endedOn, '2026-12-31');
    assertProblem(await op.api.delete(`/usage-fqdns/${fq.shop}/termination-notice`), 409, 'conflict');
    // SPEC §5.4: every live certificate holding its names, the multi-domain one included, revoked with reason 5.
    for (const serial of [cert.shop, cert.multi]) {
      const c = (await op.api.get(`/certificates/${serial}`)).json();
      assert.equal(c.revocationReason, 5, serial);
    }
    assert.equal((await op.api.get(`/certificates/${cert.cont}`)).json().revokedAt, null);
    const cont = (await op.api.get(`/usage-fqdns/${fq.cont}`)).json();
    assert.equal(cont.status, 'active');
    assert.equal(cont.expiryDate, '2027-12-31', 'continued for the changed period (1 year)');
    const jan = (await op.api.get('/statements/2027-01')).json();
    assert.deepEqual(
      (jan.lines as { kind: string; usageFqdnId: string; period: string; unitPrice: number; periodStart: string; periodEnd: string }[]).map((l) => [l.kind, l.usageFqdnId, l.period, l.unitPrice, l.periodStart, l.periodEnd]),
      [['continuation', fq.cont, '1y', 5000, '2027-01-01', '2027-12-31']],
    );
    assert.equal(jan.openingBalance, 276100);
    assert.equal(jan.closingBalance, 276100 + 5500);
  });
});
