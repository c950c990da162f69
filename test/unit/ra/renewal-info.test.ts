// RFC 9773 §4.2 renewal windows: the middle third of the validity, or a
// window already in the past when a usage FQDN ends before renewal (SPEC §5.4).
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { FakeClock } from '../../../src/core/clock.js';
import { issuedUnderKey, middleThirdWindow, nameCoverageEnds, pastWindow, usageEndsAt, usageEndsBeforeRenewal } from '../../../src/ra/renewal-info.js';
import type { CertificateRow } from '../../../src/sa/index.js';
import { usageFqdnRow } from '../../support/usage-fqdn-row.js';

const TZ = 'Asia/Tokyo';
const d = (s: string) => new Date(s);

const usage = usageFqdnRow;

describe('middle-third window (RFC 9773 §4.2, as Let\'s Encrypt)', () => {
  test('90-day certificate: days 30 to 60', () => {
    const w = middleThirdWindow(d('2026-01-01T00:00:00Z'), d('2026-04-01T00:00:00Z'));
    assert.equal(w.start.toISOString(), '2026-01-31T00:00:00.000Z');
    assert.equal(w.end.toISOString(), '2026-03-02T00:00:00.000Z');
  });

  test('thirds that are not whole seconds are cut to the second', () => {
    const w = middleThirdWindow(d('2026-01-01T00:00:00Z'), d('2026-01-01T00:00:10Z'));
    assert.equal(w.start.toISOString(), '2026-01-01T00:00:03.000Z');
    assert.equal(w.end.toISOString(), '2026-01-01T00:00:06.000Z');
  });

  test('the end is always after the start, even for a one-second lifetime (§4.2: such a window must not be served)', () => {
    const w = middleThirdWindow(d('2026-01-01T00:00:00Z'), d('2026-01-01T00:00:01Z'));
    assert.ok(w.end > w.start);
  });

  test('Shomei\'s own validity (issue date + 90 days, end of day in Tokyo) gives a window inside it', () => {
    const nb = d('2026-11-21T03:00:00Z');
    const na = d('2027-02-19T14:59:59Z');
    const w = middleThirdWindow(nb, na);
    const third = (na.getTime() - nb.getTime()) / 3;
    assert.equal(w.start.getTime(), Math.floor((nb.getTime() + third) / 1000) * 1000);
    assert.equal(w.end.getTime(), Math.floor((nb.getTime() + 2 * third) / 1000) * 1000);
  });
});

describe('past window: renew now', () => {
  test('with the injected clock: an hour ago to a minute ago, whole seconds', () => {
    const clock = new FakeClock('2026-12-10T02:00:00.500Z');
    const w = pastWindow(clock.now());
    assert.equal(w.start.toISOString(), '2026-12-10T01:00:00.000Z');
    assert.equal(w.end.toISOString(), '2026-12-10T01:59:00.000Z');
    assert.ok(w.start < w.end && w.end < clock.now());
    clock.advance(86_400_000);
    assert.ok(pastWindow(clock.now()).end < clock.now(), 'follows the clock');
  });
});

describe('when a usage FQDN stops allowing its names (SPEC §5.3)', () => {
  test('a notice filed before expiry ends it at that expiry date: at the next day\'s start in Tokyo', () => {
    const u = usage('term.test', { termination_notice_at: '2026-12-10T01:00:00.000Z' });
    assert.equal(usageEndsAt(u, TZ)?.toISOString(), '2026-12-31T15:00:00.000Z');
  });

  test('a late notice (filed after the stored expiry, before the day-boundary job ran) ends it at the next expiry', () => {
    const u = usage('late.test', { expiry_date: '2026-11-30', termination_notice_at: '2026-12-01T01:00:00.000Z' });
    assert.equal(usageEndsAt(u, TZ)?.toISOString(), '2026-12-31T15:00:00.000Z');
  });

  test('without a notice it continues; an applied FQDN has no period to end', () => {
    assert.equal(usageEndsAt(usage('live.test'), TZ), null);
    assert.equal(usageEndsAt(usage('new.test', { status: 'applied', start_date: null, expiry_date: null }), TZ), null);
  });

  test('a name allowed by two usage FQDNs ends only when both do (SPEC §5.4 keeps such certificates)', () => {
    const ending = usage('keep.test', { termination_notice_at: '2026-12-10T01:00:00.000Z' });
    const wildcard = usage('*.keep.test');
    assert.equal(nameCoverageEnds('keep.test', [ending, wildcard], TZ), null);
    const wildcardEnding = usage('*.keep.test', { expiry_date: '2027-01-31', termination_notice_at: '2026-12-20T00:00:00.000Z' });
    assert.deepEqual(nameCoverageEnds('keep.test', [ending, wildcardEnding], TZ), {
      endsAt: d('2027-01-31T15:00:00.000Z'),
      knownSince: '2026-12-20T00:00:00.000Z',
    });
    assert.equal(nameCoverageEnds('www.keep.test', [ending, wildcardEnding], TZ)?.endsAt.toISOString(), '2026-12-31T15:00:00.000Z');
  });

  test('a name no live usage FQDN allows has already lost its coverage', () => {
    assert.deepEqual(nameCoverageEnds('gone.test', [usage('live.test')], TZ), { endsAt: new Date(0), knownSince: null });
  });
});

describe('does a usage FQDN end before renewal?', () => {
  const live = [usage('term.test', { termination_notice_at: '2026-12-10T01:00:00.000Z' }), usage('live.test')];
  const cert = { names: JSON.stringify(['live.test', 'term.test']), issued_at: '2026-11-21T03:00:00.000Z', not_after: '2027-02-19T14:59:59.000Z' };
  const now = d('2026-12-10T02:00:00Z');

  test('a multi-domain certificate with a name whose usage ends before notAfter: yes', () => {
    assert.equal(usageEndsBeforeRenewal(cert, live, now, { usageEndingDays: 0, timeZone: TZ }), true);
  });

  test('a certificate expiring before the end of usage: only when the end is within usageEndingDays', () => {
    const short = { ...cert, not_after: '2026-12-20T00:00:00.000Z' };
    assert.equal(usageEndsBeforeRenewal(short, live, now, { usageEndingDays: 30, timeZone: TZ }), true);
    assert.equal(usageEndsBeforeRenewal(short, live, now, { usageEndingDays: 21, timeZone: TZ }), false);
    // 2026-12-10T02:00Z + 22 days = 2027-01-01T02:00Z, past the end at 2026-12-31T15:00Z.
    assert.equal(usageEndsBeforeRenewal(short, live, now, { usageEndingDays: 22, timeZone: TZ }), true);
  });

  test('a certificate issued after the notice (a renewal that already knew) keeps its normal window', () => {
    assert.equal(usageEndsBeforeRenewal({ ...cert, issued_at: '2026-12-11T00:00:00.000Z' }, live, now, { usageEndingDays: 30, timeZone: TZ }), false);
  });

  test('names of continuing usage FQDNs only: no', () => {
    assert.equal(usageEndsBeforeRenewal({ ...cert, names: JSON.stringify(['live.test', 'www.live.test']) }, live, now, { usageEndingDays: 30, timeZone: TZ }), false);
  });

  test('a name left without any live usage FQDN: yes', () => {
    assert.equal(usageEndsBeforeRenewal({ ...cert, names: JSON.stringify(['gone.test']) }, live, now, { usageEndingDays: 0, timeZone: TZ }), true);
  });
});

describe('is the CertID\'s key identifier this certificate\'s issuer? (RFC 9773 §4.1)', () => {
  // RFC 9773 Appendix A example certificate: AKI 69:88:5B:6B:87:46:40:41:E1:B3:7B:84:7B:A0:AE:2C:DE:01:C8:D4.
  const der =
    'MIIBQzCB66ADAgECAgUAh2VDITAKBggqhkjOPQQDAjAVMRMwEQYDVQQDEwpFeGFtcGxlIENBMCIYDzAwMDEwMTAxMDAwMDAwWhgPMDAwMTAxMDEwMDAwMDBaMBYxFDAS' +
    'BgNVBAMTC2V4YW1wbGUuY29tMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEeBZu7cbpAYNXZLbbh8rNIzuOoqOOtmxA1v7cRm//AwyMwWxyHz4zfwmBhcSrf47NUAFf' +
    'qzLQ2PPQxdTXREYEnKMjMCEwHwYDVR0jBBgwFoAUaYhba4dGQEHhs3uEe6CuLN4ByNQwCgYIKoZIzj0EAwIDRwAwRAIge09+S5TZAlw5tgtiVvuERV6cT4mfutXIlwTb' +
    '+FYN/8oCIClDsqBklhB9KAelFiYt9+6FDj3z4KGVelYM5MdsO3pK';
  const aki = Buffer.from('69885b6b87464041e1b37b847ba0ae2cde01c8d4', 'hex');
  const other = Buffer.from('0000000000000000000000000000000000000001', 'hex');
  const row = (issuerKeyId: string | null) => ({ der, issuer_key_id: issuerKeyId }) as CertificateRow;

  test('rows without issuer_key_id are checked against the AKI in the certificate DER', () => {
    assert.equal(issuedUnderKey(row(null), aki), true);
    assert.equal(issuedUnderKey(row(null), other), false);
  });

  test('rows with issuer_key_id are checked against it (hex, any case, separators ignored)', () => {
    assert.equal(issuedUnderKey(row('69:88:5B:6B:87:46:40:41:E1:B3:7B:84:7B:A0:AE:2C:DE:01:C8:D4'), aki), true);
    assert.equal(issuedUnderKey(row('0000000000000000000000000000000000000001'), other), true);
    assert.equal(issuedUnderKey(row('0000000000000000000000000000000000000001'), aki), false, 'the stored issuer wins over the DER');
  });
});
