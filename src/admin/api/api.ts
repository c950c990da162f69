import { buildOpenApi } from '../../api-kit/openapi.js';
import type { ApiRoute } from '../../api-kit/route.js';
import { SCHEMAS } from '../../operator-api/schemas.js';
import type { AdminApiContext, AdminPrincipal } from './context.js';
import { adminOperatorRoutes } from './operator-routes.js';
import { adminOversightRoutes } from './oversight-routes.js';
import { adminMaintenanceRoutes } from './maintenance-routes.js';
import { adminRevocationJobRoutes } from './revocation-job-routes.js';
import { adminTerminationRoutes } from './termination-routes.js';
import { adminRecordsRoutes } from './records-routes.js';
import { adminGovernanceRoutes } from './governance-routes.js';
import { adminNotificationRoutes } from './notification-routes.js';

export const ADMIN_API_PREFIX = '/admin/v1';

export function adminApiRoutes(ctx: AdminApiContext, serverUrl: () => string): ApiRoute<AdminPrincipal>[] {
  const routes: ApiRoute<AdminPrincipal>[] = [...adminOperatorRoutes(ctx), ...adminOversightRoutes(ctx), ...adminRevocationJobRoutes(ctx), ...adminTerminationRoutes(ctx), ...adminMaintenanceRoutes(ctx), ...adminRecordsRoutes(ctx), ...adminGovernanceRoutes(ctx), ...adminNotificationRoutes(ctx)];
  routes.push({
    method: 'GET',
    path: '/openapi.json',
    operationId: 'getAdminOpenApi',
    summary: 'This document',
    tag: 'Meta',
    auth: false,
    responses: { 200: { description: 'OpenAPI 3.1 document', schema: { type: 'object' } } },
    handler: async () => ({ status: 200, body: adminOpenApi(routes, serverUrl()) }),
  });
  return routes;
}

export function adminOpenApi(routes: readonly ApiRoute<AdminPrincipal>[], serverUrl: string): Record<string, unknown> {
  return buildOpenApi(
    {
      title: 'Shomei admin API',
      version: '1.0.0',
      description: 'CA staff API: designate operators, issue and revoke their API keys, record payments, oversee subscribers, usage FQDNs and certificates, revoke certificates in bulk. Every change is audited with the staff member named by the admin token.',
      prefix: ADMIN_API_PREFIX,
      serverUrl,
      schemas: SCHEMAS,
      securityDescription: 'Admin token (`shomei admin-token create <name>`): `Authorization: Bearer at_….…`',
    },
    routes,
  );
}
