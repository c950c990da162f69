import type { JsonSchema } from '../api-kit/route.js';

/** Request and response schemas of the AR 15 operator report, shared by the admin and operator APIs. */

/** The report period: local dates (CA time zone), both inclusive. */
export const reportPeriodQuery: Record<string, JsonSchema> = {
  from: { type: 'string', format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'First local date of the period (YYYY-MM-DD, inclusive)' },
  to: { type: 'string', format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'Last local date of the period (YYYY-MM-DD, inclusive)' },
};

export const operatorReportSchema: JsonSchema = {
  type: 'object',
  description: 'AR 15 operator report (docs/records.md)',
  properties: {
    operatorId: { type: 'string' },
    operatorName: { type: 'string' },
    from: { type: 'string', format: 'date' },
    to: { type: 'string', format: 'date' },
    timeZone: { type: 'string' },
    currency: { type: 'string' },
    generatedAt: { type: 'string', format: 'date-time' },
    counts: { type: 'object', additionalProperties: { type: 'integer' } },
    applications: { type: 'array', items: { type: 'object' } },
    usageStarts: { type: 'array', items: { type: 'object' } },
    continuations: { type: 'array', items: { type: 'object' } },
    terminations: { type: 'object' },
    issuances: { type: 'array', items: { type: 'object' } },
    revocations: { type: 'array', items: { type: 'object' } },
    fees: { type: 'object' },
    openNotices: { type: 'object' },
  },
};
