// A usage-FQDN row for unit tests: active, started 2026-11-21, expiry
// 2026-12-31 (1-month period), overridable field by field.
import type { UsageFqdnRow } from '../../src/sa/index.js';

export function usageFqdnRow(fqdn: string, o: Partial<UsageFqdnRow> = {}): UsageFqdnRow {
  return {
    id: `fq_${fqdn}`,
    subscriber_id: 'sub_1',
    operator_id: 'op_1',
    fqdn,
    status: 'active',
    period: '1m',
    continuation_period: '1m',
    applied_at: '2026-11-01T00:00:00.000Z',
    start_date: '2026-11-21',
    expiry_date: '2026-12-31',
    termination_notice_at: null,
    termination_notice_by: null,
    ended_on: null,
    end_reason: null,
    updated_at: '2026-11-21T00:00:00.000Z',
    ending_soon_notified_for: null,
    ...o,
  };
}
