import { json, type ApiRoute } from '../../api-kit/route.js';
import type { OperatorPrincipal } from '../../registry/operator-keys.js';
import { cursorQuery, idParam, limitQuery, pageOf, schemaRef } from '../schemas.js';
import { limitOf, operatorActor, stringOf, type OperatorApiContext } from '../context.js';

type R = ApiRoute<OperatorPrincipal>;
const usageFqdnId = { usageFqdnId: idParam('fq') };

export function usageFqdnRoutes(ctx: OperatorApiContext): R[] {
  const reg = ctx.registry;
  return [
    {
      method: 'POST',
      path: '/usage-fqdns',
      operationId: 'applyForUsageFqdn',
      summary: 'Apply for a usage FQDN for a subscriber (SPEC §5.1)',
      description:
        'Screened at once: 201 with the new usage FQDN (status `applied`; it starts with the first certificate), or 422 with the reasons. Both decisions are recorded with the consent record and notified.',
      tag: 'Usage FQDNs',
      body: schemaRef('ApplicationInput'),
      responses: {
        201: { description: 'Accepted', schema: schemaRef('ApplicationDecision') },
        422: { description: 'Refused (problem document with `applicationId` and `reasons`)', content: { 'application/problem+json': schemaRef('Problem') } },
      },
      handler: async (r) => {
        const out = await reg.applyForUsageFqdn(r.principal.operator, r.body, operatorActor(r.principal));
        if (out.decision === 'accepted') return json(201, out);
        return {
          status: 422,
          contentType: 'application/problem+json',
          body: {
            type: 'urn:shomei:problem:applicationRefused',
            title: 'Application refused',
            status: 422,
            detail: `The application was refused: ${out.reasons.map((x) => x.detail).join('; ')}`,
            ...out,
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/usage-fqdns',
      operationId: 'listUsageFqdns',
      summary: 'List usage FQDNs the operator manages',
      tag: 'Usage FQDNs',
      query: { subscriberId: idParam('sub'), status: { type: 'string', enum: ['applied', 'active', 'ended'] }, cursor: cursorQuery, limit: limitQuery },
      responses: { 200: { description: 'A page of usage FQDNs', schema: pageOf('UsageFqdn') } },
      handler: async (r) =>
        json(
          200,
          await reg.listUsageFqdns(r.principal.operator.id, {
            subscriberId: stringOf(r.query, 'subscriberId'),
            status: stringOf(r.query, 'status'),
            cursor: stringOf(r.query, 'cursor'),
            limit: limitOf(r.query),
          }),
        ),
    },
    {
      method: 'GET',
      path: '/usage-fqdns/{usageFqdnId}',
      operationId: 'getUsageFqdn',
      summary: 'Read a usage FQDN: state, start and expiry dates, certificates issued for it',
      tag: 'Usage FQDNs',
      params: usageFqdnId,
      responses: { 200: { description: 'The usage FQDN', schema: schemaRef('UsageFqdn') } },
      handler: async (r) => json(200, await reg.getUsageFqdn(r.principal.operator.id, r.params['usageFqdnId'] as string)),
    },
    {
      method: 'PATCH',
      path: '/usage-fqdns/{usageFqdnId}',
      operationId: 'changeContinuationPeriod',
      summary: 'Change the continuation period (SPEC §5.3)',
      tag: 'Usage FQDNs',
      params: usageFqdnId,
      body: { type: 'object', required: ['continuationPeriod'], additionalProperties: false, properties: { continuationPeriod: { type: 'string', enum: ['1m', '1y'] } } },
      responses: { 200: { description: 'The usage FQDN', schema: schemaRef('UsageFqdn') } },
      handler: async (r) => json(200, await reg.changeContinuationPeriod(r.principal.operator.id, r.params['usageFqdnId'] as string, r.body, operatorActor(r.principal))),
    },
    {
      method: 'POST',
      path: '/usage-fqdns/{usageFqdnId}/termination-notice',
      operationId: 'fileTerminationNotice',
      summary: 'File a termination notice: usage ends at the expiry date (SPEC §5.3)',
      description: 'Set `unavoidable` when the managing operator files it on its own (e.g. its contract with the subscriber ended). A usage FQDN that has not started ends at once.',
      tag: 'Usage FQDNs',
      params: usageFqdnId,
      body: { type: 'object', additionalProperties: false, properties: { unavoidable: { type: 'boolean' }, note: { type: 'string', maxLength: 500 } } },
      responses: { 200: { description: 'The usage FQDN', schema: schemaRef('UsageFqdn') } },
      handler: async (r) => json(200, await reg.fileTerminationNotice(r.principal.operator.id, r.params['usageFqdnId'] as string, r.body, operatorActor(r.principal))),
    },
    {
      method: 'DELETE',
      path: '/usage-fqdns/{usageFqdnId}/termination-notice',
      operationId: 'withdrawTerminationNotice',
      summary: 'Withdraw the termination notice (until the expiry date)',
      tag: 'Usage FQDNs',
      params: usageFqdnId,
      responses: { 200: { description: 'The usage FQDN', schema: schemaRef('UsageFqdn') } },
      handler: async (r) => json(200, await reg.withdrawTerminationNotice(r.principal.operator.id, r.params['usageFqdnId'] as string, operatorActor(r.principal))),
    },
  ];
}
