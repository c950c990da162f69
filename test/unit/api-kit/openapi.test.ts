import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { buildOpenApi, fastifyPath } from '../../../src/api-kit/openapi.js';
import { apiProblem } from '../../../src/api-kit/problem.js';
import { inlineRefs, validationDetail } from '../../../src/api-kit/server.js';
import type { ApiRoute } from '../../../src/api-kit/route.js';
import { ShomeiError } from '../../../src/core/errors.js';

const ok = async () => ({ status: 200, body: {} });

const routes: ApiRoute<string>[] = [
  {
    method: 'GET',
    path: '/things/{thingId}',
    operationId: 'getThing',
    summary: 'Read a thing',
    tag: 'Things',
    params: { thingId: { type: 'string', pattern: '^t_[a-z]+$' } },
    query: { verbose: { type: 'boolean' } },
    responses: { 200: { description: 'The thing', schema: { $ref: '#/components/schemas/Thing' }, content: { 'text/csv': { type: 'string' } } } },
    handler: ok,
  },
  {
    method: 'POST',
    path: '/things',
    operationId: 'createThing',
    summary: 'Create a thing',
    tag: 'Things',
    body: { $ref: '#/components/schemas/Thing' },
    responses: { 201: { description: 'Created' } },
    handler: ok,
  },
  {
    method: 'PUT',
    path: '/things/{thingId}',
    operationId: 'replaceThing',
    summary: 'Replace a thing',
    tag: 'Things',
    params: { thingId: { type: 'string' } },
    body: { $ref: '#/components/schemas/Thing', required: ['id'] },
    responses: { 200: { description: 'Replaced' } },
    handler: ok,
  },
  {
    method: 'GET',
    path: '/openapi.json',
    operationId: 'getDoc',
    summary: 'Doc',
    tag: 'Meta',
    auth: false,
    responses: { 200: { description: 'Doc' } },
    handler: ok,
  },
];

const doc = buildOpenApi(
  {
    title: 'T',
    version: '1',
    description: 'd',
    prefix: '/t/v1',
    serverUrl: 'https://example.test:1',
    schemas: { Thing: { type: 'object', properties: { id: { type: 'string' } } } },
    securityDescription: 'bearer',
  },
  routes,
) as {
  openapi: string;
  servers: { url: string }[];
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
};

describe('api-kit: OpenAPI document from a route table', () => {
  test('3.1 document with the prefix in servers and the route paths below it', () => {
    assert.equal(doc.openapi, '3.1.0');
    assert.deepEqual(doc.servers, [{ url: 'https://example.test:1/t/v1' }]);
    assert.deepEqual(Object.keys(doc.paths).sort(), ['/openapi.json', '/things', '/things/{thingId}']);
    assert.deepEqual(Object.keys(doc.paths['/things'] ?? {}), ['post']);
    assert.deepEqual(Object.keys(doc.paths['/things/{thingId}'] ?? {}), ['get', 'put']);
  });

  test('path parameters are required path parameters, query parameters optional', () => {
    const op = doc.paths['/things/{thingId}']?.['get'] as { parameters: { name: string; in: string; required: boolean }[] };
    assert.deepEqual(
      op.parameters.map((p) => [p.name, p.in, p.required]),
      [
        ['thingId', 'path', true],
        ['verbose', 'query', false],
      ],
    );
  });

  test('authenticated operations document 401 and a default problem; open ones have security: []', () => {
    const get = doc.paths['/things/{thingId}']?.['get'] as { responses: Record<string, unknown>; security?: unknown };
    assert.deepEqual(Object.keys(get.responses).sort(), ['200', '401', 'default']);
    assert.equal(get.security, undefined);
    const open = doc.paths['/openapi.json']?.['get'] as { responses: Record<string, unknown>; security?: unknown };
    assert.deepEqual(Object.keys(open.responses).sort(), ['200', 'default']);
    assert.deepEqual(open.security, []);
  });

  test('a response with a JSON schema and other media types lists both', () => {
    const get = doc.paths['/things/{thingId}']?.['get'] as { responses: Record<string, { content: Record<string, unknown> }> };
    assert.deepEqual(Object.keys(get.responses['200']?.content ?? {}).sort(), ['application/json', 'text/csv']);
    const post = doc.paths['/things']?.['post'] as { responses: Record<string, Record<string, unknown>>; requestBody: unknown };
    assert.deepEqual(post.responses['201'], { description: 'Created' });
    // Every property of Thing is optional: the body may be left out.
    assert.deepEqual(post.requestBody, { required: false, content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } });
    const put = doc.paths['/things/{thingId}']?.['put'] as { requestBody: { required: boolean } };
    assert.equal(put.requestBody.required, true, 'a $ref with sibling required properties');
  });

  test('components carry Problem next to the API schemas, and the bearer scheme', () => {
    assert.deepEqual(Object.keys(doc.components.schemas).sort(), ['Problem', 'Thing']);
    assert.deepEqual(Object.keys(doc.components.securitySchemes), ['bearer']);
  });

  test('fastifyPath turns templates into Fastify paths under the prefix', () => {
    assert.equal(fastifyPath('/p/v1', '/a/{aId}/b/{b_2}/c'), '/p/v1/a/:aId/b/:b_2/c');
    assert.equal(fastifyPath('/p/v1', '/openapi.json'), '/p/v1/openapi.json');
  });
});

describe('api-kit: schema $ref inlining for validation', () => {
  const components = {
    A: { type: 'object', properties: { b: { $ref: '#/components/schemas/B' } } },
    B: { type: 'string', minLength: 1 },
    Loop: { type: 'object', properties: { self: { $ref: '#/components/schemas/Loop' } } },
  };

  test('nested references are replaced by their schemas; sibling keywords win', () => {
    assert.deepEqual(inlineRefs({ $ref: '#/components/schemas/A', required: ['b'] }, components), {
      type: 'object',
      properties: { b: { type: 'string', minLength: 1 } },
      required: ['b'],
    });
  });

  test('an unknown reference or a recursive one is an error, not a hang', () => {
    assert.throws(() => inlineRefs({ $ref: '#/components/schemas/Nope' }, components), /unknown schema/);
    assert.throws(() => inlineRefs({ $ref: '#/components/schemas/Loop' }, components), /too deep/);
  });
});

describe('api-kit: problem documents', () => {
  test('error kinds map to HTTP statuses with urn:shomei:problem: types', () => {
    const cases: [ConstructorParameters<typeof ShomeiError>[0], number][] = [
      ['malformed', 400],
      ['badRevocationReason', 400],
      ['unauthorized', 401],
      ['forbidden', 403],
      ['notFound', 404],
      ['conflict', 409],
      ['alreadyRevoked', 409],
      ['payloadTooLarge', 413],
      ['unsupportedMediaType', 415],
    ];
    for (const [kind, status] of cases) {
      const p = apiProblem(new ShomeiError(kind, 'why'));
      assert.equal(p.status, status, kind);
      assert.equal(p.type, `urn:shomei:problem:${kind}`);
      assert.equal(p.detail, 'why');
    }
  });

  test('anything else is a 500 whose detail does not leak the error', () => {
    const p = apiProblem(new Error('password=hunter2'));
    assert.equal(p.status, 500);
    assert.doesNotMatch(p.detail, /hunter2/);
  });

  test('validation failures name the unknown property and where it is', () => {
    assert.equal(
      validationDetail([{ instancePath: '', keyword: 'additionalProperties', message: 'must NOT have additional properties', params: { additionalProperty: 'bogus' } }], 'body'),
      'body has an unknown property "bogus"',
    );
    assert.equal(validationDetail([{ instancePath: '/consent/agreedAt', keyword: 'format', message: 'must match format "date-time"' }], 'body'), 'body/consent/agreedAt must match format "date-time"');
  });
});
