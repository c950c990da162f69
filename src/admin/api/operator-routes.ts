import { json, type ApiRoute } from '../../api-kit/route.js';
import { statementCsv } from '../../registry/statements.js';
import { idParam, monthParam, schemaRef } from '../../operator-api/schemas.js';
import type { AdminApiContext, AdminPrincipal } from './context.js';

type R = ApiRoute<AdminPrincipal>;
const operatorId = { operatorId: idParam('op') };

const operatorInput = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    representative: { type: 'string', minLength: 1, maxLength: 200 },
    address: { anyOf: [{ type: 'string', maxLength: 500 }, { type: 'null' }] },
    contacts: { type: 'array', minItems: 1, maxItems: 10, items: schemaRef('OperatorContact') },
    acmeHandling: { type: 'boolean' },
    domainDesignated: { type: 'boolean' },
    caDesk: { type: 'boolean' },
  },
};

const apiKey = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    operatorId: { type: 'string' },
    label: { anyOf: [{ type: 'string' }, { type: 'null' }] },
    allowedCidrs: { type: 'array', items: { type: 'string' } },
    clientCertSha256: { anyOf: [{ type: 'string' }, { type: 'null' }] },
    createdAt: { type: 'string', format: 'date-time' },
    createdBy: { type: 'string' },
    revokedAt: { anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }] },
  },
};

export function adminOperatorRoutes(ctx: AdminApiContext): R[] {
  const reg = ctx.registry;
  return [
    {
      method: 'POST',
      path: '/operators',
      operationId: 'designateOperator',
      summary: 'Designate an operator (AR 2); books the contract fee unless waived',
      tag: 'Operators',
      body: { ...operatorInput, required: ['name', 'representative', 'contacts'] },
      responses: { 201: { description: 'Designated', schema: schemaRef('Operator') } },
      handler: async (r) => json(201, await reg.designateOperator(r.body, r.principal)),
    },
    {
      method: 'GET',
      path: '/operators',
      operationId: 'listOperators',
      summary: 'List operators',
      tag: 'Operators',
      responses: { 200: { description: 'Operators', schema: { type: 'object', properties: { items: { type: 'array', items: schemaRef('Operator') } } } } },
      handler: async () => json(200, { items: await reg.listOperators() }),
    },
    {
      method: 'GET',
      path: '/operators/{operatorId}',
      operationId: 'getOperator',
      summary: 'Read an operator',
      tag: 'Operators',
      params: operatorId,
      responses: { 200: { description: 'The operator', schema: schemaRef('Operator') } },
      handler: async (r) => json(200, await reg.getOperator(r.params['operatorId'] as string)),
    },
    {
      method: 'PATCH',
      path: '/operators/{operatorId}',
      operationId: 'updateOperator',
      summary: "Record changes to an operator's details (AR 2)",
      tag: 'Operators',
      params: operatorId,
      body: operatorInput,
      responses: { 200: { description: 'The operator', schema: schemaRef('Operator') } },
      handler: async (r) => json(200, await reg.updateOperator(r.params['operatorId'] as string, r.body, r.principal)),
    },
    {
      method: 'POST',
      path: '/operators/{operatorId}/api-keys',
      operationId: 'issueOperatorApiKey',
      summary: 'Issue an operator API key (AR 4); the token is shown once',
      tag: 'Operators',
      params: operatorId,
      body: {
        type: 'object',
        additionalProperties: false,
        properties: {
          label: { type: 'string', maxLength: 200 },
          allowedCidrs: { type: 'array', maxItems: 50, items: { type: 'string' } },
          clientCertSha256: { type: 'string', description: 'SHA-256 fingerprint of the client certificate the key is bound to' },
        },
      },
      responses: { 201: { description: 'Issued', schema: { type: 'object', properties: { key: apiKey, token: { type: 'string' } } } } },
      handler: async (r) => json(201, await reg.issueOperatorApiKey(r.params['operatorId'] as string, r.body, r.principal)),
    },
    {
      method: 'GET',
      path: '/operators/{operatorId}/api-keys',
      operationId: 'listOperatorApiKeys',
      summary: "List an operator's API keys (never the secrets)",
      tag: 'Operators',
      params: operatorId,
      responses: { 200: { description: 'Keys', schema: { type: 'object', properties: { items: { type: 'array', items: apiKey } } } } },
      handler: async (r) => json(200, { items: await reg.listOperatorApiKeys(r.params['operatorId'] as string) }),
    },
    {
      method: 'POST',
      path: '/operators/{operatorId}/api-keys/{keyId}/revoke',
      operationId: 'revokeOperatorApiKey',
      summary: 'Revoke one operator API key (the others keep working)',
      tag: 'Operators',
      params: { ...operatorId, keyId: idParam('ok') },
      responses: { 200: { description: 'Revoked', schema: apiKey } },
      handler: async (r) => json(200, await reg.revokeOperatorApiKey(r.params['operatorId'] as string, r.params['keyId'] as string, r.principal)),
    },
    {
      method: 'POST',
      path: '/operators/{operatorId}/payments',
      operationId: 'recordPayment',
      summary: 'Record a payment received from the operator (SPEC §9)',
      tag: 'Fees',
      params: operatorId,
      body: {
        type: 'object',
        required: ['amount', 'receivedOn'],
        additionalProperties: false,
        properties: {
          // The ledger stores amounts as 32-bit integers (payments.amount is `integer`): larger ones cannot be stored on PostgreSQL.
          amount: { type: 'integer', minimum: 1, maximum: 2147483647, description: 'Whole units of the fee currency' },
          receivedOn: { type: 'string', format: 'date' },
          reference: { type: 'string', maxLength: 200 },
        },
      },
      responses: { 201: { description: 'Recorded', schema: { type: 'object' } } },
      handler: async (r) => json(201, await reg.recordPayment(r.params['operatorId'] as string, r.body, r.principal)),
    },
    {
      method: 'GET',
      path: '/operators/{operatorId}/statements/{month}',
      operationId: 'getOperatorStatement',
      summary: "An operator's monthly statement (JSON, or CSV with ?format=csv)",
      tag: 'Fees',
      params: { ...operatorId, month: monthParam },
      query: { format: { type: 'string', enum: ['json', 'csv'] } },
      responses: { 200: { description: 'The statement', schema: schemaRef('Statement'), content: { 'text/csv': { type: 'string' } } } },
      handler: async (r) => {
        const s = await reg.statement(r.params['operatorId'] as string, r.params['month'] as string);
        return r.query['format'] === 'csv' ? { status: 200, body: statementCsv(s), contentType: 'text/csv; charset=utf-8' } : json(200, s);
      },
    },
  ];
}
