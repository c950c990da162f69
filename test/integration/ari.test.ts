// ACME Renewal Information (RFC 9773) over real HTTPS: the renewalInfo
// resource and the `replaces` field of newOrder. The CertID is always computed
// by the test ARI client from the certificate itself.
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { X509Certificate } from 'node:crypto';
import { FakeClock } from '../../src/core/clock.js';
import { AriClient, certIdOf } from '../support/ari-client.js';
import { makeCsr } from '../support/csr.js';
import { ProtocolFixture, type Account } from '../support/protocol-fixture.js';
import type { RawResponse } from '../support/raw-acme.js';

const PREFIX = 'urn:ietf:params:acme:error:';
const HOUR = 3600_000;
const DAY = 24 * HOUR;

interface Issued {
  pem: string;
  certId: string;
  notBefore: Date;
  notAfter: Date;
}

describe('ACME Renewal Information (RFC 9773)', () => {
  const clock = new FakeClock('2026-11-21T03:00:00Z');
  let f: ProtocolFixture;
  let ari: AriClient;
  let acct: Account;
  let other: Account;
  before(async () => {
    f = await ProtocolFixture.start({ clock });
    ari = await AriClient.fromDirectory(f.shomei.directoryUrl, f.shomei.rootPem);
    acct = await f.newAccount();
    other = await f.newAccount();
  });
  after(async () => f.close());

  const newOrder = (a: Account, names: string[], extra: Record<string, unknown> = {}) =>
    f.post(a, f.dir['newOrder'] as string, { identifiers: names.map((value) => ({ type: 'dns', value })), ...extra });

  /** Finalize and wait for the certificate (issuance may finish in the background: RFC 8555 §7.4 `processing`). */
  async function finalize(a: Account, order: Record<string, unknown>, orderUrl: string, names: string[]): Promise<Record<string, unknown>> {
    const fin = await f.post(a, order['finalize'] as string, { csr: (await makeCsr(names)).csrB64u });
    assert.equal(fin.status, 200, fin.body);
    await f.shomei.inst.ra.drain();
    const done = (await f.post(a, orderUrl, '')).json();
    assert.equal(done['status'], 'valid', JSON.stringify(done));
    return done;
  }

  /** Issue a certificate for `names` through ACME; the CertID comes from the certificate itself. */
  async function issue(a: Account, names: string[]): Promise<Issued> {
    const { url, body } = await f.readyOrder(a, names);
    const fin = await finalize(a, body, url, names);
    const chain = (await f.post(a, fin['certificate'] as string, '')).body;
    const pem = (chain.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/) ?? [])[0] as string;
    const x = new X509Certificate(pem);
    return { pem, certId: certIdOf(pem), notBefore: new Date(x.validFrom), notAfter: new Date(x.validTo) };
  }

  function assertProblem(r: RawResponse, status: number, type: string, detail?: RegExp): void {
    assert.equal(r.status, status, r.body);
    assert.equal(r.headers['content-type'], 'application/problem+json');
    assert.equal(r.json()['type'], `${PREFIX}${type}`, r.body);
    if (detail) assert.match(String(r.json()['detail']), detail);
  }

  test('§4: the directory carries a top-level renewalInfo URL', async () => {
    assert.equal(f.dir['renewalInfo'], `${f.shomei.inst.config.acme.baseUrl}/acme/renewal-info`);
    assert.equal(((f.dir as Record<string, unknown>)['meta'] as Record<string, unknown>)['renewalInfo'], undefined);
  });

  test('§4.1–§4.2: unauthenticated GET answers the middle third of the validity, with Retry-After', async () => {
    const c = await issue(acct, ['ari.example.com']);
    // The issuing CA's subjectKeyIdentifier is the first half of the CertID.
    const issuer = new X509Certificate(f.shomei.inst.ca.intermediatePem());
    assert.ok(new X509Certificate(c.pem).checkIssued(issuer));
    const r = await ari.get(c.certId);
    assert.equal(r.status, 200, r.response.body);
    assert.equal(r.response.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(r.retryAfter, '21600');
    assert.match(String(r.response.headers['cache-control']), /no-cache/);
    const lifetime = c.notAfter.getTime() - c.notBefore.getTime();
    const second = (ms: number) => Math.floor(ms / 1000) * 1000;
    assert.equal(r.window?.start.getTime(), second(c.notBefore.getTime() + lifetime / 3));
    assert.equal(r.window?.end.getTime(), second(c.notBefore.getTime() + (2 * lifetime) / 3));
    assert.ok((r.window?.start as Date) > clock.now(), 'a fresh certificate is not due yet');
    assert.equal(r.explanationURL, undefined);
    // HEAD is answered too (no body); POST is not how ARI is read.
    const head = await ari.get(c.certId, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.retryAfter, '21600');
    const post = await ari.get(c.certId, 'POST');
    assertProblem(post.response, 405, 'malformed');
    assert.equal(post.response.headers['allow'], 'GET, HEAD');
  });

  test('§4.2: once revoked, the window is entirely in the past (renew now)', async () => {
    const c = await issue(acct, ['revoked.example.com']);
    const revoke = await f.post(acct, f.dir['revokeCert'] as string, { certificate: new X509Certificate(c.pem).raw.toString('base64url'), reason: 4 });
    assert.equal(revoke.status, 200, revoke.body);
    const r = await ari.get(c.certId);
    assert.equal(r.status, 200);
    const w = r.window as { start: Date; end: Date };
    assert.ok(w.start < w.end, 'start before end');
    assert.ok(w.end < clock.now(), `window ${w.start.toISOString()}–${w.end.toISOString()} is not in the past of ${clock.now().toISOString()}`);
    assert.equal(r.retryAfter, '21600');
  });

  test('§4.1: a malformed CertID is a 400 malformed problem; an unknown certificate is 404', async () => {
    const c = await issue(acct, ['unknown.example.com']);
    const [aki, serial] = c.certId.split('.') as [string, string];
    for (const bad of [`${aki}=.${serial}`, `${aki}.${serial}=`, aki, `${aki}.${serial}.AQ`, `${aki}.AAEC`, `${aki}.gAE`, `${aki.slice(0, -1)}+.${serial}`]) {
      assertProblem((await ari.get(encodeURIComponent(bad))).response, 400, 'malformed');
    }
    // Another serial under our key identifier, and our serial under another key identifier.
    assertProblem((await ari.get(`${aki}.AQ`)).response, 404, 'malformed', /no certificate/);
    assertProblem((await ari.get(`aYhba4dGQEHhs3uEe6CuLN4ByNQ.${serial}`)).response, 404, 'malformed', /no certificate/);
  });

  test('§5: newOrder with replaces — stored, shown in the order, and the replacement certificate has its own window', async () => {
    const old = await issue(acct, ['renew.example.com', 'www.renew.example.com']);
    const r = await newOrder(acct, ['renew.example.com', 'www.renew.example.com'], { replaces: old.certId });
    assert.equal(r.status, 201, r.body);
    assert.equal(r.json()['replaces'], old.certId);
    const orderUrl = r.headers['location'] as string;
    const id = orderUrl.split('/').pop() as string;
    assert.equal((await f.shomei.inst.sa.repos.getOrder(id))?.replaces, old.certId);
    assert.equal((await f.post(acct, orderUrl, '')).json()['replaces'], old.certId);
    const audit = await f.shomei.inst.sa.repos.listAudit('order', id);
    assert.equal((JSON.parse(audit.find((e) => e.action === 'order.created')?.details ?? '{}') as Record<string, unknown>)['replaces'], old.certId);
    // Finalize the replacement: the order stays a replacement, and a third order is refused.
    const ready = (await f.post(acct, orderUrl, '')).json();
    assert.equal(ready['status'], 'ready', 'authorizations reused from the first issuance');
    const fin = await finalize(acct, ready, orderUrl, ['renew.example.com', 'www.renew.example.com']);
    assert.equal(fin['replaces'], old.certId);
    const again = await newOrder(acct, ['renew.example.com'], { replaces: old.certId });
    assertProblem(again, 409, 'alreadyReplaced', new RegExp(id));
    const renewed = (await f.post(acct, fin['certificate'] as string, '')).body;
    const info = await ari.get(certIdOf((renewed.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/) ?? [])[0] as string));
    assert.equal(info.status, 200);
  });

  test('§5 / §7.4: a second order replacing a certificate whose replacement is still pending is alreadyReplaced (409); once that one is invalid, it may be replaced', async () => {
    const old = await issue(acct, ['twice.example.com']);
    const first = await newOrder(acct, ['twice.example.com'], { replaces: old.certId });
    assert.equal(first.status, 201, first.body);
    assertProblem(await newOrder(acct, ['twice.example.com'], { replaces: old.certId }), 409, 'alreadyReplaced');
    // Orders without replaces are not affected.
    assert.equal((await newOrder(acct, ['twice.example.com'])).status, 201);
    // Deactivating the first order's authorization makes it invalid (RFC 8555 §7.1.6).
    const authzUrl = (first.json()['authorizations'] as string[])[0] as string;
    assert.equal((await f.post(acct, authzUrl, { status: 'deactivated' })).status, 200);
    assert.equal((await f.post(acct, first.headers['location'] as string, '')).json()['status'], 'invalid');
    const retry = await newOrder(acct, ['twice.example.com'], { replaces: old.certId });
    assert.equal(retry.status, 201, retry.body);
    assert.equal(retry.json()['replaces'], old.certId);
  });

  test('§5: an expired replacement order no longer holds the certificate', async () => {
    const old = await issue(acct, ['expired.example.com']);
    assert.equal((await newOrder(acct, ['expired.example.com'], { replaces: old.certId })).status, 201);
    clock.advance(8 * DAY); // past the 168 h order lifetime
    try {
      const r = await newOrder(acct, ['expired.example.com'], { replaces: old.certId });
      assert.equal(r.status, 201, r.body);
    } finally {
      clock.advance(-8 * DAY);
    }
  });

  test('§5: concurrent newOrders replacing one certificate — exactly one is accepted', async () => {
    const old = await issue(acct, ['race.example.com']);
    const results = await Promise.all(Array.from({ length: 5 }, () => newOrder(acct, ['race.example.com'], { replaces: old.certId })));
    const statuses = results.map((r) => r.status).sort();
    assert.deepEqual(statuses, [201, 409, 409, 409, 409], results.map((r) => r.body).join('\n'));
    for (const r of results.filter((x) => x.status === 409)) assert.equal(r.json()['type'], `${PREFIX}alreadyReplaced`);
    // Straight into the RA, without HTTP and JWS work between the requests: more overlap.
    const next = await issue(acct, ['race2.example.com']);
    const row = await f.shomei.inst.sa.repos.getAccountById(acct.url.split('/').pop() as string);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, () => f.shomei.inst.ra.createOrder(row!, { identifiers: [{ type: 'dns', value: 'race2.example.com' }], replaces: next.certId })),
    );
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
    for (const o of outcomes) if (o.status === 'rejected') assert.equal((o.reason as { kind?: string }).kind, 'alreadyReplaced', String(o.reason));
    assert.equal((await f.shomei.inst.sa.repos.listOrdersReplacingCertId(next.certId)).length, 1);
  });

  test('§5: replacing another account\'s certificate is unauthorized (403)', async () => {
    const theirs = await issue(other, ['foreign.example.com']);
    assertProblem(await newOrder(acct, ['foreign.example.com'], { replaces: theirs.certId }), 403, 'unauthorized', /not issued to this account/);
    // The owner still can: the refused attempt did not claim it.
    assert.equal((await newOrder(other, ['foreign.example.com'], { replaces: theirs.certId })).status, 201);
  });

  test('§5: a malformed, non-string or unknown replaces is refused; so is an order sharing no identifier', async () => {
    const old = await issue(acct, ['shared.example.com']);
    const [aki, serial] = old.certId.split('.') as [string, string];
    assertProblem(await newOrder(acct, ['shared.example.com'], { replaces: `${aki}.${serial}=` }), 400, 'malformed', /base64url/);
    assertProblem(await newOrder(acct, ['shared.example.com'], { replaces: `${aki}.AAEC` }), 400, 'malformed', /minimally encoded/);
    assertProblem(await newOrder(acct, ['shared.example.com'], { replaces: 42 }), 400, 'malformed', /CertID string/);
    assertProblem(await newOrder(acct, ['shared.example.com'], { replaces: `${aki}.AQ` }), 404, 'malformed', /no certificate issued by this CA/);
    assertProblem(await newOrder(acct, ['other.example.com'], { replaces: old.certId }), 400, 'malformed', /shares no identifier/);
    // None of the refusals claimed the certificate.
    assert.equal((await newOrder(acct, ['shared.example.com', 'more.example.com'], { replaces: old.certId })).status, 201);
  });
});
