// OpenAPI drift check for the operator and admin APIs: the documents served at
// /operator/v1/openapi.json and /admin/v1/openapi.json describe exactly the
// routes Fastify registered (same methods, same paths, both ways), every $ref
// resolves, every path template parameter is declared, the documents are
// structurally valid OpenAPI 3.1, and the checked-in copies under
// docs/openapi/ are what the running server serves (regenerate with
// `npm run openapi`).
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { buildApiServer, registeredRoutes } from '../../../src/api-kit/server.js';
import { fastifyPath } from '../../../src/api-kit/openapi.js';
import { adminApiRoutes, adminOpenApi, ADMIN_API_PREFIX } from '../../../src/admin/api/api.js';
import { operatorApiRoutes, operatorOpenApi, OPERATOR_API_PREFIX } from '../../../src/operator-api/api.js';
import { SCHEMAS } from '../../../src/operator-api/schemas.js';
import { issueServerCertificate } from '../../../src/ca/tls-server-cert.js';
import { createLogger } from '../../../src/core/logger.js';
import { ShomeiError } from '../../../src/core/errors.js';
import { documentText, OPENAPI_COPIES, publishedDocument, REGENERATE_COMMAND, REGENERATE_COMMAND_DIRECT, type ApiName } from '../../../scripts/openapi.js';
import { AgencyFixture } from '../../support/agency-fixture.js';

type Json = Record<string, unknown>;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** JSON Schema 2020-12 keywords (and the OpenAPI 3.1 additions) a schema object may use. */
const SCHEMA_KEYWORDS = new Set([
  '$ref', '$schema', '$id', '$anchor', '$defs', '$comment', '$dynamicRef', '$dynamicAnchor',
  'title', 'description', 'default', 'examples', 'example', 'deprecated', 'readOnly', 'writeOnly',
  'type', 'enum', 'const', 'format', 'pattern', 'minLength', 'maxLength', 'contentMediaType', 'contentEncoding',
  'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf',
  'items', 'prefixItems', 'minItems', 'maxItems', 'uniqueItems', 'contains', 'minContains', 'maxContains', 'unevaluatedItems',
  'properties', 'required', 'additionalProperties', 'patternProperties', 'propertyNames', 'minProperties', 'maxProperties',
  'dependentRequired', 'dependentSchemas', 'unevaluatedProperties',
  'allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else',
  'discriminator', 'xml', 'externalDocs',
]);
const SCHEMA_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object', 'null']);

const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Resolve a local JSON pointer (`#/a/b~1c`). */
function resolvePointer(doc: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  let cur: unknown = doc;
  for (const raw of ref.slice(1).split('/').slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObj(cur) && !Array.isArray(cur)) return undefined;
    cur = (cur as Json)[key];
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** Every `$ref` in the document with where it is. */
function allRefs(v: unknown, at = '#', out: [string, string][] = []): [string, string][] {
  if (Array.isArray(v)) v.forEach((x, i) => allRefs(x, `${at}/${i}`, out));
  else if (isObj(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (k === '$ref' && typeof x === 'string') out.push([at, x]);
      else allRefs(x, `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, out);
    }
  }
  return out;
}

/** Problems of one schema object (recursively): unknown keywords, bad types, malformed subschemas. */
function schemaProblems(s: unknown, at: string, out: string[]): void {
  if (typeof s === 'boolean') return;
  if (!isObj(s)) {
    out.push(`${at}: a schema must be an object or a boolean`);
    return;
  }
  for (const k of Object.keys(s)) if (!SCHEMA_KEYWORDS.has(k) && !k.startsWith('x-')) out.push(`${at}: unknown schema keyword "${k}"`);
  if ('nullable' in s) out.push(`${at}: "nullable" is OpenAPI 3.0; use type [..., "null"] or anyOf`);
  const types = s['type'] === undefined ? [] : Array.isArray(s['type']) ? s['type'] : [s['type']];
  for (const t of types) if (typeof t !== 'string' || !SCHEMA_TYPES.has(t)) out.push(`${at}: bad type ${JSON.stringify(t)}`);
  if (s['required'] !== undefined && (!Array.isArray(s['required']) || !s['required'].every((x) => typeof x === 'string'))) out.push(`${at}: required must be a list of names`);
  if (s['enum'] !== undefined && (!Array.isArray(s['enum']) || s['enum'].length === 0)) out.push(`${at}: enum must be a non-empty list`);
  if (typeof s['pattern'] === 'string') {
    try {
      new RegExp(s['pattern'], 'u');
    } catch {
      out.push(`${at}: pattern is not a regular expression`);
    }
  }
  if (s['examples'] !== undefined && !Array.isArray(s['examples'])) out.push(`${at}: examples must be a list`);
  if (isObj(s['properties'])) for (const [k, v] of Object.entries(s['properties'])) schemaProblems(v, `${at}/properties/${k}`, out);
  else if (s['properties'] !== undefined) out.push(`${at}: properties must be an object`);
  for (const k of ['items', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedItems', 'unevaluatedProperties'] as const) if (s[k] !== undefined) schemaProblems(s[k], `${at}/${k}`, out);
  if (s['additionalProperties'] !== undefined) schemaProblems(s['additionalProperties'], `${at}/additionalProperties`, out);
  for (const k of ['allOf', 'anyOf', 'oneOf', 'prefixItems'] as const) {
    if (s[k] === undefined) continue;
    if (!Array.isArray(s[k]) || (s[k] as unknown[]).length === 0) out.push(`${at}: ${k} must be a non-empty list`);
    else (s[k] as unknown[]).forEach((x, i) => schemaProblems(x, `${at}/${k}/${i}`, out));
  }
  if (isObj(s['$defs'])) for (const [k, v] of Object.entries(s['$defs'])) schemaProblems(v, `${at}/$defs/${k}`, out);
}

function mediaProblems(content: unknown, at: string, out: string[]): void {
  if (!isObj(content) || Object.keys(content).length === 0) {
    out.push(`${at}: content must map media types to media type objects`);
    return;
  }
  for (const [type, media] of Object.entries(content)) {
    if (!/^[a-z]+\/[a-z0-9.+*-]+$/i.test(type)) out.push(`${at}: "${type}" is not a media type`);
    if (!isObj(media)) out.push(`${at}/${type}: must be an object`);
    else if (media['schema'] !== undefined) schemaProblems(media['schema'], `${at}/${type}/schema`, out);
  }
}

/** Structural problems of an OpenAPI 3.1 document (the parts a generator can get wrong). */
function openApiProblems(doc: Json): string[] {
  const out: string[] = [];
  if (doc['openapi'] !== '3.1.0') out.push(`openapi must be "3.1.0", not ${JSON.stringify(doc['openapi'])}`);
  const info = doc['info'];
  if (!isObj(info) || typeof info['title'] !== 'string' || typeof info['version'] !== 'string') out.push('info needs a title and a version');
  const servers = doc['servers'];
  if (servers !== undefined && (!Array.isArray(servers) || !servers.every((s) => isObj(s) && typeof s['url'] === 'string'))) out.push('servers must be a list of { url }');
  const components = isObj(doc['components']) ? doc['components'] : {};
  const schemes = isObj(components['securitySchemes']) ? components['securitySchemes'] : {};
  for (const [name, scheme] of Object.entries(schemes)) {
    if (!isObj(scheme) || !['apiKey', 'http', 'mutualTLS', 'oauth2', 'openIdConnect'].includes(String(scheme['type']))) out.push(`securitySchemes.${name}: bad type`);
    else if (scheme['type'] === 'http' && typeof scheme['scheme'] !== 'string') out.push(`securitySchemes.${name}: http needs a scheme`);
  }
  const security = (list: unknown, at: string) => {
    if (!Array.isArray(list)) return out.push(`${at}: security must be a list`);
    for (const req of list) {
      if (!isObj(req)) out.push(`${at}: security requirement must be an object`);
      else for (const [name, scopes] of Object.entries(req)) {
        if (!(name in schemes)) out.push(`${at}: unknown security scheme "${name}"`);
        if (!Array.isArray(scopes)) out.push(`${at}: scopes of "${name}" must be a list`);
      }
    }
    return undefined;
  };
  if (doc['security'] !== undefined) security(doc['security'], 'security');
  for (const [name, s] of Object.entries(isObj(components['schemas']) ? components['schemas'] : {})) schemaProblems(s, `#/components/schemas/${name}`, out);

  const paths = doc['paths'];
  if (!isObj(paths)) return [...out, 'paths must be an object'];
  const operationIds = new Map<string, string>();
  const normalised = new Map<string, string>();
  for (const [path, item] of Object.entries(paths)) {
    if (!path.startsWith('/')) out.push(`path "${path}" must start with /`);
    const shape = path.replace(/\{[^}]+\}/g, '{}');
    if (normalised.has(shape)) out.push(`paths "${path}" and "${normalised.get(shape)}" are the same template`);
    normalised.set(shape, path);
    if (!isObj(item)) {
      out.push(`${path}: path item must be an object`);
      continue;
    }
    for (const k of Object.keys(item)) if (!(METHODS as readonly string[]).includes(k) && !['summary', 'description', 'servers', 'parameters', '$ref'].includes(k) && !k.startsWith('x-')) out.push(`${path}: unknown path item field "${k}"`);
    const templateParams = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);
    if (new Set(templateParams).size !== templateParams.length) out.push(`${path}: a template parameter repeats`);
    for (const method of METHODS) {
      const op = item[method];
      if (op === undefined) continue;
      const at = `${method.toUpperCase()} ${path}`;
      if (!isObj(op)) {
        out.push(`${at}: operation must be an object`);
        continue;
      }
      const id = op['operationId'];
      if (typeof id !== 'string' || !/^[A-Za-z][A-Za-z0-9_]*$/.test(id)) out.push(`${at}: operationId missing or odd`);
      else if (operationIds.has(id)) out.push(`${at}: operationId "${id}" also used by ${operationIds.get(id)}`);
      else operationIds.set(id, at);
      if (op['tags'] !== undefined && (!Array.isArray(op['tags']) || !op['tags'].every((t) => typeof t === 'string'))) out.push(`${at}: tags must be strings`);
      if (op['security'] !== undefined) security(op['security'], at);
      const params = [...(Array.isArray(item['parameters']) ? item['parameters'] : []), ...(Array.isArray(op['parameters']) ? op['parameters'] : [])] as unknown[];
      if (op['parameters'] !== undefined && !Array.isArray(op['parameters'])) out.push(`${at}: parameters must be a list`);
      const seen = new Set<string>();
      const declaredPath = new Set<string>();
      for (const p of params) {
        if (!isObj(p) || typeof p['name'] !== 'string' || !['path', 'query', 'header', 'cookie'].includes(String(p['in']))) {
          out.push(`${at}: a parameter needs a name and in: path|query|header|cookie`);
          continue;
        }
        const key = `${String(p['in'])}:${p['name']}`;
        if (seen.has(key)) out.push(`${at}: parameter ${key} declared twice`);
        seen.add(key);
        if (p['schema'] === undefined && p['content'] === undefined) out.push(`${at}: parameter ${key} has neither schema nor content`);
        if (p['schema'] !== undefined) schemaProblems(p['schema'], `${at} parameter ${key}`, out);
        if (p['in'] === 'path') {
          declaredPath.add(p['name']);
          if (p['required'] !== true) out.push(`${at}: path parameter ${p['name']} must be required: true`);
          if (!templateParams.includes(p['name'])) out.push(`${at}: path parameter ${p['name']} is not in the path template`);
        }
      }
      for (const t of templateParams) if (!declaredPath.has(t)) out.push(`${at}: template parameter {${t}} is not declared as a path parameter`);
      if (op['requestBody'] !== undefined) {
        const rb = op['requestBody'];
        if (!isObj(rb)) out.push(`${at}: requestBody must be an object`);
        else mediaProblems(rb['content'], `${at} requestBody`, out);
      }
      const responses = op['responses'];
      if (!isObj(responses) || Object.keys(responses).length === 0) {
        out.push(`${at}: responses missing`);
        continue;
      }
      if (!Object.keys(responses).some((c) => /^2/.test(c))) out.push(`${at}: no success response`);
      for (const [code, resp] of Object.entries(responses)) {
        if (code !== 'default' && !/^[1-5](\d\d|XX)$/.test(code)) out.push(`${at}: "${code}" is not a status code`);
        if (!isObj(resp)) out.push(`${at} ${code}: response must be an object`);
        else if (resp['$ref'] === undefined) {
          if (typeof resp['description'] !== 'string') out.push(`${at} ${code}: response needs a description`);
          if (resp['content'] !== undefined) mediaProblems(resp['content'], `${at} ${code}`, out);
        }
      }
    }
  }
  return out;
}

/** A value matching a path parameter schema (enum, id prefix, month, serial, kid). */
function sampleFor(schema: Json): string {
  if (Array.isArray(schema['enum'])) return String(schema['enum'][0]);
  const pattern = typeof schema['pattern'] === 'string' ? schema['pattern'] : '';
  const candidates = [/^\^([a-z]+)_/.exec(pattern)?.[1] ? `${/^\^([a-z]+)_/.exec(pattern)?.[1]}_abcdefghijkl` : '', 'kid-abcdef', '2026-11', '0a1b2c', 'x'];
  const ok = candidates.find((c) => c !== '' && (pattern === '' || new RegExp(pattern).test(c)));
  assert.ok(ok, `no sample value for pattern ${pattern}`);
  return ok;
}

describe('OpenAPI documents: no drift from the registered routes', () => {
  let f: AgencyFixture;
  const served: Partial<Record<ApiName, Json>> = {};
  const built: Partial<Record<ApiName, { app: FastifyInstance; doc: Json }>> = {};

  before(async () => {
    f = await AgencyFixture.start();
    const inst = f.shomei.inst;
    const tls = await issueServerCertificate(inst.ca, ['localhost'], f.clock.now());
    const common = {
      logger: createLogger('silent'),
      https: { key: tls.keyPem, cert: tls.fullChainPem },
      maxBodyBytes: inst.config.acme.maxBodyBytes,
      schemas: SCHEMAS,
      authenticate: async (): Promise<never> => {
        throw new ShomeiError('unauthorized', 'not used');
      },
    };
    // The same route-table builders app.ts uses, with the live registry, built into Fastify here so its routes can be listed.
    const opRoutes = operatorApiRoutes({ registry: inst.registry, directoryUrl: () => inst.urls.directory }, () => 'https://drift.test');
    const adRoutes = adminApiRoutes({ registry: inst.registry, sa: inst.sa, jobs: inst.jobs }, () => 'https://drift.test');
    const opApp = await buildApiServer({ ...common, prefix: OPERATOR_API_PREFIX, routes: opRoutes });
    const adApp = await buildApiServer({ ...common, prefix: ADMIN_API_PREFIX, routes: adRoutes });
    await Promise.all([opApp.ready(), adApp.ready()]);
    built.operator = { app: opApp, doc: operatorOpenApi(opRoutes, 'https://drift.test') };
    built.admin = { app: adApp, doc: adminOpenApi(adRoutes, 'https://drift.test') };
    for (const [name, client] of [['operator', f.operatorClient()], ['admin', f.admin.withToken('')]] as const) {
      const r = await client.get('/openapi.json');
      assert.equal(r.status, 200, `${name}: ${r.text}`);
      assert.match(String(r.headers['content-type']), /^application\/json/);
      served[name] = r.json() as Json;
    }
  });
  after(async () => {
    await built.operator?.app.close();
    await built.admin?.app.close();
    await f.close();
  });

  const apis: { name: ApiName; prefix: string }[] = [
    { name: 'operator', prefix: OPERATOR_API_PREFIX },
    { name: 'admin', prefix: ADMIN_API_PREFIX },
  ];
  const docOf = (name: ApiName) => served[name] as Json & { paths: Record<string, Record<string, Json>> };
  const documented = (name: ApiName, prefix: string) =>
    Object.entries(docOf(name).paths).flatMap(([path, item]) => Object.keys(item).filter((k) => (METHODS as readonly string[]).includes(k)).map((m) => `${m.toUpperCase()} ${fastifyPath(prefix, path)}`));

  for (const { name, prefix } of apis) {
    test(`${name}: the served document is the one generated from the route tables the server is built from`, () => {
      const withUrl = (d: Json) => ({ ...d, servers: [] });
      assert.deepEqual(withUrl(docOf(name)), withUrl(built[name]?.doc as Json));
      assert.deepEqual(docOf(name)['servers'], [{ url: name === 'operator' ? f.shomei.inst.operatorApiUrl : f.shomei.inst.adminApiUrl }]);
    });

    test(`${name}: every route Fastify registered is documented with the same method and path, and vice versa`, () => {
      const registered = registeredRoutes(built[name]?.app as FastifyInstance).map((r) => `${r.method} ${r.url}`);
      const heads = registered.filter((r) => r.startsWith('HEAD '));
      const rest = registered.filter((r) => !r.startsWith('HEAD ')).sort();
      const docd = documented(name, prefix).sort();
      assert.ok(docd.length > 5);
      const undocumented = rest.filter((r) => !docd.includes(r));
      const unregistered = docd.filter((r) => !rest.includes(r));
      assert.deepEqual({ undocumented, unregistered }, { undocumented: [], unregistered: [] });
      assert.equal(new Set(rest).size, rest.length, 'no route registered twice');
      // Fastify adds HEAD for each GET; HEAD is implied by GET in OpenAPI.
      for (const h of heads) assert.ok(rest.includes(h.replace(/^HEAD /, 'GET ')), `${h} has no GET`);
    });

    test(`${name}: the running server answers every documented operation and nothing else on those paths`, async () => {
      const client = name === 'operator' ? f.operatorClient() : f.admin.withToken('');
      for (const [path, item] of Object.entries(docOf(name).paths)) {
        const params = new Map<string, string>();
        for (const op of Object.values(item)) for (const p of (op['parameters'] ?? []) as Json[]) if (p['in'] === 'path') params.set(p['name'] as string, sampleFor(p['schema'] as Json));
        const url = path.replace(/\{(\w+)\}/g, (_m, p: string) => params.get(p) as string);
        for (const method of METHODS.filter((m) => m !== 'head' && m !== 'options' && m !== 'trace')) {
          const r = await client.call(method.toUpperCase(), url, ['post', 'put', 'patch'].includes(method) ? { body: {} } : {});
          const noRoute = r.status === 404 && /^No route /.test(String(r.json()?.detail));
          const op = item[method];
          if (op === undefined) assert.ok(noRoute, `${method.toUpperCase()} ${url} is not documented but answered ${r.status} ${r.text.slice(0, 200)}`);
          else {
            assert.ok(!noRoute, `${method.toUpperCase()} ${url} is documented but not routed`);
            // Unauthenticated: 401 for protected operations, and open ones answer.
            assert.equal(r.status, Array.isArray(op['security']) && (op['security'] as unknown[]).length === 0 ? 200 : 401, `${method.toUpperCase()} ${url}: ${r.text.slice(0, 200)}`);
          }
        }
      }
    });

    test(`${name}: every $ref resolves and every path template parameter is declared`, () => {
      const doc = docOf(name);
      const refs = allRefs(doc);
      assert.ok(refs.length > 10);
      const broken = refs.filter(([, ref]) => resolvePointer(doc, ref) === undefined).map(([at, ref]) => `${at}: ${ref}`);
      assert.deepEqual(broken, []);
      const problems = openApiProblems(doc).filter((p) => /template parameter|path parameter/.test(p));
      assert.deepEqual(problems, []);
    });

    test(`${name}: the document is structurally valid OpenAPI 3.1 (responses everywhere, unique operationIds, known schema keywords)`, () => {
      assert.deepEqual(openApiProblems(docOf(name)), []);
    });

    test(`${name}: docs/openapi copy is up to date (else run \`${REGENERATE_COMMAND}\`)`, () => {
      const { file } = OPENAPI_COPIES[name];
      const expected = documentText(publishedDocument(name, docOf(name)));
      const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
      const fix = `run \`${REGENERATE_COMMAND}\` (${REGENERATE_COMMAND_DIRECT}) and commit the result`;
      assert.ok(current !== '', `${file} is missing — ${fix}`);
      if (current !== expected) assert.fail(`${file} differs from the document the server serves — ${fix}`);
    });
  }

  test('the structural checker itself catches what it should', () => {
    const good = publishedDocument('operator', docOf('operator'));
    assert.deepEqual(openApiProblems(good), []);
    const bad = JSON.parse(JSON.stringify(good)) as { paths: Record<string, Record<string, Json>>; components: { schemas: Record<string, Json> } } & Json;
    const sub = bad.paths['/subscribers/{subscriberId}'] as Record<string, Json>;
    (sub['get'] as Json)['parameters'] = [];
    (sub['patch'] as Json)['operationId'] = 'createSubscriber';
    delete (bad.paths['/me'] as Record<string, Json>)['get']?.['responses'];
    (bad.components.schemas['Subscriber'] as Json)['requried'] = ['id'];
    (bad.components.schemas['Credential'] as Json)['nullable'] = true;
    bad['openapi'] = '3.0.3';
    bad.paths['/subscribers/{id}'] = { get: { operationId: 'dup', responses: { 200: { description: 'x' } } } };
    const found = openApiProblems(bad).join('\n');
    for (const expected of [/openapi must be "3.1.0"/, /\{subscriberId\} is not declared/, /operationId "createSubscriber" also used/, /GET \/me: responses missing/, /unknown schema keyword "requried"/, /"nullable" is OpenAPI 3.0/, /same template/, /\{id\} is not declared/]) {
      assert.match(found, expected);
    }
    assert.equal(resolvePointer(good, '#/components/schemas/Nope'), undefined);
    assert.ok(resolvePointer(good, '#/components/schemas/Problem'));
  });
});
