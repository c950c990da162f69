import { json, type ApiRoute } from '../../api-kit/route.js';
import type { OperatorPrincipal } from '../../registry/operator-keys.js';
import { cursorQuery, idParam, limitQuery, pageOf, schemaRef } from '../schemas.js';
import { limitOf, operatorActor, stringOf, type OperatorApiContext } from '../context.js';

type R = ApiRoute<OperatorPrincipal>;
const subscriberId = { subscriberId: idParam('sub') };

export function subscriberRoutes(ctx: OperatorApiContext): R[] {
  const reg = ctx.registry;
  return [
    {
      method: 'POST',
      path: '/subscribers',
      operationId: 'createSubscriber',
      summary: 'Register a subscriber (AT 4, AT 7)',
      tag: 'Subscribers',
      body: { ...schemaRef('SubscriberInput'), required: ['name', 'emails'] } as never,
      responses: { 201: { description: 'Created', schema: schemaRef('Subscriber') } },
      handler: async (r) => json(201, await reg.createSubscriber(r.principal.operator.id, r.body, operatorActor(r.principal))),
    },
    {
      method: 'GET',
      path: '/subscribers',
      operationId: 'listSubscribers',
      summary: "List the operator's subscribers",
      tag: 'Subscribers',
      query: { cursor: cursorQuery, limit: limitQuery },
      responses: { 200: { description: 'A page of subscribers', schema: pageOf('Subscriber') } },
      handler: async (r) => json(200, await reg.listSubscribers(r.principal.operator.id, { cursor: stringOf(r.query, 'cursor'), limit: limitOf(r.query) })),
    },
    {
      method: 'GET',
      path: '/subscribers/{subscriberId}',
      operationId: 'getSubscriber',
      summary: 'Read a subscriber',
      tag: 'Subscribers',
      params: subscriberId,
      responses: { 200: { description: 'The subscriber', schema: schemaRef('Subscriber') } },
      handler: async (r) => json(200, await reg.getSubscriber(r.principal.operator.id, r.params['subscriberId'] as string)),
    },
    {
      method: 'PATCH',
      path: '/subscribers/{subscriberId}',
      operationId: 'updateSubscriber',
      summary: "Update a subscriber's details (e-mail for notices, …)",
      tag: 'Subscribers',
      params: subscriberId,
      body: schemaRef('SubscriberInput'),
      responses: { 200: { description: 'The updated subscriber', schema: schemaRef('Subscriber') } },
      handler: async (r) => json(200, await reg.updateSubscriber(r.principal.operator.id, r.params['subscriberId'] as string, r.body, operatorActor(r.principal))),
    },
  ];
}
