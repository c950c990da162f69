import { ShomeiError } from '../core/errors.js';
import type { ApiRoute } from '../api-kit/route.js';
import { buildOpenApi } from '../api-kit/openapi.js';
import { PrincipalRefused } from '../api-kit/server.js';
import type { OperatorPrincipal } from '../registry/operator-keys.js';
import type { OperatorApiContext } from './context.js';
import { accountRoutes } from './routes/account.js';
import { certificateRoutes } from './routes/certificates.js';
import { credentialRoutes } from './routes/credentials.js';
import { subscriberRoutes } from './routes/subscribers.js';
import { usageFqdnRoutes } from './routes/usage-fqdns.js';
import { policyDocumentRoutes } from './routes/policy-documents.js';
import { reportRoutes } from './routes/report.js';
import { SCHEMAS } from './schemas.js';

export const OPERATOR_API_PREFIX = '/operator/v1';

/** Routes open to operators without the ACME-edition handling application (supplementary provision 3). */
const NOT_ACME_EDITION = new Set(['getOwnOperator', 'getStatement', 'getOpenApi', 'getOwnReport']);

export function operatorApiRoutes(ctx: OperatorApiContext, serverUrl: () => string): ApiRoute<OperatorPrincipal>[] {
  const routes: ApiRoute<OperatorPrincipal>[] = [
    ...accountRoutes(ctx),
    ...subscriberRoutes(ctx),
    ...credentialRoutes(ctx),
    ...usageFqdnRoutes(ctx),
    ...certificateRoutes(ctx),
    ...policyDocumentRoutes(ctx),
    ...reportRoutes(ctx),
  ];
  routes.push({
    method: 'GET',
    path: '/openapi.json',
    operationId: 'getOpenApi',
    summary: 'This document',
    tag: 'Operator',
    auth: false,
    responses: { 200: { description: 'OpenAPI 3.1 document', schema: { type: 'object' } } },
    handler: async () => ({ status: 200, body: operatorOpenApi(routes, serverUrl()) }),
  });
  return routes;
}

export function operatorOpenApi(routes: readonly ApiRoute<OperatorPrincipal>[], serverUrl: string): Record<string, unknown> {
  return buildOpenApi(
    {
      title: 'Shomei operator API',
      version: '1.0.0',
      description:
        'REST API for designated operators (resellers): subscribers, ACME credentials, usage FQDNs, certificates and fee statements (SPEC §3–§5, §7, §9). Errors are RFC 9457 problem documents. Records of other operators answer 404.',
      prefix: OPERATOR_API_PREFIX,
      serverUrl,
      schemas: SCHEMAS,
      securityDescription: 'Operator API key issued by the CA: `Authorization: Bearer ok_….…`',
    },
    routes,
  );
}

/** AR 4 + supplementary provision 3: authenticate the key, then require the ACME-edition flag for ACME-edition routes. */
export function operatorAuthenticator(ctx: OperatorApiContext) {
  return async (caller: { token: string | undefined; remoteAddress: string; clientCertSha256: string | null }, route: ApiRoute<OperatorPrincipal>) => {
    const p = await ctx.registry.authenticateOperator(caller);
    if (!NOT_ACME_EDITION.has(route.operationId) && p.operator.acme_handling !== 1) {
      // Authenticated but refused: answered 403, and still audited under the key.
      throw new PrincipalRefused(p, new ShomeiError('forbidden', 'This operator has not filed the ACME-edition handling application; ACME-edition business is not available'));
    }
    return p;
  };
}
