// Key compromise (BR §4.9.1.1, §7.2.2; MRSP §6.1.1; SPEC §7) over the real
// stack: revokeCert signed with the certificate key and reason 1 revokes
// every certificate with that key — another operator's subscriber's too — and
// blocks the key for certificates and accounts; an account's reason 1 without
// that proof revokes only its own certificate; a revoked certificate's reason
// becomes keyCompromise with its date kept; CA staff's reason 1 does the same
// as a proof; operators' reason 1 does not. Certificates are issued over ACME
// (dns-01 through the test DNS server).
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { AgencyFixture, type OperatorHandle } from '../../support/agency-fixture.js';
import type { ApiResponse } from '../../support/api-client.js';
import { account, newAccountWith, post, type Acct } from '../../support/agency-acme.js';
import { finalizeWithKey, issueWithKey, keySigner, newCertificateKey, revokeAsAccount, revokeWithKey } from '../../support/certificate-keys.js';
import { eabJws, signJws, type RawResponse } from '../../support/raw-acme.js';
import { assertKeyNotBlocked } from '../../../src/ra/blocked-keys.js';
import { ShomeiError } from '../../../src/core/errors.js';
import { jwkToSpki, sha256Hex } from '../../../src/core/keys.js';

const ACME = 'urn:ietf:params:acme:error:';

function acmeProblem(r: RawResponse, status: number, type: string): { detail: string } {
  assert.equal(r.status, status, r.body);
  assert.match(String(r.headers['content-type']), /^application\/problem\+json/);
  const p = r.json() as { type: string; detail: string };
  assert.equal(p.type, ACME + type, r.body);
  return p;
}

function apiProblem(r: ApiResponse, status: number, kind: string): { detail: string } {
  assert.equal(r.status, status, r.text);
  assert.match(String(r.headers['content-type']), /^application\/problem\+json/);
  assert.equal((r.json() as { type: string }).type, `urn:shomei:problem:${kind}`);
  return r.json() as { detail: string };
}

describe('Key compromise: revoke every certificate with the key and block it', () => {
  let f: AgencyFixture;
  let opA: OperatorHandle;
  let opB: OperatorHandle;
  let subA: string;
  let subB: string;
  let a: Acct; // subscriber A (operator A)
  let b: Acct; // subscriber B (operator B)
  const A = ['kca.test'];
  const B = ['kcb.test'];

  before(async () => {
    f = await AgencyFixture.start();
    opA = await f.designateOperator({ name: 'Alpha Reseller' });
    opB = await f.designateOperator({ name: 'Beta Reseller' });
    subA = await f.createSubscriber(opA, 'Subscriber A');
    subB = await f.createSubscriber(opB, 'Subscriber B');
    await f.apply(opA, subA, 'kca.test', '1y');
    await f.apply(opB, subB, 'kcb.test', '1y');
    a = await account(f, await f.issueEab(opA, subA));
    b = await account(f, await f.issueEab(opB, subB));
  });
  after(async () => f?.close());

  const repos = () => f.shomei.inst.sa.repos;
  const cert = async (serial: string) => {
    const row = await repos().getCertificate(serial);
    assert.ok(row, serial);
    return row;
  };
  const spkiOf = async (keyPem: Buffer) => sha256Hex(jwkToSpki((await keySigner(keyPem)).jwk));
  const audit = async (serial: string, action: string) => (await repos().listAudit('certificate', serial)).filter((e) => e.action === action);
  const revokedEvents = async (serial: string) => (await repos().listNotificationEvents({ kind: 'certificate.revoked' })).filter((e) => e.subject_id === serial);

  test('revokeCert signed by the certificate key with reason 1 revokes it and the other account\'s certificate on the key, and blocks the key', async () => {
    const key = await newCertificateKey();
    const mine = await issueWithKey(f, a, A, key);
    const theirs = await issueWithKey(f, b, B, key); // same key, another operator's subscriber
    const unrelated = await issueWithKey(f, b, B, await newCertificateKey());

    const r = await revokeWithKey(f, key, mine.der, 1);
    assert.equal(r.status, 200, r.body);

    const spki = await spkiOf(key);
    for (const s of [mine.serial, theirs.serial]) {
      const row = await cert(s);
      assert.equal(row.revocation_reason, 1, s);
      assert.equal(row.revoked_at, f.clock.now().toISOString());
      assert.equal((await audit(s, 'certificate.revoked')).length, 1);
    }
    assert.equal((await cert(unrelated.serial)).revoked_at, null, 'a certificate on another key stays');
    const blocked = await repos().getBlockedKey(spki);
    assert.deepEqual(
      blocked && { reason: blocked.reason, source: blocked.source_serial, at: blocked.blocked_at },
      { reason: 'keyCompromise', source: mine.serial, at: f.clock.now().toISOString() },
    );
    assert.equal((await repos().listAudit('key', spki)).filter((e) => e.action === 'key.blocked').length, 1);
    // Both managing operators hear of it (SPEC §10), B's event naming the certificate that proved it.
    const evA = await revokedEvents(mine.serial);
    const evB = await revokedEvents(theirs.serial);
    assert.deepEqual(evA.map((e) => e.operator_id), [opA.id]);
    assert.deepEqual(evB.map((e) => e.operator_id), [opB.id]);
    assert.deepEqual(JSON.parse(evB[0]?.payload ?? '{}'), { reason: 1, via: 'acme', cause: 'keyCompromise', sourceSerial: mine.serial });
    // Asked again: nothing left to do.
    acmeProblem(await revokeWithKey(f, key, theirs.der, 1), 400, 'alreadyRevoked');
  });

  test('a blocked key: assertKeyNotBlocked refuses it; newAccount and keyChange with it are badPublicKey over HTTP; finalize with it is badPublicKey', async () => {
    const key = await newCertificateKey();
    const c = await issueWithKey(f, a, A, key);
    const spki = await spkiOf(key);
    await assert.doesNotReject(assertKeyNotBlocked(repos(), spki, 'certificate'));
    assert.equal((await revokeWithKey(f, key, c.der, 1)).status, 200);

    await assert.rejects(assertKeyNotBlocked(repos(), spki, 'certificate'), (e: unknown) => {
      assert.ok(e instanceof ShomeiError);
      assert.equal(e.kind, 'badPublicKey');
      assert.match(e.detail, new RegExp(`key \\(SPKI SHA-256 ${spki}\\) was reported compromised on 2026-11-21 and may not be used again in a certificate`));
      return true;
    });
    await assert.rejects(assertKeyNotBlocked(repos(), spki.toUpperCase(), 'account'), /as an ACME account key/);

    // newAccount with the compromised key as the account key.
    const signer = await keySigner(key);
    const eab = await f.issueEab(opA, subA);
    const url = f.acme.directory['newAccount'] as string;
    const na = await f.acme.signed(url, signer, { termsOfServiceAgreed: true, externalAccountBinding: eabJws(signer.jwk, eab.kid, eab.hmacKey, url) }, { jwk: signer.jwk });
    assert.match(acmeProblem(na, 400, 'badPublicKey').detail, /reported compromised on 2026-11-21/);
    acmeProblem(await f.acme.signed(url, signer, { onlyReturnExisting: true }, { jwk: signer.jwk }), 400, 'accountDoesNotExist');
    // The same EAB with a clean key still works: only the key was refused.
    assert.equal((await newAccountWith(f, eab)).r.status, 201);

    // keyChange to the compromised key (RFC 8555 §7.3.5): refused, the account keeps its key.
    const mover = await account(f, await f.issueEab(opA, subA));
    const kcUrl = f.acme.directory['keyChange'] as string;
    const inner = await signJws(signer, { url: kcUrl, jwk: signer.jwk }, { account: mover.url, oldKey: mover.key.jwk });
    assert.match(acmeProblem(await post(f, mover, kcUrl, inner), 400, 'badPublicKey').detail, /as an ACME account key/);
    assert.equal((await post(f, mover, mover.url, '')).status, 200, 'the old key still works');

    // A new certificate for the key (BR §6.1.1.3: the CA rejects a key it knows to be compromised).
    const { r } = await finalizeWithKey(f, a, A, key);
    acmeProblem(r, 400, 'badPublicKey');
  });

  test("an account's reason 1 without the key revokes only its certificate; the key's own request later revokes the rest and blocks it", async () => {
    const key = await newCertificateKey();
    const mine = await issueWithKey(f, a, A, key);
    const theirs = await issueWithKey(f, b, B, key);
    assert.equal((await revokeAsAccount(f, a, mine.der, 1)).status, 200);
    assert.equal((await cert(mine.serial)).revocation_reason, 1);
    assert.equal((await cert(theirs.serial)).revoked_at, null, "no proof of possession: the other subscriber's certificate stays");
    assert.equal(await repos().getBlockedKey(await spkiOf(key)), undefined);
    acmeProblem(await revokeAsAccount(f, a, mine.der, 1), 400, 'alreadyRevoked');

    // Now with proof: the certificate is already revoked for keyCompromise, yet the key is not blocked.
    assert.equal((await revokeWithKey(f, key, mine.der, 1)).status, 200);
    assert.equal((await cert(theirs.serial)).revocation_reason, 1);
    assert.ok(await repos().getBlockedKey(await spkiOf(key)));
    assert.equal((await audit(mine.serial, 'certificate.revoked')).length, 1, 'revoked once');
  });

  test('re-revocation for keyCompromise (BR §7.2.2): the reason becomes 1, the revocation date stays, the key is blocked', async () => {
    const key = await newCertificateKey();
    const c = await issueWithKey(f, a, A, key);
    assert.equal((await revokeAsAccount(f, a, c.der, 4)).status, 200);
    const firstDate = (await cert(c.serial)).revoked_at;
    f.clock.advance(3600_000);
    // Another reason by the key is still alreadyRevoked; only keyCompromise reopens it.
    acmeProblem(await revokeWithKey(f, key, c.der, 3), 400, 'alreadyRevoked');
    assert.equal((await revokeWithKey(f, key, c.der, 1)).status, 200);
    const row = await cert(c.serial);
    assert.equal(row.revocation_reason, 1);
    assert.equal(row.revoked_at, firstDate);
    const changed = await audit(c.serial, 'certificate.revocation-reason-changed');
    assert.equal(changed.length, 1);
    assert.deepEqual(JSON.parse(changed[0]?.details ?? '{}'), { reason: 1, previousReason: 4, via: 'acme', revokedAt: firstDate, cause: 'keyCompromise' });
    const ev = (await revokedEvents(c.serial)).map((e) => JSON.parse(e.payload) as Record<string, unknown>);
    assert.deepEqual(ev.map((p) => [p['reason'], p['previousReason']]), [[4, undefined], [1, 4]]);
    assert.equal((await repos().getBlockedKey(await spkiOf(key)))?.source_serial, c.serial);
    acmeProblem(await revokeWithKey(f, key, c.der, 1), 400, 'alreadyRevoked');
  });

  test("CA staff's reason 1 (admin API) revokes every certificate with the key and blocks it; also re-revokes; an operator's reason 1 revokes only its certificate", async () => {
    const key = await newCertificateKey();
    const one = await issueWithKey(f, a, A, key);
    const two = await issueWithKey(f, b, B, key);
    const r = await f.admin.post(`/certificates/${one.serial}/revoke`, { reason: 1 });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json().revocationReason, 1);
    assert.equal((await cert(two.serial)).revocation_reason, 1);
    const blocked = await repos().getBlockedKey(await spkiOf(key));
    assert.deepEqual(blocked && [blocked.reason, blocked.actor], ['admin', 'admin:test-admin']);
    apiProblem(await f.admin.post(`/certificates/${two.serial}/revoke`, { reason: 1 }), 409, 'alreadyRevoked');

    const key2 = await newCertificateKey();
    const three = await issueWithKey(f, a, A, key2);
    const four = await issueWithKey(f, a, A, key2);
    assert.equal((await opA.api.post(`/certificates/${three.serial}/revoke`, { reason: 1 })).status, 200);
    assert.equal((await cert(three.serial)).revocation_reason, 1);
    assert.equal((await cert(four.serial)).revoked_at, null, "an operator's word is no proof of possession");
    assert.equal(await repos().getBlockedKey(await spkiOf(key2)), undefined);
    // Staff then decide it was a key compromise: already revoked for reason 1, but now the key is blocked and its other certificate goes.
    const decided = await f.admin.post(`/certificates/${three.serial}/revoke`, { reason: 1 });
    assert.equal(decided.status, 200, decided.text);
    assert.equal((await cert(four.serial)).revocation_reason, 1);
    assert.equal((await repos().getBlockedKey(await spkiOf(key2)))?.source_serial, three.serial);

    const key3 = await newCertificateKey();
    const five = await issueWithKey(f, b, B, key3);
    assert.equal((await opB.api.post(`/certificates/${five.serial}/revoke`, { reason: 5 })).status, 200);
    const before5 = (await cert(five.serial)).revoked_at;
    f.clock.advance(60_000);
    const re = await f.admin.post(`/certificates/${five.serial}/revoke`, { reason: 1 });
    assert.equal(re.status, 200, re.text);
    assert.deepEqual([re.json().revocationReason, re.json().revokedAt], [1, before5]);
    assert.equal((await repos().getBlockedKey(await spkiOf(key3)))?.reason, 'admin');
  });

  test('reason 9 (privilegeWithdrawn) is for the CA: admin → 200, operator → 400 badRevocationReason, ACME → badRevocationReason', async () => {
    const c = await issueWithKey(f, a, A, await newCertificateKey());
    acmeProblem(await revokeAsAccount(f, a, c.der, 9), 400, 'badRevocationReason');
    apiProblem(await opA.api.post(`/certificates/${c.serial}/revoke`, { reason: 9 }), 400, 'badRevocationReason');
    assert.equal((await cert(c.serial)).revoked_at, null);
    const r = await f.admin.post(`/certificates/${c.serial}/revoke`, { reason: 9 });
    assert.equal(r.status, 200, r.text);
    assert.equal((await cert(c.serial)).revocation_reason, 9);
    assert.equal(await repos().getBlockedKey((await cert(c.serial)).spki_sha256), undefined, 'only keyCompromise blocks a key');
  });
});
