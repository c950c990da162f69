import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { FakeClock } from '../../src/core/clock.js';
import { ProtocolFixture, type Account } from '../support/protocol-fixture.js';
import { makeCsr } from '../support/csr.js';

const PREFIX = 'urn:ietf:params:acme:error:';
const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** Time travel with an injected clock: reuse windows, expiry and the CAA re-check. No test sleeps. */
describe('authorization reuse, expiry and CAA re-check (RFC 8555 §7.1.6, BR 4.2.1, 3.2.2.8)', () => {
  let f: ProtocolFixture;
  let acct: Account;
  const clock = new FakeClock(new Date());
  before(async () => {
    f = await ProtocolFixture.start({ clock });
    acct = await f.newAccount();
  });
  after(async () => f.close());

  const order = (names: string[]) =>
    f.post(acct, f.dir['newOrder'] as string, { identifiers: names.map((value) => ({ type: 'dns', value })) });

  test('a valid authorization is reused within acme.authzReuseDays and not after', async () => {
    await f.readyOrder(acct, ['window.example.com']);
    clock.advance(28 * DAY);
    assert.equal((await order(['window.example.com'])).json()['status'], 'ready', 'reused at day 28');
    clock.advance(2 * DAY + HOUR);
    const late = await order(['window.example.com']);
    assert.equal(late.json()['status'], 'pending', 'a fresh authorization after 30 days');
  });

  test('a pending order expires and becomes invalid; its authorizations expire', async () => {
    const r = await order(['expire.example.com']);
    const url = r.headers['location'] as string;
    const authzUrl = (r.json()['authorizations'] as string[])[0] as string;
    clock.advance(7 * DAY + 1000);
    assert.equal((await f.post(acct, url, '')).json()['status'], 'invalid');
    assert.equal((await f.post(acct, authzUrl, '')).json()['status'], 'expired');
  });

  test('CAA is re-checked at finalize when the validation is older than 8 hours', async () => {
    const { body } = await f.readyOrder(acct, ['caa-late.example.com']);
    f.dns.setCaa('caa-late.example.com', [{ flags: 0, tag: 'issue', value: 'other-ca.example' }]);
    clock.advance(9 * HOUR);
    const csr = await makeCsr(['caa-late.example.com']);
    const r = await f.post(acct, body['finalize'] as string, { csr: csr.csrB64u });
    assert.equal(r.status, 403, r.body);
    assert.equal(r.json()['type'], `${PREFIX}caa`);
    assert.deepEqual(r.json()['identifier'], { type: 'dns', value: 'caa-late.example.com' });
  });

  test('within 8 hours the CAA result from validation stands', async () => {
    const { body } = await f.readyOrder(acct, ['caa-fresh.example.com']);
    f.dns.setCaa('caa-fresh.example.com', [{ flags: 0, tag: 'issue', value: 'other-ca.example' }]);
    clock.advance(7 * HOUR);
    const csr = await makeCsr(['caa-fresh.example.com']);
    const r = await f.post(acct, body['finalize'] as string, { csr: csr.csrB64u });
    assert.equal(r.json()['status'], 'valid', r.body);
  });

  test('CAA forbidding this CA at validation makes the authorization invalid with a caa problem', async () => {
    f.dns.setCaa('caa-now.example.com', [{ flags: 0, tag: 'issue', value: 'other-ca.example' }]);
    const { body } = await f.readyOrder(acct, ['caa-now.example.com']);
    assert.equal(body['status'], 'invalid');
    const authz = (await f.post(acct, (body['authorizations'] as string[])[0] as string, '')).json();
    const ch = (authz['challenges'] as { type: string; error?: { type: string } }[]).find((c) => c.type === 'dns-01');
    assert.equal(ch?.error?.type, `${PREFIX}caa`);
  });

  test('an order being processed answers with Retry-After', async () => {
    const r = await order(['processing.example.com']);
    const url = r.headers['location'] as string;
    const id = url.split('/').pop() as string;
    assert.equal(await f.shomei.inst.sa.repos.transitionOrder(id, ['pending'], { status: 'processing' }, clock.now().toISOString()), true);
    const read = await f.post(acct, url, '');
    assert.equal(read.json()['status'], 'processing');
    assert.equal(read.headers['retry-after'], '1');
  });

  test('a challenge being validated, and its authorization, answer with Retry-After', async () => {
    const r = await order(['polling.example.com']);
    const authzUrl = (r.json()['authorizations'] as string[])[0] as string;
    const ch = ((await f.post(acct, authzUrl, '')).json()['challenges'] as { url: string; type: string }[]).find((c) => c.type === 'http-01');
    const id = ch?.url.split('/').pop() as string;
    assert.equal(await f.shomei.inst.sa.repos.transitionChallenge(id, 'pending', { status: 'processing' }), true);
    const read = await f.post(acct, ch?.url as string, '');
    assert.equal(read.json()['status'], 'processing');
    assert.equal(read.headers['retry-after'], '1');
    assert.equal((await f.post(acct, authzUrl, '')).headers['retry-after'], '1');
  });

  test('work interrupted by a crash (processing for over 10 minutes) fails cleanly instead of hanging', async () => {
    const r = await order(['crashed.example.com']);
    const orderUrl = r.headers['location'] as string;
    const orderId = orderUrl.split('/').pop() as string;
    const authzUrl = (r.json()['authorizations'] as string[])[0] as string;
    const ch = ((await f.post(acct, authzUrl, '')).json()['challenges'] as { url: string; type: string }[]).find((c) => c.type === 'dns-01');
    const chId = ch?.url.split('/').pop() as string;
    const sa = f.shomei.inst.sa;
    // What a dying instance leaves behind: a challenge and an order in processing.
    assert.equal(await sa.repos.transitionChallenge(chId, 'pending', { status: 'processing', processing_since: clock.now().toISOString() }), true);
    assert.equal(await sa.repos.transitionOrder(orderId, ['pending'], { status: 'processing' }, clock.now().toISOString()), true);
    clock.advance(9 * 60_000);
    assert.equal((await f.post(acct, ch?.url as string, '')).json()['status'], 'processing', 'still within the window');
    assert.equal((await f.post(acct, orderUrl, '')).json()['status'], 'processing');
    clock.advance(2 * 60_000);
    const c = (await f.post(acct, ch?.url as string, '')).json();
    assert.equal(c['status'], 'invalid');
    assert.equal((c['error'] as { type: string }).type, `${PREFIX}serverInternal`);
    assert.equal((await f.post(acct, authzUrl, '')).json()['status'], 'invalid');
    const o = (await f.post(acct, orderUrl, '')).json();
    assert.equal(o['status'], 'invalid');
    assert.match(String((o['error'] as { detail: string }).detail), /interrupted/);
  });
});
