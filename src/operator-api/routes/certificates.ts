import { json, type ApiRoute } from '../../api-kit/route.js';
import type { OperatorPrincipal } from '../../registry/operator-keys.js';
import { cursorQuery, idParam, limitQuery, pageOf, revocationBody, schemaRef } from '../schemas.js';
import { limitOf, operatorActor, stringOf, type OperatorApiContext } from '../context.js';

type R = ApiRoute<OperatorPrincipal>;
const serial = { serial: { type: 'string', pattern: '^[0-9A-Fa-f:]{1,80}$' } };

export function certificateRoutes(ctx: OperatorApiContext): R[] {
  const reg = ctx.registry;
  return [
    {
      method: 'GET',
      path: '/certificates',
      operationId: 'listCertificates',
      summary: "List certificates of the operator's subscribers",
      tag: 'Certificates',
      query: { subscriberId: idParam('sub'), usageFqdnId: idParam('fq'), cursor: cursorQuery, limit: limitQuery },
      responses: { 200: { description: 'A page of certificates', schema: pageOf('Certificate') } },
      handler: async (r) =>
        json(
          200,
          await reg.listCertificates(r.principal.operator.id, {
            subscriberId: stringOf(r.query, 'subscriberId'),
            usageFqdnId: stringOf(r.query, 'usageFqdnId'),
            cursor: stringOf(r.query, 'cursor'),
            limit: limitOf(r.query),
          }),
        ),
    },
    {
      method: 'GET',
      path: '/certificates/{serial}',
      operationId: 'getCertificate',
      summary: 'Fetch a certificate (JSON with PEM, or `Accept: application/pem-certificate-chain`)',
      tag: 'Certificates',
      params: serial,
      responses: { 200: { description: 'The certificate', schema: schemaRef('Certificate'), content: { 'application/pem-certificate-chain': { type: 'string' } } } },
      handler: async (r) => {
        const c = await reg.getCertificate(r.principal.operator.id, r.params['serial'] as string);
        const accept = String(r.headers['accept'] ?? '');
        if (accept.includes('application/pem-certificate-chain')) {
          return { status: 200, body: c.pem + (ctx.issuerChainPem?.() ?? ''), contentType: 'application/pem-certificate-chain' };
        }
        return json(200, c);
      },
    },
    {
      method: 'POST',
      path: '/certificates/{serial}/revoke',
      operationId: 'revokeCertificate',
      summary: 'Request revocation as the managing operator (SPEC §7: reasons 0, 1, 3, 4, 5)',
      tag: 'Certificates',
      params: serial,
      body: revocationBody,
      responses: { 200: { description: 'Revoked', schema: schemaRef('Certificate') } },
      handler: async (r) => json(200, await reg.revokeCertificate(r.principal.operator.id, r.params['serial'] as string, r.body, operatorActor(r.principal))),
    },
  ];
}
