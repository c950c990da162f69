import { statementCsv } from '../../registry/statements.js';
import { operatorView } from '../../registry/operators.js';
import { json, type ApiRoute } from '../../api-kit/route.js';
import type { OperatorPrincipal } from '../../registry/operator-keys.js';
import { monthParam, schemaRef } from '../schemas.js';
import type { OperatorApiContext } from '../context.js';

type R = ApiRoute<OperatorPrincipal>;

export function accountRoutes(ctx: OperatorApiContext): R[] {
  const reg = ctx.registry;
  return [
    {
      method: 'GET',
      path: '/me',
      operationId: 'getOwnOperator',
      summary: 'The operator this API key belongs to',
      tag: 'Operator',
      responses: { 200: { description: 'The operator', schema: { type: 'object', properties: { operator: schemaRef('Operator'), apiKeyId: { type: 'string' } } } } },
      handler: async (r) => json(200, { operator: operatorView(r.principal.operator), apiKeyId: r.principal.keyId }),
    },
    {
      method: 'GET',
      path: '/statements/{month}',
      operationId: 'getStatement',
      summary: 'Monthly fee statement (SPEC §9) as JSON, or CSV with `?format=csv`',
      tag: 'Operator',
      params: { month: monthParam },
      query: { format: { type: 'string', enum: ['json', 'csv'] } },
      responses: { 200: { description: 'The statement', schema: schemaRef('Statement'), content: { 'text/csv': { type: 'string' } } } },
      handler: async (r) => {
        const s = await reg.statement(r.principal.operator.id, r.params['month'] as string);
        if (r.query['format'] === 'csv') {
          return { status: 200, body: statementCsv(s), contentType: 'text/csv; charset=utf-8', headers: { 'content-disposition': `attachment; filename="statement-${s.month}.csv"` } };
        }
        return json(200, s);
      },
    },
  ];
}
