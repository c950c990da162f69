import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { renderNotification, signatureOf, TEMPLATES, type RenderInput } from '../../../src/notify/render.js';
import type { RecipientRole } from '../../../src/notify/recipients.js';
import { NOTIFICATION_KINDS, type NotificationKind } from '../../../src/registry/notifications.js';

/**
 * Every kind × both languages renders a subject and a body that carry the
 * payload's key fields (common5.md payload conventions; existing call sites
 * of recordNotification for the older kinds).
 */
const SAMPLES: Record<NotificationKind, { payload: Record<string, unknown>; subjectId?: string; expect: string[] }> = {
  'operator.designated': { payload: { name: 'Example Reseller K.K.' }, expect: ['Example Reseller K.K.'] },
  'operator.api-key-issued': { payload: { keyId: 'ok_key1', label: 'primary' }, expect: ['ok_key1', 'primary'] },
  'operator.api-key-revoked': { payload: { keyId: 'ok_key2' }, expect: ['ok_key2'] },
  'application.accepted': { payload: { fqdn: 'www.example.test', period: '1y', reasons: [], usageFqdnId: 'fq_abc' }, expect: ['www.example.test', 'fq_abc'] },
  'application.refused': {
    payload: { fqdn: 'bad.example.test', period: '1m', reasons: [{ code: 'duplicate', detail: 'bad.example.test is already registered' }], usageFqdnId: null },
    expect: ['bad.example.test', 'duplicate', 'is already registered'],
  },
  'credential.issued': { payload: { kid: 'kid_issued1' }, expect: ['kid_issued1'] },
  'credential.revoked': { payload: { kid: 'kid_revoked1' }, expect: ['kid_revoked1'] },
  'credential.compromised': { payload: { kid: 'kid_bad1', deactivatedAccounts: ['acct_1', 'acct_2'] }, expect: ['kid_bad1', 'acct_1', 'acct_2', 'keyCompromise'] },
  'usage-fqdn.started': { payload: { fqdn: 'start.example.test', startDate: '2026-12-01', expiryDate: '2027-12-31' }, expect: ['start.example.test', '2027'] },
  'usage-fqdn.continued': { payload: { fqdn: 'cont.example.test', periodStart: '2027-01-01', expiryDate: '2027-01-31', period: '1m' }, expect: ['cont.example.test'] },
  'usage-fqdn.termination-filed': { payload: { fqdn: 'term.example.test', endsAt: '2027-03-31', unavoidable: true, note: 'closing the shop' }, expect: ['term.example.test', 'closing the shop'] },
  'usage-fqdn.termination-withdrawn': { payload: { fqdn: 'keep.example.test', expiryDate: '2027-03-31' }, expect: ['keep.example.test'] },
  'usage-fqdn.continuation-changed': { payload: { fqdn: 'chg.example.test', continuationPeriod: '1y' }, expect: ['chg.example.test'] },
  'usage-fqdn.ended': { payload: { fqdn: 'end.example.test', endedOn: '2027-04-01', reason: 'expired', revokedCertificates: ['0A1B2C'] }, expect: ['end.example.test', 'expired', '0A1B2C'] },
  'certificate.issued': { payload: { names: ['www.issued.test', 'issued.test'] }, subjectId: '04AABBCC', expect: ['www.issued.test', 'issued.test', '04AABBCC'] },
  'certificate.revoked': { payload: { reason: 1, via: 'acme' }, subjectId: '04DEADBEEF', expect: ['04DEADBEEF', 'keyCompromise'] },
  'usage-fqdn.ending-soon': { payload: { fqdn: 'soon.example.test', expiryDate: '2027-05-31', reason: 'operator-suspended' }, expect: ['soon.example.test', 'operator-suspended'] },
  'operator.correction-notice': {
    payload: { noticeId: 'cn_1', operatorName: 'Slow Payer Ltd', ground: 'unpaid-fees', detail: 'Invoice 2026-10 unpaid', issuedAt: '2026-11-21T03:00:00Z', deadline: '2026-12-21T03:00:00Z', correctionDays: 30 },
    expect: ['cn_1', 'Slow Payer Ltd', 'unpaid-fees', 'Invoice 2026-10 unpaid', '30'],
  },
  'operator.correction-resolved': { payload: { noticeId: 'cn_2', operatorName: 'Slow Payer Ltd', resolution: 'corrected', note: 'paid in full' }, expect: ['cn_2', 'corrected', 'paid in full'] },
  'operator.suspension-started': {
    payload: { suspensionId: 'os_1', operatorName: 'Suspended Co', kind: 'notice', reason: 'not corrected', startsAt: '2026-12-21T03:00:00Z', endsAt: null },
    expect: ['os_1', 'Suspended Co', 'not corrected'],
  },
  'operator.suspension-ended': { payload: { suspensionId: 'os_2', operatorName: 'Suspended Co', endedAt: '2027-01-10T00:00:00Z', how: 'lifted' }, expect: ['os_2', 'Suspended Co', 'lifted'] },
  'operator.immediate-suspension': {
    payload: { suspensionId: 'os_3', operatorName: 'Leaky Keys Inc', reason: 'API key compromise', startsAt: '2026-11-21T03:00:00Z', keysRevoked: 2 },
    expect: ['os_3', 'Leaky Keys Inc', 'API key compromise'],
  },
  'operator.termination-scheduled': {
    payload: { terminationId: 'ot_1', operatorName: 'Leaving Ltd', effectiveAt: '2027-01-31T15:00:00Z', reason: 'contract ended', successorName: 'CA Reseller Desk' },
    expect: ['ot_1', 'Leaving Ltd', 'contract ended', 'CA Reseller Desk'],
  },
  'operator.termination-effective': {
    payload: { terminationId: 'ot_2', operatorName: 'Leaving Ltd', effectiveAt: '2027-01-31T15:00:00Z', transferredToName: 'Successor K.K.', usageFqdns: 12, subscribers: 5, certificates: 17 },
    expect: ['ot_2', 'Leaving Ltd', 'Successor K.K.', '12', '17'],
  },
  'operator.handover-demand': {
    payload: { demandId: 'hd_1', operatorName: 'Leaving Ltd', deadline: '2027-02-15T00:00:00Z', items: ['subscriber contact list', 'pending applications'] },
    expect: ['hd_1', 'Leaving Ltd', 'subscriber contact list', 'pending applications'],
  },
  'operator.handover-received': { payload: { fromOperatorName: 'Leaving Ltd', usageFqdns: 12, subscribers: 5, certificates: 17 }, expect: ['Leaving Ltd', '12', '17'] },
  'maintenance.announced': { payload: { windowId: 'mw_1', reason: 'HSM firmware upgrade', startsAt: '2026-12-05T16:00:00Z', endsAt: '2026-12-05T18:00:00Z' }, expect: ['mw_1', 'HSM firmware upgrade'] },
  'maintenance.cancelled': { payload: { windowId: 'mw_2', reason: 'upgrade postponed', startsAt: '2026-12-05T16:00:00Z', endsAt: '2026-12-05T18:00:00Z' }, expect: ['mw_2', 'upgrade postponed'] },
  'policy-document.published': { payload: { kind: 'terms', version: 'acme-terms-2027-01', url: 'https://ca.test/terms/2027-01', effectiveAt: '2027-01-01T00:00:00Z' }, expect: ['acme-terms-2027-01', 'https://ca.test/terms/2027-01'] },
};

function input(kind: NotificationKind, locale: 'ja' | 'en', role: RecipientRole = 'operator', over: Partial<RenderInput> = {}): RenderInput {
  const s = SAMPLES[kind];
  return {
    kind,
    payload: s.payload,
    locale,
    role,
    timeZone: 'Asia/Tokyo',
    operatorName: 'Example Reseller K.K.',
    subscriber: { id: 'sub_x1', name: 'Hanako Suzuki' },
    subjectId: s.subjectId ?? 'subj_1',
    eventAt: '2026-11-21T03:00:00Z',
    signature: 'Shomei CA',
    ...over,
  };
}

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

describe('notification templates (SPEC §10)', () => {
  test('there is a template, in Japanese and English, for every notification kind', () => {
    assert.deepEqual(Object.keys(TEMPLATES).sort(), [...NOTIFICATION_KINDS].sort());
    assert.deepEqual(Object.keys(SAMPLES).sort(), [...NOTIFICATION_KINDS].sort(), 'the test covers every kind');
  });

  for (const kind of NOTIFICATION_KINDS) {
    for (const locale of ['ja', 'en'] as const) {
      test(`${kind} (${locale}): subject and body name the key payload fields`, () => {
        const r = renderNotification(input(kind, locale));
        assert.ok(r.subject.startsWith('[Shomei CA] ') && r.subject.length > '[Shomei CA] '.length + 3, r.subject);
        assert.ok(!/[\r\n]/.test(r.subject), 'one-line subject');
        const all = `${r.subject}\n${r.body}`;
        for (const v of SAMPLES[kind].expect) assert.ok(all.includes(v), `${kind}/${locale} mentions ${v}:\n${all}`);
        assert.ok(!all.includes('undefined') && !all.includes('[object Object]') && !all.includes('—'), `no missing field placeholders:\n${all}`);
        if (locale === 'ja') assert.match(r.body, /(です|ます)。/, 'polite Japanese');
        else assert.ok(!JAPANESE.test(all), `English notice has no Japanese text:\n${all}`);
      });
    }
  }

  test('times are shown in the CA time zone; calendar dates as dates', () => {
    const ja = renderNotification(input('maintenance.announced', 'ja'));
    // 16:00Z = 01:00 on the next day in Tokyo.
    assert.ok(ja.body.includes('2026年12月6日 01:00 JST'), ja.body);
    assert.ok(ja.body.includes('2026年12月6日 03:00 JST'), ja.body);
    const en = renderNotification(input('maintenance.announced', 'en'));
    assert.ok(en.body.includes('6 December 2026 at 01:00'), en.body);
    const utc = renderNotification(input('maintenance.announced', 'en', 'operator', { timeZone: 'UTC' }));
    assert.ok(utc.body.includes('5 December 2026 at 16:00'), utc.body);
    const date = renderNotification(input('usage-fqdn.started', 'ja'));
    assert.ok(date.body.includes('有効期限: 2027年12月31日\n'), date.body);
  });

  test('AR 11: an operator-addressed notice about a subscriber asks the operator to relay it without delay', () => {
    const ja = renderNotification(input('credential.issued', 'ja'));
    assert.match(ja.body, /Hanako Suzuki.*遅滞なく本サービス利用者へお伝えください/s);
    const en = renderNotification(input('credential.issued', 'en'));
    assert.match(en.body, /subscriber you broker \(Hanako Suzuki\)\. Please relay it to the subscriber without delay\./);
    const direct = renderNotification(input('credential.issued', 'ja', 'subscriber'));
    assert.ok(!direct.body.includes('遅滞なく'), 'no relay request in a direct notice');
    assert.ok(direct.body.startsWith('Hanako Suzuki 様\n'), direct.body);
    const own = renderNotification(input('operator.api-key-issued', 'en', 'operator', { subscriber: null }));
    assert.ok(!own.body.includes('relay'), 'nothing to relay in a notice about the operator itself');
    assert.ok(own.body.startsWith('Dear Example Reseller K.K.,\n'), own.body);
  });

  test('revocation notices carry the reason code name', () => {
    for (const [code, name] of [[0, 'unspecified'], [4, 'superseded'], [5, 'cessationOfOperation'], [9, 'privilegeWithdrawn']] as const) {
      const r = renderNotification(input('certificate.revoked', 'en', 'operator', { payload: { reason: code, cause: 'usage-fqdn-ended', fqdn: 'gone.test' } }));
      assert.ok(r.subject.includes(`${name} (${code})`), r.subject);
      assert.ok(r.body.includes('gone.test'), r.body);
    }
  });

  test('AR 18: a direct suspension notice tells the subscriber its period, that applications are refused, and the FQDN restrictions', () => {
    const ja = renderNotification(input('operator.suspension-started', 'ja', 'subscriber', { subscriber: null }));
    assert.ok(ja.body.startsWith('本サービス利用者 様\n'), ja.body);
    assert.ok(ja.body.includes('2026年12月21日 12:00 JST から 是正が確認されるまで'), ja.body);
    assert.ok(ja.body.includes('Suspended Co を経由した本サービスのご利用申込み（利用FQDNのお申込み）をお受けできません'), ja.body);
    assert.ok(ja.body.includes('有効期限を迎える利用FQDNは継続されず'), ja.body);
    const en = renderNotification(input('operator.suspension-started', 'en', 'subscriber', { payload: { ...SAMPLES['operator.suspension-started'].payload, endsAt: '2027-01-20T15:00:00Z' } }));
    assert.ok(en.body.includes('to 21 January 2027 at 00:00'), en.body);
    assert.ok(en.body.includes('applications for usage FQDNs through Suspended Co are not accepted'), en.body);
    const term = renderNotification(input('operator.termination-scheduled', 'en', 'subscriber'));
    assert.ok(term.body.includes('Certificates in use are not revoked'), term.body);
  });

  test('the signature is the display name of notifications.from', () => {
    assert.equal(signatureOf('Shomei CA <noreply@shomei.test>'), 'Shomei CA');
    assert.equal(signatureOf('"JP Cert Desk" <desk@ca.test>'), 'JP Cert Desk');
    assert.equal(signatureOf('noreply@shomei.test'), 'noreply@shomei.test');
  });
});
