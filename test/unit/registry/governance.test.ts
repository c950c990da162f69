// SPEC §8 (AR 16): the arithmetic of operator governance — the unreachable
// flag, the correction deadline, and which expiry date a suspension ends a
// usage FQDN at (the boundary rule: suspended at 00:00 of the next local day).
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { reachability } from '../../../src/registry/contact-attempts.js';
import { checkCorrectionDays, correctionDeadline } from '../../../src/registry/correction-notices.js';
import { plannedEnd } from '../../../src/registry/governance-duties.js';
import { continuationInstant, suspendedExpiry } from '../../../src/registry/suspension-effects.js';
import { suspensionState } from '../../../src/registry/suspensions.js';
import { isShomeiError } from '../../../src/core/errors.js';
import { usageEndsAt } from '../../../src/ra/renewal-info.js';
import type { OperatorContactAttemptRow, OperatorSuspensionRow, UsageFqdnRow } from '../../../src/sa/index.js';
import { usageFqdnRow } from '../../support/usage-fqdn-row.js';

const TZ = 'Asia/Tokyo';

function attempt(at: string, outcome: 'reached' | 'unreachable'): OperatorContactAttemptRow {
  return { id: `oca_${at}`, operator_id: 'op_1', attempted_at: at, method: 'email', outcome, note: null, recorded_by: 'admin:t', recorded_at: at };
}

function suspension(o: Partial<OperatorSuspensionRow>): OperatorSuspensionRow {
  return {
    id: 'susp_1',
    operator_id: 'op_1',
    kind: 'notice',
    notice_id: null,
    reason: 'r',
    starts_at: '2026-12-01T00:00:00.000Z',
    ends_at: null,
    lifted_at: null,
    lifted_by: null,
    lift_note: null,
    created_by: 'admin:t',
    created_at: '2026-11-30T00:00:00.000Z',
    start_notified_at: null,
    end_notified_at: null,
    ...o,
  };
}

const usage = (o: Partial<UsageFqdnRow> = {}): UsageFqdnRow => usageFqdnRow('a.test', { id: 'fq_1', ...o });

describe('unreachable flag (AR 16: 21 days)', () => {
  const attempts = [attempt('2026-11-01T00:00:00.000Z', 'unreachable'), attempt('2026-11-02T00:00:00.000Z', 'reached'), attempt('2026-11-03T09:00:00.000Z', 'unreachable'), attempt('2026-11-10T00:00:00.000Z', 'unreachable')];
  test('since = the first failed attempt after the last successful one', () => {
    const r = reachability(attempts, new Date('2026-11-20T00:00:00.000Z'), 21);
    assert.equal(r.unreachableSince, '2026-11-03T09:00:00.000Z');
    assert.equal(r.unreachableDays, 16);
    assert.equal(r.flagged, false);
  });
  test('20 days 23:59:59 is not flagged; exactly 21 days is', () => {
    assert.equal(reachability(attempts, new Date('2026-11-24T08:59:59.000Z'), 21).flagged, false);
    const r = reachability(attempts, new Date('2026-11-24T09:00:00.000Z'), 21);
    assert.deepEqual([r.flagged, r.unreachableDays], [true, 21]);
  });
  test('a successful attempt clears it; attempts after `now` do not count', () => {
    const later = [...attempts, attempt('2026-11-25T00:00:00.000Z', 'reached')];
    assert.equal(reachability(later, new Date('2026-11-26T00:00:00.000Z'), 21).unreachableSince, null);
    assert.equal(reachability(later, new Date('2026-11-24T10:00:00.000Z'), 21).flagged, true);
    assert.equal(reachability([], new Date('2026-11-26T00:00:00.000Z'), 21).flagged, false);
  });
});

describe('correction period (AR 16: at least 30 days)', () => {
  test('deadline = end of local day issue date + N (Tokyo), whatever the hour of issue', () => {
    // 2026-11-21 23:30 in Tokyo → last day 2026-12-21 → deadline 2026-12-22 00:00 JST.
    assert.equal(correctionDeadline(new Date('2026-11-21T14:30:00Z'), 30, TZ).toISOString(), '2026-12-21T15:00:00.000Z');
    // 2026-11-22 00:30 in Tokyo (still the 21st in UTC) → last day 2026-12-22.
    assert.equal(correctionDeadline(new Date('2026-11-21T15:30:00Z'), 30, TZ).toISOString(), '2026-12-22T15:00:00.000Z');
  });
  test('fewer than 30 days is malformed; the default applies when absent', () => {
    assert.equal(checkCorrectionDays(undefined, 45), 45);
    assert.equal(checkCorrectionDays(30, 45), 30);
    assert.throws(
      () => checkCorrectionDays(29, 30),
      (e: unknown) => isShomeiError(e) && e.kind === 'malformed' && /at least 30/.test(e.detail),
    );
    assert.throws(() => checkCorrectionDays(30.5, 30), (e: unknown) => isShomeiError(e) && e.kind === 'malformed');
  });
});

describe('which expiry a suspension ends the usage at (boundary: 00:00 of the next local day)', () => {
  const boundary = continuationInstant('2026-12-31', TZ).toISOString();
  test('the continuation instant of 2026-12-31 is 2027-01-01 00:00 JST', () => {
    assert.equal(boundary, '2026-12-31T15:00:00.000Z');
  });
  test('until corrected, started before the boundary → ends at the stored expiry', () => {
    assert.equal(suspendedExpiry(usage(), [suspension({})], TZ)?.expiryDate, '2026-12-31');
  });
  test('starting exactly at the boundary ends it; ending or lifted exactly at it does not', () => {
    assert.equal(suspendedExpiry(usage(), [suspension({ starts_at: boundary })], TZ)?.expiryDate, '2026-12-31');
    assert.equal(suspendedExpiry(usage(), [suspension({ ends_at: boundary })], TZ), null);
    assert.equal(suspendedExpiry(usage(), [suspension({ lifted_at: boundary })], TZ), null);
  });
  test('a suspension ending between two expiry dates spares the later one; a later suspension ends the next period', () => {
    assert.equal(suspendedExpiry(usage(), [suspension({ ends_at: '2026-12-20T00:00:00.000Z' })], TZ), null);
    // Starts 2027-01-10: the next expiry (2027-01-31) is inside it.
    assert.equal(suspendedExpiry(usage(), [suspension({ starts_at: '2027-01-10T00:00:00.000Z', ends_at: '2027-03-01T00:00:00.000Z' })], TZ)?.expiryDate, '2027-01-31');
  });
  test('the state of a suspension over time', () => {
    const s = suspension({ ends_at: '2026-12-10T00:00:00.000Z' });
    assert.equal(suspensionState(s, new Date('2026-11-30T00:00:00Z')), 'scheduled');
    assert.equal(suspensionState(s, new Date('2026-12-05T00:00:00Z')), 'in-force');
    assert.equal(suspensionState(s, new Date('2026-12-10T00:00:00Z')), 'ended');
    assert.equal(suspensionState({ ...s, lifted_at: '2026-12-02T00:00:00.000Z' }, new Date('2026-12-05T00:00:00Z')), 'lifted');
    assert.equal(suspensionState({ ...s, lifted_at: '2026-11-30T00:00:00.000Z' }, new Date('2026-12-05T00:00:00Z')), 'cancelled');
  });
  test('planned end: the earlier of notice and suspension; ARI moves the end likewise', () => {
    const noticed = usage({ termination_notice_at: '2026-12-05T00:00:00.000Z' });
    assert.deepEqual(plannedEnd(noticed, [suspension({})], TZ), { expiryDate: '2026-12-31', reason: 'termination-notice' });
    assert.deepEqual(plannedEnd(usage(), [suspension({})], TZ), { expiryDate: '2026-12-31', reason: 'operator-suspended' });
    assert.equal(plannedEnd(usage(), [], TZ), null);
    assert.equal(usageEndsAt(usage(), TZ), null);
    assert.equal(usageEndsAt(usage(), TZ, [suspension({})])?.toISOString(), boundary);
  });
});
