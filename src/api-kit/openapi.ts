import { PROBLEM_SCHEMA } from './problem.js';
import { bodyIsOptional, type ApiRoute, type JsonSchema } from './route.js';

export interface OpenApiInfo {
  title: string;
  version: string;
  description: string;
  /** Path prefix of every route, e.g. `/operator/v1`. */
  prefix: string;
  serverUrl: string;
  schemas: Record<string, JsonSchema>;
  securityDescription: string;
}

const ERROR_RESPONSE = { description: 'Problem document (RFC 9457)', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };

/** The OpenAPI 3.1 document of an API, generated from its route table. */
export function buildOpenApi<P>(info: OpenApiInfo, routes: readonly ApiRoute<P>[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  // The server takes a left-out body as {} when every property is optional; say so (requestBody.required: false).
  const topLevel = (s: JsonSchema): JsonSchema => {
    const ref = s['$ref'];
    const target = typeof ref === 'string' && ref.startsWith('#/components/schemas/') ? info.schemas[ref.slice('#/components/schemas/'.length)] : undefined;
    return target ? { ...target, ...s } : s;
  };
  for (const r of routes) {
    const parameters = [
      ...Object.entries(r.params ?? {}).map(([name, schema]) => ({ name, in: 'path', required: true, schema })),
      ...Object.entries(r.query ?? {}).map(([name, schema]) => ({ name, in: 'query', required: false, schema })),
    ];
    const responses: Record<string, unknown> = {};
    for (const [status, spec] of Object.entries(r.responses)) {
      const content: Record<string, unknown> = {};
      if (spec.schema) content['application/json'] = { schema: spec.schema };
      for (const [type, schema] of Object.entries(spec.content ?? {})) content[type] = { schema };
      responses[status] = Object.keys(content).length > 0 ? { description: spec.description, content } : { description: spec.description };
    }
    if (r.auth !== false) responses['401'] = { ...ERROR_RESPONSE, description: 'Missing, unknown or revoked credentials' };
    responses['default'] = ERROR_RESPONSE;
    const op: Record<string, unknown> = {
      operationId: r.operationId,
      summary: r.summary,
      tags: [r.tag],
      ...(r.description ? { description: r.description } : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(r.body ? { requestBody: { required: !bodyIsOptional(topLevel(r.body)), content: { 'application/json': { schema: r.body } } } } : {}),
      responses,
      ...(r.auth === false ? { security: [] } : {}),
    };
    (paths[r.path] ??= {})[r.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: { title: info.title, version: info.version, description: info.description },
    servers: [{ url: `${info.serverUrl}${info.prefix}` }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: info.securityDescription } },
      schemas: { Problem: PROBLEM_SCHEMA, ...info.schemas },
    },
  };
}

/** Fastify path (`/a/:id`) of an OpenAPI path template (`/a/{id}`). */
export function fastifyPath(prefix: string, path: string): string {
  return prefix + path.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1');
}
