import { json, type ApiRoute, type JsonSchema } from '../../api-kit/route.js';
import { operatorReportCsv } from '../../registry/operator-report.js';
import { listAuditEventPage } from '../../records/audit-events.js';
import { verifyAuditChain } from '../../records/audit-verify.js';
import { cursorQuery, idParam, limitQuery } from '../../operator-api/schemas.js';
import { operatorReportSchema, reportPeriodQuery } from '../../records/report-schema.js';
import type { AdminApiContext, AdminPrincipal } from './context.js';

type R = ApiRoute<AdminPrincipal>;

const str = (q: Record<string, unknown>, k: string) => (typeof q[k] === 'string' ? q[k] : undefined);
const text = (max: number): JsonSchema => ({ type: 'string', minLength: 1, maxLength: max });
const nullableInt = { anyOf: [{ type: 'integer' }, { type: 'null' }] };

const verification: JsonSchema = {
  type: 'object',
  properties: {
    ok: { type: 'boolean' },
    events: { type: 'integer' },
    firstSeq: nullableInt,
    lastSeq: nullableInt,
    anchorSeq: { type: 'integer' },
    headSeq: { type: 'integer' },
    headHash: { type: 'string' },
    problems: { type: 'array', items: { type: 'object', properties: { seq: { type: 'integer' }, problem: { type: 'string' } } } },
    truncated: { type: 'boolean' },
  },
};

const auditEvent: JsonSchema = {
  type: 'object',
  properties: {
    seq: { type: 'integer' },
    at: { type: 'string', format: 'date-time' },
    actor: { type: 'string' },
    channel: { type: 'string' },
    action: { type: 'string' },
    objectType: { type: 'string' },
    objectId: { type: 'string' },
    details: {},
    prevHash: { type: 'string' },
    hash: { type: 'string' },
  },
};

/** Audit trail (SPEC §11) and the AR 15 operator report for CA staff. */
export function adminRecordsRoutes(ctx: AdminApiContext): R[] {
  return [
    {
      method: 'GET',
      path: '/audit/verify',
      operationId: 'verifyAuditChain',
      summary: 'Verify the hash chain of the audit trail from its anchor to its head (SPEC §11, BR 5.4.4)',
      tag: 'Records',
      responses: { 200: { description: 'The verification result (ok false = the chain is broken; problems name the positions)', schema: verification } },
      handler: async () => json(200, await verifyAuditChain(ctx.sa.repos)),
    },
    {
      method: 'GET',
      path: '/audit/events',
      operationId: 'listAuditEvents',
      summary: 'Audit events in chain order, filtered; paged by seq',
      tag: 'Records',
      query: {
        objectType: text(64),
        objectId: text(200),
        actor: text(200),
        action: text(100),
        from: { type: 'string', format: 'date-time', maxLength: 40, description: 'Events at or after this instant' },
        to: { type: 'string', format: 'date-time', maxLength: 40, description: 'Events before this instant' },
        cursor: cursorQuery,
        limit: limitQuery,
      },
      responses: {
        200: {
          description: 'A page of events',
          schema: { type: 'object', required: ['items', 'next'], properties: { items: { type: 'array', items: auditEvent }, next: { anyOf: [{ type: 'string' }, { type: 'null' }] } } },
        },
      },
      handler: async (r) =>
        json(
          200,
          await listAuditEventPage(ctx.sa.repos, {
            objectType: str(r.query, 'objectType'),
            objectId: str(r.query, 'objectId'),
            actor: str(r.query, 'actor'),
            action: str(r.query, 'action'),
            from: str(r.query, 'from'),
            to: str(r.query, 'to'),
            cursor: str(r.query, 'cursor'),
            limit: typeof r.query['limit'] === 'number' ? r.query['limit'] : undefined,
          }),
        ),
    },
    {
      method: 'GET',
      path: '/operators/{operatorId}/report',
      operationId: 'getOperatorReport',
      summary: "An operator's activity report for a period (AR 15): JSON, or CSV with ?format=csv",
      tag: 'Records',
      params: { operatorId: idParam('op') },
      query: { ...reportPeriodQuery, format: { type: 'string', enum: ['json', 'csv'] } },
      responses: { 200: { description: 'The report', schema: operatorReportSchema, content: { 'text/csv': { type: 'string' } } } },
      handler: async (r) => {
        const report = await ctx.registry.operatorReport(r.params['operatorId'] as string, r.query['from'], r.query['to']);
        if (r.query['format'] === 'csv') {
          return { status: 200, body: operatorReportCsv(report), contentType: 'text/csv; charset=utf-8', headers: { 'content-disposition': `attachment; filename="report-${report.operatorId}-${report.from}-${report.to}.csv"` } };
        }
        return json(200, report);
      },
    },
  ];
}
