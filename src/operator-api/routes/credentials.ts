import { json, type ApiRoute } from '../../api-kit/route.js';
import type { OperatorPrincipal } from '../../registry/operator-keys.js';
import { idParam, schemaRef } from '../schemas.js';
import { operatorActor, type OperatorApiContext } from '../context.js';

type R = ApiRoute<OperatorPrincipal>;
const subscriberId = idParam('sub');
const kid = { type: 'string', pattern: '^kid-[A-Za-z0-9_-]+$', maxLength: 64 };

export function credentialRoutes(ctx: OperatorApiContext): R[] {
  const reg = ctx.registry;
  return [
    {
      method: 'POST',
      path: '/subscribers/{subscriberId}/credentials',
      operationId: 'issueCredentials',
      summary: 'Issue ACME credentials (EAB key id + HMAC key) for a subscriber (AT 5)',
      description: 'The HMAC key is in this response only; the CA stores it sealed and never shows it again.',
      tag: 'ACME credentials',
      params: { subscriberId },
      body: { type: 'object', additionalProperties: false, properties: { label: { type: 'string', maxLength: 200 } } },
      responses: { 201: { description: 'Issued', schema: schemaRef('IssuedCredential') } },
      handler: async (r) => {
        const out = await reg.issueCredentials(r.principal.operator.id, r.params['subscriberId'] as string, r.body, operatorActor(r.principal));
        return json(201, { credential: out.credential, kid: out.secret.kid, hmacKey: out.secret.hmacKey, directoryUrl: ctx.directoryUrl() });
      },
    },
    {
      method: 'GET',
      path: '/subscribers/{subscriberId}/credentials',
      operationId: 'listCredentials',
      summary: "List a subscriber's ACME credentials (never the keys)",
      tag: 'ACME credentials',
      params: { subscriberId },
      responses: { 200: { description: 'Credentials', schema: { type: 'object', properties: { items: { type: 'array', items: schemaRef('Credential') } } } } },
      handler: async (r) => json(200, { items: await reg.listCredentials(r.principal.operator.id, r.params['subscriberId'] as string) }),
    },
    {
      method: 'POST',
      path: '/subscribers/{subscriberId}/credentials/{kid}/revoke',
      operationId: 'revokeCredentials',
      summary: 'Revoke ACME credentials',
      description: 'No new ACME account can be bound with them. Accounts already bound keep working; report a leak to the CA, which can revoke the credentials and deactivate those accounts (SPEC §4).',
      tag: 'ACME credentials',
      params: { subscriberId, kid },
      responses: { 200: { description: 'Revoked', schema: schemaRef('Credential') } },
      handler: async (r) => json(200, await reg.revokeCredentials(r.principal.operator.id, r.params['subscriberId'], r.params['kid'] as string, operatorActor(r.principal))),
    },
  ];
}
