import { createHash } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { ShomeiError } from '../core/errors.js';
import { apiProblem } from './problem.js';
import { fastifyPath } from './openapi.js';
import type { ApiRoute, JsonSchema } from './route.js';

export interface CallerInfo {
  token: string | undefined;
  remoteAddress: string;
  /** SHA-256 (hex) of the DER client certificate presented on the TLS connection, if any. */
  clientCertSha256: string | null;
}

export interface ApiServerOptions<P> {
  prefix: string;
  routes: readonly ApiRoute<P>[];
  logger: Logger;
  https: { key: string; cert: string };
  maxBodyBytes: number;
  /** Components the routes' schemas `$ref` (`#/components/schemas/<name>`); inlined for validation. */
  schemas: Record<string, JsonSchema>;
  authenticate(caller: CallerInfo, route: ApiRoute<P>): Promise<P>;
  /** Called after every authenticated call (audit trail). Failures are logged, never surfaced. */
  onCall?(principal: P, call: { method: string; route: string; url: string; status: number }): Promise<void>;
}

function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (typeof h !== 'string') return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m?.[1];
}

function clientCertSha256(req: FastifyRequest): string | null {
  const sock = req.raw.socket as TLSSocket;
  if (typeof sock.getPeerCertificate !== 'function') return null;
  const cert = sock.getPeerCertificate();
  return cert && cert.raw ? createHash('sha256').update(cert.raw).digest('hex') : null;
}

const REF = '#/components/schemas/';

/** Replace component `$ref`s by the schemas themselves (Fastify validates each route on its own). */
export function inlineRefs(schema: unknown, components: Record<string, JsonSchema>, depth = 0): unknown {
  if (depth > 32) throw new Error('schema nesting too deep (recursive $ref?)');
  if (Array.isArray(schema)) return schema.map((s) => inlineRefs(s, components, depth + 1));
  if (schema === null || typeof schema !== 'object') return schema;
  const obj = schema as Record<string, unknown>;
  const ref = obj['$ref'];
  if (typeof ref === 'string' && ref.startsWith(REF)) {
    const target = components[ref.slice(REF.length)];
    if (!target) throw new Error(`unknown schema ${ref}`);
    const { $ref: _ignored, ...rest } = obj;
    return inlineRefs({ ...target, ...rest }, components, depth + 1);
  }
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, inlineRefs(v, components, depth + 1)]));
}

function objectSchema(props: Record<string, JsonSchema> | undefined, required: boolean): JsonSchema | undefined {
  if (!props) return undefined;
  return { type: 'object', properties: props, required: required ? Object.keys(props) : [], additionalProperties: false };
}

/**
 * A JSON REST API over HTTPS from a route table. TLS asks for a client
 * certificate but does not require one: keys bound to a certificate check its
 * fingerprint. Errors are problem documents; a non-ShomeiError is a 500 whose
 * detail stays in the log.
 */
export async function buildApiServer<P>(o: ApiServerOptions<P>): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: o.logger.child({ api: o.prefix }),
    bodyLimit: o.maxBodyBytes,
    https: { key: o.https.key, cert: o.https.cert, requestCert: true, rejectUnauthorized: false },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
    return503OnClosing: true,
  } as Parameters<typeof Fastify>[0]) as unknown as FastifyInstance;

  // An empty body with a JSON content type (curl -X DELETE -H 'content-type: application/json') is no body.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text) as unknown);
    } catch {
      done(new ShomeiError('malformed', 'The body is not valid JSON'), undefined);
    }
  });

  app.setErrorHandler((err: Error & { validation?: unknown; statusCode?: number }, req, reply) => {
    let e: unknown = err;
    if (err.validation) e = new ShomeiError('malformed', err.message);
    else if (err.statusCode === 413) e = new ShomeiError('payloadTooLarge', 'Request body too large');
    else if (err.statusCode === 415) e = new ShomeiError('unsupportedMediaType', 'Send application/json');
    else if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) e = new ShomeiError('malformed', err.message);
    const p = apiProblem(e);
    if (p.status >= 500) req.log.error({ err }, 'API request failed');
    void reply.code(p.status).type('application/problem+json').send(p);
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).type('application/problem+json').send(apiProblem(new ShomeiError('notFound', `No route ${req.method} ${req.url.split('?')[0]}`)));
  });

  for (const route of o.routes) {
    const schema: Record<string, JsonSchema> = {};
    const params = objectSchema(route.params, true);
    const query = objectSchema(route.query, false);
    if (params) schema['params'] = params;
    if (query) schema['querystring'] = query;
    if (route.body) schema['body'] = inlineRefs(route.body, o.schemas) as JsonSchema;
    app.route({
      method: route.method,
      url: fastifyPath(o.prefix, route.path),
      schema,
      handler: async (req: FastifyRequest, reply: FastifyReply) => {
        const principal = route.auth === false
          ? (undefined as P)
          : await o.authenticate({ token: bearer(req), remoteAddress: req.ip, clientCertSha256: clientCertSha256(req) }, route);
        let status = 500;
        try {
          const out = await route.handler({
            principal,
            params: (req.params ?? {}) as Record<string, string>,
            query: (req.query ?? {}) as Record<string, unknown>,
            body: (req.body ?? {}) as Record<string, unknown>,
            headers: req.headers,
          });
          status = out.status;
          for (const [k, v] of Object.entries(out.headers ?? {})) void reply.header(k, v);
          void reply.code(out.status).type(out.contentType ?? 'application/json');
          return typeof out.body === 'string' ? out.body : JSON.stringify(out.body);
        } catch (e) {
          status = apiProblem(e).status;
          throw e;
        } finally {
          if (route.auth !== false && o.onCall) {
            await o.onCall(principal, { method: route.method, route: route.path, url: req.url, status }).catch((err: unknown) => req.log.error({ err }, 'call audit failed'));
          }
        }
      },
    });
  }
  return app;
}
