import { json, type ApiRoute } from '../../api-kit/route.js';
import { operatorReportCsv } from '../../registry/operator-report.js';
import type { OperatorPrincipal } from '../../registry/operator-keys.js';
import { operatorReportSchema, reportPeriodQuery } from '../../records/report-schema.js';
import type { OperatorApiContext } from '../context.js';

type R = ApiRoute<OperatorPrincipal>;

/** AR 15: the operator's own activity report (the same document CA staff get). */
export function reportRoutes(ctx: OperatorApiContext): R[] {
  return [
    {
      method: 'GET',
      path: '/report',
      operationId: 'getOwnReport',
      summary: 'Activity report for a period (AR 15): applications, continuations, terminations, issuances, revocations, fees, open notices; JSON, or CSV with `?format=csv`',
      tag: 'Operator',
      query: { ...reportPeriodQuery, format: { type: 'string', enum: ['json', 'csv'] } },
      responses: { 200: { description: 'The report', schema: operatorReportSchema, content: { 'text/csv': { type: 'string' } } } },
      handler: async (r) => {
        const report = await ctx.registry.operatorReport(r.principal.operator.id, r.query['from'], r.query['to']);
        if (r.query['format'] === 'csv') {
          return { status: 200, body: operatorReportCsv(report), contentType: 'text/csv; charset=utf-8', headers: { 'content-disposition': `attachment; filename="report-${report.from}-${report.to}.csv"` } };
        }
        return json(200, report);
      },
    },
  ];
}
