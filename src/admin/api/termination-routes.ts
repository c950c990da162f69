import { json, type ApiRoute, type JsonSchema } from '../../api-kit/route.js';
import { idParam } from '../../operator-api/schemas.js';
import type { AdminApiContext, AdminPrincipal } from './context.js';

type R = ApiRoute<AdminPrincipal>;
const operatorId = { operatorId: idParam('op') };
const nullableStr: JsonSchema = { anyOf: [{ type: 'string' }, { type: 'null' }] };

const transferSummary: JsonSchema = {
  type: 'object',
  properties: {
    transferredTo: { type: 'string' },
    transferredToName: { type: 'string' },
    fellBackToCaDesk: { type: 'boolean' },
    usageFqdns: { type: 'integer' },
    subscribers: { type: 'integer' },
    certificates: { type: 'integer' },
  },
};

const termination: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    operatorId: { type: 'string' },
    operatorName: { type: 'string' },
    effectiveAt: { type: 'string', format: 'date-time', description: "The operator's access ends at this instant; the transfer follows" },
    effectiveDate: { type: 'string', format: 'date', description: 'Local date (CA time zone) of effectiveAt' },
    reason: { type: 'string' },
    successorOperatorId: { ...nullableStr, description: "Null: the CA's own reseller desk takes over (AT 7)" },
    handoverTo: { anyOf: [{ type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } }, { type: 'null' }] },
    status: { type: 'string', enum: ['scheduled', 'effective'] },
    transferredAt: nullableStr,
    transferredTo: nullableStr,
    transferSummary: { anyOf: [transferSummary, { type: 'null' }] },
    createdBy: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
  },
};

const demand: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    operatorId: { type: 'string' },
    terminationId: nullableStr,
    demandedAt: { type: 'string', format: 'date-time' },
    deadline: { type: 'string', format: 'date' },
    items: { type: 'array', items: { type: 'string' } },
    status: { type: 'string', enum: ['open', 'fulfilled', 'lapsed'] },
    fulfilledAt: nullableStr,
    createdBy: { type: 'string' },
  },
};

/** AR 19 / AT 7: contract termination, hand-over demands and the hand-over package (docs/handover.md). */
export function adminTerminationRoutes(ctx: AdminApiContext): R[] {
  const reg = ctx.registry;
  return [
    {
      method: 'POST',
      path: '/operators/{operatorId}/termination',
      operationId: 'terminateOperator',
      summary: "Terminate an operator's contract (AR 19); its live usage FQDNs, subscribers and certificates pass to the successor or the CA desk (AT 7) at the effective instant",
      tag: 'Termination',
      params: operatorId,
      body: {
        type: 'object',
        required: ['effectiveAt', 'reason'],
        additionalProperties: false,
        properties: {
          effectiveAt: {
            type: 'string',
            maxLength: 40,
            description: 'A date YYYY-MM-DD (the start of that day in the CA time zone) or an instant with its zone (2027-01-01T00:00:00+09:00); today or later',
          },
          reason: { type: 'string', minLength: 1, maxLength: 1000 },
          successorOperatorId: { ...idParam('op'), description: "Another active operator with the ACME-edition handling application; default: the CA's own reseller desk" },
        },
      },
      responses: { 201: { description: 'Scheduled', schema: termination } },
      handler: async (r) => json(201, await reg.terminateOperator(r.params['operatorId'] as string, r.body, r.principal)),
    },
    {
      method: 'GET',
      path: '/operators/{operatorId}/termination',
      operationId: 'getOperatorTermination',
      summary: "The operator's contract termination and what was transferred",
      tag: 'Termination',
      params: operatorId,
      responses: { 200: { description: 'The termination', schema: termination } },
      handler: async (r) => json(200, await reg.getTermination(r.params['operatorId'] as string)),
    },
    {
      method: 'POST',
      path: '/operators/{operatorId}/handover-demands',
      operationId: 'createHandoverDemand',
      summary: 'Demand the information needed to take over the brokering (AR 19), with a deadline at least governance.handoverMinDays (10) days ahead',
      tag: 'Termination',
      params: operatorId,
      body: {
        type: 'object',
        required: ['deadline'],
        additionalProperties: false,
        properties: {
          deadline: { type: 'string', format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'Local date (CA time zone)' },
          items: { type: 'array', minItems: 1, maxItems: 30, items: { type: 'string', minLength: 1, maxLength: 500 }, description: 'Default: the standard list' },
        },
      },
      responses: { 201: { description: 'Recorded and notified', schema: demand } },
      handler: async (r) => json(201, await reg.createHandoverDemand(r.params['operatorId'] as string, r.body, r.principal)),
    },
    {
      method: 'GET',
      path: '/operators/{operatorId}/handover-demands',
      operationId: 'listHandoverDemands',
      summary: "The operator's hand-over demands, oldest first",
      tag: 'Termination',
      params: operatorId,
      responses: { 200: { description: 'Demands', schema: { type: 'object', properties: { items: { type: 'array', items: demand } } } } },
      handler: async (r) => json(200, { items: await reg.listHandoverDemands(r.params['operatorId'] as string) }),
    },
    {
      method: 'POST',
      path: '/operators/{operatorId}/handover-demands/{demandId}/fulfilled',
      operationId: 'markHandoverDemandFulfilled',
      summary: 'Record that the operator handed the information over',
      tag: 'Termination',
      params: { ...operatorId, demandId: idParam('hod') },
      responses: { 200: { description: 'Fulfilled', schema: demand } },
      handler: async (r) => json(200, await reg.markHandoverDemandFulfilled(r.params['operatorId'] as string, r.params['demandId'] as string, r.principal)),
    },
    {
      method: 'GET',
      path: '/operators/{operatorId}/handover-package',
      operationId: 'getHandoverPackage',
      summary: "The operator's hand-over package (AR 19, AR 10): subscribers, usage FQDNs, certificates, consent records and open notices as JSON and CSV, with manifest.json and SHA256SUMS, in a .tar.gz; the export is audited",
      tag: 'Termination',
      params: operatorId,
      responses: { 200: { description: 'gzip-compressed ustar archive', content: { 'application/gzip': { type: 'string', contentMediaType: 'application/gzip' } } } },
      handler: async (r) => {
        const p = await reg.buildHandoverPackage(r.params['operatorId'] as string, r.principal);
        return {
          status: 200,
          body: p.archive,
          contentType: 'application/gzip',
          headers: { 'content-disposition': `attachment; filename="${p.filename}"`, 'x-shomei-manifest-sha256': p.manifestSha256, 'cache-control': 'no-store' },
        };
      },
    },
  ];
}
