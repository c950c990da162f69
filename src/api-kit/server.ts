import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { TLSSocket } from 'node:tls';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { isShomeiError, ShomeiError } from '../core/errors.js';
import { isTransientDatabaseError } from '../sa/index.js';
import { apiProblem } from './problem.js';
import { fastifyPath } from './openapi.js';
import { bodyIsOptional, type ApiRoute, type JsonSchema } from './route.js';

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
  /**
   * Called for every authenticated call, once its status is known and before
   * the response goes out (audit trail) — also when the call then fails
   * validation, is refused (see {@link PrincipalRefused}) or errs. Failures
   * are logged, never surfaced.
   */
  onCall?(principal: P, call: { method: string; route: string; url: string; status: number }): Promise<void>;
}

/**
 * Thrown by `authenticate` when the caller is authenticated but may not use
 * the route (e.g. 403): the call is answered with `refusal` and still audited
 * under `principal`.
 */
export class PrincipalRefused<P> extends Error {
  constructor(
    readonly principal: P,
    readonly refusal: ShomeiError,
  ) {
    super(refusal.message);
    this.name = 'PrincipalRefused';
  }
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

/** Method and URL of every route an API server registered (drift checks against its OpenAPI document). */
export interface RegisteredRoute {
  method: string;
  url: string;
}

const registered = new WeakMap<FastifyInstance, RegisteredRoute[]>();

/** The routes `buildApiServer` registered on `app` — Fastify's own view, HEAD companions of GET routes included. */
export function registeredRoutes(app: FastifyInstance): readonly RegisteredRoute[] {
  return registered.get(app) ?? [];
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

interface AjvError {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** A validation failure in words a client can act on (the unknown property is named, the location given). */
export function validationDetail(errors: readonly AjvError[], context: string | undefined): string {
  const where = (e: AjvError) => `${context ?? 'request'}${e.instancePath ?? ''}`;
  return errors
    .map((e) => {
      if (e.keyword === 'additionalProperties') return `${where(e)} has an unknown property "${String(e.params?.['additionalProperty'])}"`;
      return `${where(e)} ${e.message ?? 'is invalid'}`;
    })
    .join('; ');
}

/** U+0000 or an unpaired UTF-16 surrogate: text no database column can store as sent (PostgreSQL refuses NUL outright). */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Where in `v` (a parsed body, query or params) a string or key holds unstorable text; undefined when nowhere. */
export function unstorableTextAt(v: unknown, path: string, depth = 0): string | undefined {
  if (typeof v === 'string') return UNSTORABLE.test(v) ? path : undefined;
  if (v === null || typeof v !== 'object' || depth > 64) return undefined;
  for (const [k, x] of Object.entries(v)) {
    const at = `${path}/${k}`;
    if (UNSTORABLE.test(k)) return at;
    const found = unstorableTextAt(x, at, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

type ValidatorFactory = (route: { schema: unknown; method: string; url: string; httpPart?: string }) => unknown;
type ValidatorBuilder = (externalSchemas: unknown, ajvOptions: { customOptions?: Record<string, unknown> } & Record<string, unknown>) => ValidatorFactory;

/**
 * Fastify's own Ajv compiler (resolved from Fastify's install, whose
 * dependency it is), used twice: path and query parameters arrive as strings
 * and are coerced to their schema types (`?limit=2`), JSON bodies are not — a
 * body must have the types the schema says (`"emails": "a@b.test"`,
 * `"amount": "100"` or `"reason": null` are 400s, not silently converted).
 */
function validatorBuilder(): ValidatorBuilder {
  const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));
  const pool = (fromFastify('@fastify/ajv-compiler') as () => ValidatorBuilder)();
  return (external, ajvOptions) => {
    const custom = ajvOptions.customOptions ?? {};
    const coercing = pool(external, { ...ajvOptions, customOptions: { ...custom, coerceTypes: 'array' } });
    const strict = pool(external, { ...ajvOptions, customOptions: { ...custom, coerceTypes: false } });
    return (route) => (route.httpPart === 'body' ? strict(route) : coercing(route));
  };
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
  const problem = (reply: FastifyReply, e: unknown) => {
    const p = apiProblem(e);
    // RFC 9110 §11.6.1 / RFC 6750 §3: a 401 names the scheme to use.
    if (p.status === 401) void reply.header('www-authenticate', `Bearer realm="${o.prefix}"`);
    if (isShomeiError(e) && e.retryAfter !== undefined) void reply.header('retry-after', String(e.retryAfter));
    void reply.code(p.status).type('application/problem+json').send(p);
  };
  const app = Fastify({
    loggerInstance: o.logger.child({ api: o.prefix }),
    bodyLimit: o.maxBodyBytes,
    https: { key: o.https.key, cert: o.https.cert, requestCert: true, rejectUnauthorized: false },
    ajv: { customOptions: { removeAdditional: false, allErrors: false } },
    schemaController: { compilersFactory: { buildValidator: validatorBuilder() } },
    return503OnClosing: true,
    // Malformed percent-encoding or an over-long path parameter: a problem document, not Fastify's own JSON.
    frameworkErrors: (err: Error & { code?: string }, _req: FastifyRequest, reply: FastifyReply) => {
      problem(reply, new ShomeiError('malformed', err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'A path parameter is too long' : 'The request path is not a valid URL path'));
    },
  } as Parameters<typeof Fastify>[0]) as unknown as FastifyInstance;

  const routeList: RegisteredRoute[] = [];
  registered.set(app, routeList);
  app.addHook('onRoute', (r) => {
    for (const method of Array.isArray(r.method) ? r.method : [r.method]) routeList.push({ method: String(method), url: r.url });
  });

  // JSON only: without this, Fastify would parse text/plain bodies as strings (a 400 instead of 415).
  app.removeContentTypeParser('text/plain');

  // An empty body with a JSON content type (curl -X DELETE -H 'content-type: application/json') is no body;
  // anything else goes through Fastify's own parser (prototype-poisoning keys refused), and invalid JSON is a 400 problem.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    parseJson(req, text, (err: Error | null, value: unknown) => {
      if (!err) return done(null, value);
      let poisoned = false;
      try {
        JSON.parse(text);
        poisoned = true;
      } catch {
        /* plain invalid JSON */
      }
      done(new ShomeiError('malformed', poisoned ? 'The body may not use "__proto__" or "constructor.prototype" keys' : 'The body is not valid JSON'), undefined);
    });
  });

  app.setErrorHandler((err: Error & { validation?: AjvError[]; validationContext?: string; statusCode?: number }, req, reply) => {
    let e: unknown = err;
    if (err.validation) e = new ShomeiError('malformed', validationDetail(err.validation, err.validationContext));
    else if (err.statusCode === 413) e = new ShomeiError('payloadTooLarge', `Request body too large (at most ${req.routeOptions.bodyLimit ?? o.maxBodyBytes} bytes)`);
    else if (err.statusCode === 415) e = new ShomeiError('unsupportedMediaType', 'Send application/json');
    else if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) e = new ShomeiError('malformed', err.message);
    else if (isTransientDatabaseError(err) || isTransientDatabaseError((err as { cause?: unknown }).cause)) {
      // As the ACME front end does: lock contention or a restarting database is "retry shortly", not a 500.
      req.log.warn({ err, url: req.url }, 'database temporarily unavailable');
      e = new ShomeiError('unavailable', 'The service is temporarily unavailable; please retry', { retryAfter: 1 });
    }
    const p = apiProblem(e);
    if (p.status >= 500) req.log.error({ err }, 'API request failed');
    problem(reply, e);
  });
  app.setNotFoundHandler((req, reply) => {
    problem(reply, new ShomeiError('notFound', `No route ${req.method} ${req.url.split('?')[0]}`));
  });

  // Text the database cannot store is refused up front (a 400, not a driver error turned 500).
  app.addHook('preValidation', async (req) => {
    const at = unstorableTextAt(req.params, 'params') ?? unstorableTextAt(req.query, 'querystring') ?? unstorableTextAt(req.body, 'body');
    if (at !== undefined) throw new ShomeiError('malformed', `${at} contains a NUL character or an unpaired UTF-16 surrogate`);
  });

  // Who called which route: set by the route's onRequest hook once authenticated, read when the status is known.
  const calls = new WeakMap<FastifyRequest, { principal: P; route: string }>();
  if (o.onCall) {
    const onCall = o.onCall;
    app.addHook('onSend', async (req, reply, payload) => {
      const call = calls.get(req);
      if (call) {
        calls.delete(req);
        await onCall(call.principal, { method: req.method, route: call.route, url: req.url, status: reply.statusCode }).catch((err: unknown) => req.log.error({ err }, 'call audit failed'));
      }
      return payload;
    });
  }

  for (const route of o.routes) {
    const schema: Record<string, JsonSchema> = {};
    const params = objectSchema(route.params, true);
    const query = objectSchema(route.query, false);
    if (params) schema['params'] = params;
    if (query) schema['querystring'] = query;
    const body = route.body ? (inlineRefs(route.body, o.schemas) as JsonSchema) : undefined;
    if (body) schema['body'] = body;
    // A body whose every property is optional may be left out (`curl -X POST …/termination-notice`): it is {}.
    const bodyOptional = body !== undefined && bodyIsOptional(body);
    app.route({
      method: route.method,
      url: fastifyPath(o.prefix, route.path),
      schema,
      ...(route.maxBodyBytes !== undefined ? { bodyLimit: route.maxBodyBytes } : {}),
      ...(bodyOptional
        ? {
            preValidation: async (req: FastifyRequest) => {
              if (req.body === undefined) req.body = {};
            },
          }
        : {}),
      // Authenticate first — before the body is read or validated — so strangers learn nothing about the API's inputs.
      ...(route.auth === false
        ? {}
        : {
            onRequest: async (req: FastifyRequest) => {
              try {
                const principal = await o.authenticate({ token: bearer(req), remoteAddress: req.ip, clientCertSha256: clientCertSha256(req) }, route);
                calls.set(req, { principal, route: route.path });
              } catch (e) {
                if (!(e instanceof PrincipalRefused)) throw e;
                calls.set(req, { principal: e.principal as P, route: route.path });
                throw e.refusal;
              }
            },
          }),
      handler: async (req: FastifyRequest, reply: FastifyReply) => {
        const out = await route.handler({
          principal: calls.get(req)?.principal as P,
          params: (req.params ?? {}) as Record<string, string>,
          query: (req.query ?? {}) as Record<string, unknown>,
          body: (req.body ?? {}) as Record<string, unknown>,
          headers: req.headers,
        });
        for (const [k, v] of Object.entries(out.headers ?? {})) void reply.header(k, v);
        void reply.code(out.status).type(out.contentType ?? 'application/json');
        // Strings and Buffers (e.g. an application/gzip archive) go out as they are; anything else is JSON.
        return typeof out.body === 'string' || Buffer.isBuffer(out.body) ? out.body : JSON.stringify(out.body);
      },
    });
  }
  return app;
}
