import { json, type ApiRoute, type JsonSchema } from '../../api-kit/route.js';
import { idParam } from '../../operator-api/schemas.js';
import { CURRENT_POLICY_DOCUMENTS_SCHEMA, POLICY_DOCUMENT_KINDS_ENUM as KINDS, POLICY_DOCUMENT_SCHEMA } from '../../operator-api/routes/policy-documents.js';
import type { AdminApiContext, AdminPrincipal } from './context.js';

type R = ApiRoute<AdminPrincipal>;
const str = (q: Record<string, unknown>, k: string) => (typeof q[k] === 'string' ? q[k] : undefined);

const dateTime: JsonSchema = { type: 'string', format: 'date-time', maxLength: 40 };
const nullableDateTime: JsonSchema = { anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }] };
const reason: JsonSchema = { type: 'string', minLength: 1, maxLength: 500 };

/** A maintenance window or emergency stop (AT 18). */
export const MAINTENANCE_WINDOW_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['id', 'kind', 'reason', 'startsAt', 'endsAt', 'state'],
  properties: {
    id: { type: 'string' },
    kind: { type: 'string', enum: ['planned', 'emergency'] },
    reason: { type: 'string' },
    startsAt: { type: 'string', format: 'date-time' },
    endsAt: { ...nullableDateTime, description: 'Planned end; null = an emergency stop until resumed' },
    cancelledAt: nullableDateTime,
    endedAt: { ...nullableDateTime, description: 'Ended early (or resumed)' },
    state: { type: 'string', enum: ['scheduled', 'running', 'finished', 'cancelled'] },
    createdBy: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
  },
};

const windowList: JsonSchema = { type: 'object', required: ['items'], properties: { items: { type: 'array', items: MAINTENANCE_WINDOW_SCHEMA } } };
const windowId = { windowId: idParam('mw') };

/** AT 18 maintenance windows and emergency stops, AT 21 policy document versions, the per-subscriber consent record. */
export function adminMaintenanceRoutes(ctx: AdminApiContext): R[] {
  const reg = ctx.registry;
  return [
    {
      method: 'POST',
      path: '/maintenance-windows',
      operationId: 'scheduleMaintenanceWindow',
      summary: 'Schedule a maintenance window and announce it to every active operator (AT 18)',
      description: 'startsAt must lie in the future and endsAt after it. While the window runs, every ACME request is answered 503 with Retry-After; the operator and admin APIs and CRLs keep serving.',
      tag: 'Maintenance',
      body: { type: 'object', required: ['reason', 'startsAt', 'endsAt'], additionalProperties: false, properties: { reason, startsAt: dateTime, endsAt: dateTime } },
      responses: { 201: { description: 'Scheduled and announced', schema: MAINTENANCE_WINDOW_SCHEMA } },
      handler: async (r) => json(201, await reg.scheduleMaintenance(r.body, r.principal)),
    },
    {
      method: 'GET',
      path: '/maintenance-windows',
      operationId: 'listMaintenanceWindows',
      summary: 'List maintenance windows and emergency stops, oldest start first',
      tag: 'Maintenance',
      query: { state: { type: 'string', enum: ['scheduled', 'running', 'finished', 'cancelled'] } },
      responses: { 200: { description: 'Windows', schema: windowList } },
      handler: async (r) => json(200, { items: await reg.listMaintenance({ state: str(r.query, 'state') }) }),
    },
    {
      method: 'GET',
      path: '/maintenance-windows/{windowId}',
      operationId: 'getMaintenanceWindow',
      summary: 'Read a maintenance window',
      tag: 'Maintenance',
      params: windowId,
      responses: { 200: { description: 'The window', schema: MAINTENANCE_WINDOW_SCHEMA } },
      handler: async (r) => json(200, await reg.getMaintenance(r.params['windowId'] as string)),
    },
    {
      method: 'POST',
      path: '/maintenance-windows/{windowId}/cancel',
      operationId: 'cancelMaintenanceWindow',
      summary: 'Cancel a window that has not started; operators are told',
      tag: 'Maintenance',
      params: windowId,
      responses: { 200: { description: 'Cancelled', schema: MAINTENANCE_WINDOW_SCHEMA } },
      handler: async (r) => json(200, await reg.cancelMaintenance(r.params['windowId'] as string, r.principal)),
    },
    {
      method: 'POST',
      path: '/maintenance-windows/{windowId}/end',
      operationId: 'endMaintenanceWindow',
      summary: 'End a running window now (ACME answers again)',
      tag: 'Maintenance',
      params: windowId,
      responses: { 200: { description: 'Ended', schema: MAINTENANCE_WINDOW_SCHEMA } },
      handler: async (r) => json(200, await reg.endMaintenance(r.params['windowId'] as string, r.principal)),
    },
    {
      method: 'POST',
      path: '/emergency-stop',
      operationId: 'emergencyStop',
      summary: 'Stop the ACME service now, without notice (AT 18 proviso: system failure, force majeure)',
      tag: 'Maintenance',
      body: { type: 'object', required: ['reason'], additionalProperties: false, properties: { reason, endsAt: { ...dateTime, description: 'Expected end; left out = until resumed' } } },
      responses: { 201: { description: 'Stopped', schema: MAINTENANCE_WINDOW_SCHEMA } },
      handler: async (r) => json(201, await reg.emergencyStop(r.body, r.principal)),
    },
    {
      method: 'POST',
      path: '/emergency-stop/resume',
      operationId: 'resumeService',
      summary: 'End the emergency stop in force',
      tag: 'Maintenance',
      responses: { 200: { description: 'The stops ended', schema: windowList } },
      handler: async (r) => json(200, { items: await reg.resumeService(r.principal) }),
    },
    {
      method: 'POST',
      path: '/policy-documents',
      operationId: 'publishPolicyDocument',
      summary: 'Publish a version of the terms, the CP/CPS or the CT-disclosure document (AT 21)',
      description: 'effectiveAt defaults to now; a later time announces a change. Every active operator is notified. The current terms URL becomes the ACME directory termsOfService.',
      tag: 'Policy documents',
      body: {
        type: 'object',
        required: ['kind', 'version', 'url'],
        additionalProperties: false,
        properties: {
          kind: { type: 'string', enum: KINDS },
          version: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9._:+-]*$' },
          url: { type: 'string', minLength: 1, maxLength: 2048 },
          sha256: { type: 'string', pattern: '^[0-9A-Fa-f]{64}$' },
          effectiveAt: dateTime,
        },
      },
      responses: { 201: { description: 'Published', schema: POLICY_DOCUMENT_SCHEMA } },
      handler: async (r) => json(201, await reg.publishPolicyDocument(r.body, r.principal)),
    },
    {
      method: 'GET',
      path: '/policy-documents',
      operationId: 'listPolicyDocuments',
      summary: 'List every published version',
      tag: 'Policy documents',
      query: { kind: { type: 'string', enum: KINDS } },
      responses: { 200: { description: 'Versions', schema: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: POLICY_DOCUMENT_SCHEMA } } } } },
      handler: async (r) => json(200, { items: await reg.listPolicyDocuments({ kind: str(r.query, 'kind') }) }),
    },
    {
      method: 'GET',
      path: '/policy-documents/current',
      operationId: 'getCurrentPolicyDocuments',
      summary: 'The documents in force now and the announced versions',
      tag: 'Policy documents',
      responses: { 200: { description: 'Current documents', schema: CURRENT_POLICY_DOCUMENTS_SCHEMA } },
      handler: async () => json(200, await reg.currentPolicyDocuments()),
    },
    {
      method: 'GET',
      path: '/subscribers/{subscriberId}/consents',
      operationId: 'listSubscriberConsents',
      summary: 'The versions a subscriber agreed to, when and how (AR 10, AT 21), oldest first',
      tag: 'Oversight',
      params: { subscriberId: idParam('sub') },
      responses: {
        200: {
          description: 'Consent records',
          schema: {
            type: 'object',
            required: ['items'],
            properties: {
              items: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    id: { type: 'string' },
                    operatorId: { type: 'string' },
                    termsVersion: { type: 'string' },
                    cpsVersion: { type: 'string' },
                    ctDisclosureVersion: { type: 'string' },
                    agreedAt: { type: 'string', format: 'date-time' },
                    confirmationMethod: { type: 'string' },
                    confirmationReference: { anyOf: [{ type: 'string' }, { type: 'null' }] },
                    recordedAt: { type: 'string', format: 'date-time' },
                  },
                },
              },
            },
          },
        },
      },
      handler: async (r) => json(200, await reg.listSubscriberConsents(undefined, r.params['subscriberId'] as string)),
    },
  ];
}
