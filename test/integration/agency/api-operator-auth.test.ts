// Operator credentials (SPEC §3, AR 4): API keys shown once and stored hashed,
// several active at once, individually revocable, optionally bound to source
// CIDRs and to a client certificate; every authenticated call audited with the
// key id. The ACME-edition handling flag (supplementary provision 3). Admin
// tokens on the admin API.
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgencyFixture, CONSENT, type OperatorHandle } from '../../support/agency-fixture.js';
import type { ApiResponse } from '../../support/api-client.js';

/** A self-signed client certificate (what an operator would present) made with openssl. */
function clientCertificate(cn: string): { cert: string; key: string; sha256: string } {
  const dir = mkdtempSync(join(tmpdir(), 'shomei-client-cert-'));
  try {
    const r = spawnSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', `/CN=${cn}`, '-addext', 'extendedKeyUsage=clientAuth', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem')],
      { encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`openssl failed: ${r.stderr}`);
    const cert = readFileSync(join(dir, 'c.pem'), 'utf8');
    return { cert, key: readFileSync(join(dir, 'k.pem'), 'utf8'), sha256: new X509Certificate(cert).fingerprint256 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function assertProblem(r: ApiResponse, status: number, kind: string): { detail: string } {
  assert.equal(r.status, status, r.text);
  assert.match(String(r.headers['content-type']), /^application\/problem\+json/);
  const p = r.json() as { type: string; status: number; detail: string };
  assert.equal(p.type, `urn:shomei:problem:${kind}`);
  assert.equal(p.status, status);
  return p;
}

describe('operator API: API keys (AR 4)', () => {
  let f: AgencyFixture;
  let op: OperatorHandle;
  before(async () => {
    f = await AgencyFixture.start();
    op = await f.designateOperator();
  });
  after(async () => f.close());

  const issueKey = async (operatorId: string, body: Record<string, unknown> = {}) => {
    const r = await f.admin.post(`/operators/${operatorId}/api-keys`, body);
    assert.equal(r.status, 201, r.text);
    return r.json() as { token: string; key: { id: string; allowedCidrs: string[]; clientCertSha256: string | null; revokedAt: string | null } };
  };
  const me = (token: string, o: Parameters<OperatorHandle['api']['get']>[1] = {}) => f.operatorClient(token).get('/me', o);

  test('the token is shown once; the key list and the stored row hold no secret, only its SHA-256', async () => {
    const issued = await issueKey(op.id, { label: 'shown once' });
    assert.match(issued.token, /^ok_[A-Za-z0-9_-]{12}\.[A-Za-z0-9_-]{43}$/);
    assert.ok(issued.token.startsWith(`${issued.key.id}.`));
    const secret = issued.token.slice(issued.key.id.length + 1);
    assert.ok(!JSON.stringify(issued.key).includes(secret), 'the key view never holds the secret');

    const list = await f.admin.get(`/operators/${op.id}/api-keys`);
    assert.equal(list.status, 200);
    assert.ok(!list.text.includes(secret), 'the key list never holds the secret');
    const listed = (list.json().items as { id: string }[]).find((k) => k.id === issued.key.id);
    assert.ok(listed);
    assert.ok(!('token' in listed) && !('secret' in listed) && !('secretSha256' in listed));

    const row = await f.shomei.inst.sa.repos.getOperatorApiKey(issued.key.id);
    assert.ok(row);
    const columns = Object.keys(row);
    assert.ok(!columns.some((c) => /token/.test(c)), `no token column: ${columns.join(', ')}`);
    assert.deepEqual(columns.filter((c) => /secret/.test(c)), ['secret_sha256']);
    assert.match(row.secret_sha256, /^[0-9a-f]{64}$/);
    assert.equal(row.secret_sha256, createHash('sha256').update(secret).digest('hex'));
    for (const v of Object.values(row)) assert.ok(!String(v).includes(secret), 'no column holds the secret');
    assert.equal((await me(issued.token)).status, 200);
  });

  test('rotation: two keys work at once; revoking one stops it (401) and the other keeps working', async () => {
    const a = await issueKey(op.id, { label: 'old' });
    const b = await issueKey(op.id, { label: 'new' });
    const ma = await me(a.token);
    const mb = await me(b.token);
    assert.equal(ma.status, 200);
    assert.equal(mb.status, 200);
    assert.equal(ma.json().apiKeyId, a.key.id);
    assert.equal(mb.json().apiKeyId, b.key.id);
    assert.equal(ma.json().operator.id, op.id);

    const rv = await f.admin.post(`/operators/${op.id}/api-keys/${a.key.id}/revoke`, {});
    assert.equal(rv.status, 200, rv.text);
    assert.ok(rv.json().revokedAt);
    const gone = assertProblem(await me(a.token), 401, 'unauthorized');
    assert.doesNotMatch(gone.detail, /revoked/, 'the caller is not told why (the log is)');
    assert.equal((await me(b.token)).status, 200);
    assert.equal((await f.operatorClient(b.token).get('/subscribers')).status, 200);

    assertProblem(await f.admin.post(`/operators/${op.id}/api-keys/${a.key.id}/revoke`, {}), 409, 'conflict');
    const listed = (await f.admin.get(`/operators/${op.id}/api-keys`)).json().items as { id: string; revokedAt: string | null }[];
    assert.ok(listed.find((k) => k.id === a.key.id)?.revokedAt);
    assert.equal(listed.find((k) => k.id === b.key.id)?.revokedAt, null);
  });

  test("a key can only be revoked under its own operator (another operator's path → 404)", async () => {
    const other = await f.designateOperator({ name: 'Other K.K.' });
    const k = await issueKey(op.id);
    assertProblem(await f.admin.post(`/operators/${other.id}/api-keys/${k.key.id}/revoke`, {}), 404, 'notFound');
    assertProblem(await f.admin.post(`/operators/${op.id}/api-keys/ok_doesnotexist1/revoke`, {}), 404, 'notFound');
    assert.equal((await me(k.token)).status, 200);
  });

  test('malformed, unknown and wrong-secret tokens are 401 problems with WWW-Authenticate', async () => {
    const k = await issueKey(op.id);
    const wrongSecret = `${k.key.id}.${'A'.repeat(43)}`;
    const unknown = `ok_AAAAAAAAAAAA.${k.token.split('.')[1]}`;
    for (const token of ['', 'garbage', wrongSecret, unknown, `${k.token}x`]) {
      const r = await me(token);
      assertProblem(r, 401, 'unauthorized');
      assert.match(String(r.headers['www-authenticate']), /^Bearer/);
    }
    const none = await f.operatorClient().get('/me');
    assertProblem(none, 401, 'unauthorized');
    const basic = await f.operatorClient().get('/me', { headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` } });
    assertProblem(basic, 401, 'unauthorized');
  });

  test('source-address binding: a key limited to 10.0.0.0/8 is refused from 127.0.0.1; one allowing 127.0.0.1/32 works', async () => {
    const far = await issueKey(op.id, { allowedCidrs: ['10.0.0.0/8'] });
    const near = await issueKey(op.id, { allowedCidrs: ['10.0.0.0/8', '127.0.0.1/32'] });
    assert.deepEqual(far.key.allowedCidrs, ['10.0.0.0/8']);
    assertProblem(await me(far.token), 401, 'unauthorized');
    assertProblem(await f.operatorClient(far.token).get('/subscribers'), 401, 'unauthorized');
    // The source address is the connection's: a forwarded-for header claiming 10.x changes nothing.
    for (const h of ['x-forwarded-for', 'x-real-ip', 'forwarded']) {
      assertProblem(await me(far.token, { headers: { [h]: h === 'forwarded' ? 'for=10.1.2.3' : '10.1.2.3' } }), 401, 'unauthorized');
    }
    assert.equal((await me(near.token)).status, 200);
    assertProblem(await f.admin.post(`/operators/${op.id}/api-keys`, { allowedCidrs: ['not-a-cidr'] }), 400, 'malformed');
    assertProblem(await f.admin.post(`/operators/${op.id}/api-keys`, { allowedCidrs: ['10.0.0.0/33'] }), 400, 'malformed');
  });

  test('client-certificate binding: without the certificate → 401, with it → 200, with another one → 401', async () => {
    const mine = clientCertificate('operator-client');
    const theirs = clientCertificate('someone-else');
    const bound = await issueKey(op.id, { clientCertSha256: mine.sha256 });
    // Stored normalised: 64 lower-case hex digits, whatever the notation given (AB:CD:… here).
    assert.equal(bound.key.clientCertSha256, mine.sha256.replace(/:/g, '').toLowerCase());
    assertProblem(await me(bound.token), 401, 'unauthorized');
    const ok = await me(bound.token, { clientCert: mine });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json().apiKeyId, bound.key.id);
    assertProblem(await me(bound.token, { clientCert: theirs }), 401, 'unauthorized');
    // An unbound key does not care about a certificate.
    assert.equal((await me(op.token, { clientCert: theirs })).status, 200);
    // Both bindings at once: the address and the certificate must match.
    const both = await issueKey(op.id, { clientCertSha256: mine.sha256, allowedCidrs: ['127.0.0.0/8'] });
    assert.equal((await me(both.token, { clientCert: mine })).status, 200);
    const wrongNet = await issueKey(op.id, { clientCertSha256: mine.sha256, allowedCidrs: ['192.0.2.0/24'] });
    assertProblem(await me(wrongNet.token, { clientCert: mine }), 401, 'unauthorized');
    assertProblem(await f.admin.post(`/operators/${op.id}/api-keys`, { clientCertSha256: 'abcd' }), 400, 'malformed');
  });

  test('every authenticated call is audited with the key id, method, route and status — failures included', async () => {
    const k = await issueKey(op.id, { label: 'audited' });
    const api = f.operatorClient(k.token);
    const sub = (await api.post('/subscribers', { name: 'Audit Co.', emails: ['audit@customer.test'] })).json().id as string;
    assert.equal((await api.get(`/subscribers/${sub}`)).status, 200);
    assert.equal((await api.get('/subscribers/sub_doesnotexist')).status, 404);
    assert.equal((await api.post('/subscribers', { name: 'x', emails: ['a@b.test'], bogus: true })).status, 400);
    assert.equal((await api.patch(`/subscribers/${sub}`, { emails: ['new@customer.test'] })).status, 200);
    assert.equal((await f.operatorClient().get('/me')).status, 401);

    const rows = (await f.shomei.inst.sa.repos.listAudit('operator', op.id))
      .filter((r) => r.action === 'operator-api.call')
      .map((r) => ({ actor: r.actor, d: JSON.parse(r.details) as { keyId: string; method: string; route: string; status: number; url: string } }))
      .filter((r) => r.d.keyId === k.key.id);
    assert.deepEqual(
      rows.map((r) => [r.d.method, r.d.route, r.d.status]),
      [
        ['POST', '/subscribers', 201],
        ['GET', '/subscribers/{subscriberId}', 200],
        ['GET', '/subscribers/{subscriberId}', 404],
        ['POST', '/subscribers', 400],
        ['PATCH', '/subscribers/{subscriberId}', 200],
      ],
    );
    for (const r of rows) assert.equal(r.actor, `operator:${op.id}/key:${k.key.id}`);
    assert.equal(rows[1]?.d.url, `/operator/v1/subscribers/${sub}`);
    // The change itself is attributed to the key too.
    const created = (await f.shomei.inst.sa.repos.listAudit('subscriber', sub)).find((r) => r.action === 'subscriber.created');
    assert.equal(created?.actor, `operator:${op.id}/key:${k.key.id}`);
  });
});

describe('operator API: the ACME-edition handling application (supplementary provision 3)', () => {
  let f: AgencyFixture;
  let plain: OperatorHandle;
  before(async () => {
    f = await AgencyFixture.start();
    plain = await f.designateOperator({ name: 'Classic Only K.K.', acmeHandling: false });
  });
  after(async () => f.close());

  const acmeEdition: [string, string, unknown?][] = [
    ['GET', '/subscribers'],
    ['POST', '/subscribers', { name: 'x', emails: ['x@customer.test'] }],
    ['GET', '/subscribers/sub_abcdefghijkl'],
    ['PATCH', '/subscribers/sub_abcdefghijkl', { name: 'y' }],
    ['POST', '/subscribers/sub_abcdefghijkl/credentials', {}],
    ['GET', '/subscribers/sub_abcdefghijkl/credentials'],
    ['POST', '/subscribers/sub_abcdefghijkl/credentials/kid-abc/revoke', {}],
    ['GET', '/usage-fqdns'],
    ['POST', '/usage-fqdns', { subscriberId: 'sub_abcdefghijkl', fqdn: 'x.test', period: '1m', consent: CONSENT }],
    ['GET', '/usage-fqdns/fq_abcdefghijkl'],
    ['PATCH', '/usage-fqdns/fq_abcdefghijkl', { continuationPeriod: '1y' }],
    ['POST', '/usage-fqdns/fq_abcdefghijkl/termination-notice', {}],
    ['DELETE', '/usage-fqdns/fq_abcdefghijkl/termination-notice'],
    ['GET', '/certificates'],
    ['GET', '/certificates/0a1b'],
    ['POST', '/certificates/0a1b/revoke', { reason: 4 }],
  ];

  test('every ACME-edition endpoint is a 403 problem; nothing is written', async () => {
    for (const [method, path, body] of acmeEdition) {
      const r = await plain.api.call(method, path, body === undefined ? {} : { body });
      assertProblem(r, 403, 'forbidden');
      assert.match(r.json().detail as string, /ACME-edition/, `${method} ${path}`);
    }
    const subs = await f.admin.get(`/subscribers?operatorId=${plain.id}`);
    assert.deepEqual(subs.json().items, []);
  });

  test('/me and /statements/{month} work; the refused calls are audited as 403s', async () => {
    const me = await plain.api.get('/me');
    assert.equal(me.status, 200);
    assert.equal(me.json().operator.acmeHandling, false);
    const st = await plain.api.get('/statements/2026-11');
    assert.equal(st.status, 200);
    assert.equal(st.json().operatorId, plain.id);
    const csv = await plain.api.get('/statements/2026-11?format=csv');
    assert.equal(csv.status, 200);
    const audited = (await f.shomei.inst.sa.repos.listAudit('operator', plain.id)).filter((r) => r.action === 'operator-api.call').map((r) => JSON.parse(r.details) as { status: number; route: string });
    assert.ok(audited.some((d) => d.route === '/subscribers' && d.status === 403));
    assert.ok(audited.some((d) => d.route === '/me' && d.status === 200));
  });

  test('once the application is filed (admin PATCH acmeHandling), the same key works', async () => {
    const p = await f.admin.patch(`/operators/${plain.id}`, { acmeHandling: true });
    assert.equal(p.status, 200, p.text);
    assert.equal(p.json().acmeHandling, true);
    assert.equal((await plain.api.get('/subscribers')).status, 200);
    const back = await f.admin.patch(`/operators/${plain.id}`, { acmeHandling: false });
    assert.equal(back.json().acmeHandling, false);
    assertProblem(await plain.api.get('/subscribers'), 403, 'forbidden');
  });
});
