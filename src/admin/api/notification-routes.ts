import { json, type ApiRoute, type JsonSchema } from '../../api-kit/route.js';
import { getOutboxMessage, listOutboxMessages, MESSAGE_STATUSES, retryOutboxMessage } from '../../notify/admin.js';
import { cursorQuery, idParam, limitQuery } from '../../operator-api/schemas.js';
import { NOTIFICATION_KINDS } from '../../registry/notifications.js';
import type { AdminApiContext, AdminPrincipal } from './context.js';

type R = ApiRoute<AdminPrincipal>;
const str = (q: Record<string, unknown>, k: string) => (typeof q[k] === 'string' ? q[k] : undefined);
const lim = (q: Record<string, unknown>) => (typeof q['limit'] === 'number' ? q['limit'] : undefined);
const nullable = (s: JsonSchema): JsonSchema => ({ anyOf: [s, { type: 'null' }] });
const dateTime: JsonSchema = { type: 'string', format: 'date-time' };

const MESSAGE_PROPERTIES: Record<string, JsonSchema> = {
  id: { type: 'string' },
  eventId: { type: 'string' },
  kind: { type: 'string', enum: [...NOTIFICATION_KINDS] },
  recipient: { type: 'string', description: 'E-mail address' },
  recipientRole: { type: 'string', enum: ['operator', 'subscriber', 'ca'], description: 'operator: relays to its subscribers (AR 11); subscriber: direct notice (AR 18); ca: the CA reseller desk' },
  locale: { type: 'string', enum: ['ja', 'en'] },
  status: { type: 'string', enum: [...MESSAGE_STATUSES] },
  attempts: { type: 'integer', description: 'Delivery attempts made' },
  nextAttemptAt: { ...dateTime, description: 'When a pending message is next tried' },
  lastError: nullable({ type: 'string', description: 'SMTP answer or error of the last failed attempt' }),
  subject: nullable({ type: 'string', description: 'Subject as sent' }),
  smtpMessageId: nullable({ type: 'string' }),
  operatorId: nullable({ type: 'string', description: 'Operator the event is about (null: broadcast to every active operator)' }),
  subscriberId: nullable({ type: 'string' }),
  subjectType: { type: 'string' },
  subjectId: { type: 'string' },
  createdAt: dateTime,
  updatedAt: dateTime,
  sentAt: nullable(dateTime),
};

const MESSAGE_SCHEMA: JsonSchema = { type: 'object', required: ['id', 'kind', 'recipient', 'status', 'attempts'], properties: MESSAGE_PROPERTIES };

const DETAIL_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['id', 'kind', 'recipient', 'status', 'attempts', 'preview', 'previewError'],
  properties: {
    ...MESSAGE_PROPERTIES,
    preview: nullable({ type: 'object', required: ['subject', 'body'], properties: { subject: { type: 'string' }, body: { type: 'string' } }, description: 'The notice rendered now' }),
    previewError: nullable({ type: 'string' }),
  },
};

const messageId = { messageId: idParam('nm') };

/** SPEC §10: the notification outbox for CA staff — delivery state, dead letters, previews, retry. */
export function adminNotificationRoutes(ctx: AdminApiContext): R[] {
  const d = ctx.registry.deps;
  return [
    {
      method: 'GET',
      path: '/notifications',
      operationId: 'listNotificationMessages',
      summary: 'List outbox e-mails, newest first (filter by status, kind, operator)',
      tag: 'Notifications',
      query: { status: { type: 'string', enum: [...MESSAGE_STATUSES] }, kind: { type: 'string', enum: [...NOTIFICATION_KINDS] }, operatorId: idParam('op'), cursor: cursorQuery, limit: limitQuery },
      responses: {
        200: {
          description: 'A page of messages',
          schema: { type: 'object', required: ['items', 'next'], properties: { items: { type: 'array', items: MESSAGE_SCHEMA }, next: nullable({ type: 'string' }) } },
        },
      },
      handler: async (r) =>
        json(200, await listOutboxMessages(d, { status: str(r.query, 'status'), kind: str(r.query, 'kind'), operatorId: str(r.query, 'operatorId'), cursor: str(r.query, 'cursor'), limit: lim(r.query) })),
    },
    {
      method: 'GET',
      path: '/notifications/{messageId}',
      operationId: 'getNotificationMessage',
      summary: 'One outbox e-mail with its rendered subject and body',
      tag: 'Notifications',
      params: messageId,
      responses: { 200: { description: 'The message', schema: DETAIL_SCHEMA } },
      handler: async (r) => json(200, await getOutboxMessage(d, r.params['messageId'] as string)),
    },
    {
      method: 'POST',
      path: '/notifications/{messageId}/retry',
      operationId: 'retryNotificationMessage',
      summary: 'Queue a dead letter again (attempts reset, due now); other states are 409',
      tag: 'Notifications',
      params: messageId,
      responses: { 200: { description: 'The message, pending again', schema: MESSAGE_SCHEMA } },
      handler: async (r) => json(200, await retryOutboxMessage(d, r.params['messageId'] as string, r.principal)),
    },
  ];
}
