import { json, type ApiRoute } from '../../api-kit/route.js';
import { cursorQuery, idParam, limitQuery, pageOf, revocationBody, schemaRef } from '../../operator-api/schemas.js';
import type { AdminApiContext, AdminPrincipal } from './context.js';

type R = ApiRoute<AdminPrincipal>;
const str = (q: Record<string, unknown>, k: string) => (typeof q[k] === 'string' ? q[k] : undefined);
const lim = (q: Record<string, unknown>) => (typeof q['limit'] === 'number' ? q['limit'] : undefined);
const serial = { serial: { type: 'string', pattern: '^[0-9A-Fa-f:]{1,80}$' } };

/** CA staff see everything (optionally filtered by operator), revoke with reason 9 too, and handle compromised credentials. */
export function adminOversightRoutes(ctx: AdminApiContext): R[] {
  const reg = ctx.registry;
  return [
    {
      method: 'GET',
      path: '/subscribers',
      operationId: 'listAllSubscribers',
      summary: 'List subscribers (all operators, or one)',
      tag: 'Oversight',
      query: { operatorId: idParam('op'), cursor: cursorQuery, limit: limitQuery },
      responses: { 200: { description: 'A page of subscribers', schema: pageOf('Subscriber') } },
      handler: async (r) => json(200, await reg.listSubscribers(str(r.query, 'operatorId'), { cursor: str(r.query, 'cursor'), limit: lim(r.query) })),
    },
    {
      method: 'GET',
      path: '/usage-fqdns',
      operationId: 'listAllUsageFqdns',
      summary: 'List usage FQDNs',
      tag: 'Oversight',
      query: { operatorId: idParam('op'), subscriberId: idParam('sub'), status: { type: 'string', enum: ['applied', 'active', 'ended'] }, cursor: cursorQuery, limit: limitQuery },
      responses: { 200: { description: 'A page of usage FQDNs', schema: pageOf('UsageFqdn') } },
      handler: async (r) =>
        json(200, await reg.listUsageFqdns(str(r.query, 'operatorId'), { subscriberId: str(r.query, 'subscriberId'), status: str(r.query, 'status'), cursor: str(r.query, 'cursor'), limit: lim(r.query) })),
    },
    {
      method: 'GET',
      path: '/usage-fqdns/{usageFqdnId}',
      operationId: 'getAnyUsageFqdn',
      summary: 'Read a usage FQDN',
      tag: 'Oversight',
      params: { usageFqdnId: idParam('fq') },
      responses: { 200: { description: 'The usage FQDN', schema: schemaRef('UsageFqdn') } },
      handler: async (r) => json(200, await reg.getUsageFqdn(undefined, r.params['usageFqdnId'] as string)),
    },
    {
      method: 'GET',
      path: '/certificates',
      operationId: 'listAllCertificates',
      summary: "List subscribers' certificates",
      tag: 'Oversight',
      query: { operatorId: idParam('op'), subscriberId: idParam('sub'), usageFqdnId: idParam('fq'), cursor: cursorQuery, limit: limitQuery },
      responses: { 200: { description: 'A page of certificates', schema: pageOf('Certificate') } },
      handler: async (r) =>
        json(
          200,
          await reg.listCertificates(str(r.query, 'operatorId'), { subscriberId: str(r.query, 'subscriberId'), usageFqdnId: str(r.query, 'usageFqdnId'), cursor: str(r.query, 'cursor'), limit: lim(r.query) }),
        ),
    },
    {
      method: 'POST',
      path: '/certificates/{serial}/revoke',
      operationId: 'adminRevokeCertificate',
      summary: 'Revoke a certificate as the CA (reasons 0, 1, 3, 4, 5 and 9 privilegeWithdrawn)',
      tag: 'Oversight',
      params: serial,
      body: revocationBody,
      responses: { 200: { description: 'Revoked', schema: schemaRef('Certificate') } },
      handler: async (r) => json(200, await reg.revokeCertificate(undefined, r.params['serial'] as string, r.body, r.principal)),
    },
    {
      method: 'POST',
      path: '/credentials/{kid}/compromised',
      operationId: 'declareCredentialsCompromised',
      summary: 'ACME credentials leaked (SPEC §4): revoke them and deactivate every account bound with them',
      tag: 'Oversight',
      params: { kid: { type: 'string', pattern: '^kid-[A-Za-z0-9_-]+$', maxLength: 64 } },
      responses: { 200: { description: 'Done', schema: { type: 'object', properties: { credential: schemaRef('Credential'), deactivatedAccounts: { type: 'array', items: { type: 'string' } } } } } },
      handler: async (r) => json(200, await reg.declareCompromised(r.params['kid'] as string, r.principal)),
    },
    {
      method: 'GET',
      path: '/notification-events',
      operationId: 'listNotificationEvents',
      summary: 'Stored notification events (SPEC §10), newest last',
      tag: 'Oversight',
      query: { operatorId: idParam('op'), kind: { type: 'string', maxLength: 64 } },
      responses: { 200: { description: 'Events', schema: { type: 'object', properties: { items: { type: 'array', items: { type: 'object' } } } } } },
      handler: async (r) => {
        const f: { operatorId?: string; kind?: string } = {};
        const op = str(r.query, 'operatorId');
        const kind = str(r.query, 'kind');
        if (op !== undefined) f.operatorId = op;
        if (kind !== undefined) f.kind = kind;
        const rows = await ctx.sa.repos.listNotificationEvents(f);
        return json(200, { items: rows.map((e) => ({ id: e.id, kind: e.kind, operatorId: e.operator_id, subscriberId: e.subscriber_id, subjectType: e.subject_type, subjectId: e.subject_id, payload: JSON.parse(e.payload) as unknown, createdAt: e.created_at })) });
      },
    },
    {
      method: 'POST',
      path: '/jobs/{job}/run',
      operationId: 'runJob',
      summary: 'Run a scheduled job now (under its lease)',
      tag: 'Jobs',
      params: { job: { type: 'string', enum: ctx.jobs.jobNames } },
      responses: { 200: { description: 'Outcome', schema: { type: 'object' } } },
      handler: async (r) => json(200, await ctx.jobs.run(r.params['job'] as string)),
    },
  ];
}
