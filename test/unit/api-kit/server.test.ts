import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApiServer, PrincipalRefused, registeredRoutes, type CallerInfo } from '../../../src/api-kit/server.js';
import type { ApiRoute } from '../../../src/api-kit/route.js';
import { ShomeiError } from '../../../src/core/errors.js';
import { createLogger } from '../../../src/core/logger.js';

/** A throwaway self-signed TLS key pair (the server needs one; inject() never uses it). */
function selfSigned(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'shomei-apikit-'));
  try {
    const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem')], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl failed: ${r.stderr}`);
    return { key: readFileSync(join(dir, 'k.pem'), 'utf8'), cert: readFileSync(join(dir, 'c.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type P = { who: string };
const GOOD = 'good-token';
const LIMITED = 'limited-token';

describe('api-kit: API server from a route table', () => {
  let app: FastifyInstance;
  const calls: { who: string; method: string; route: string; status: number }[] = [];
  const handled: string[] = [];
  let failAudit = false;

  const routes: ApiRoute<P>[] = [
    {
      method: 'POST',
      path: '/things',
      operationId: 'createThing',
      summary: 'Create',
      tag: 'T',
      body: { type: 'object', required: ['name'], additionalProperties: false, properties: { name: { type: 'string', minLength: 1 } } },
      responses: { 201: { description: 'Created' } },
      handler: async (r) => {
        handled.push(`create:${r.principal.who}`);
        return { status: 201, body: { name: r.body['name'], by: r.principal.who } };
      },
    },
    {
      method: 'GET',
      path: '/things/{thingId}',
      operationId: 'getThing',
      summary: 'Read',
      tag: 'T',
      params: { thingId: { type: 'string', pattern: '^t_[a-z0-9]+$', maxLength: 20 } },
      responses: { 200: { description: 'The thing' } },
      handler: async (r) => {
        if (r.params['thingId'] === 't_missing') throw new ShomeiError('notFound', 'No such thing');
        if (r.params['thingId'] === 't_boom') throw new Error('secret internals');
        if (r.params['thingId'] === 't_busy') throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
        return { status: 200, body: { id: r.params['thingId'] } };
      },
    },
    {
      method: 'GET',
      path: '/pages',
      operationId: 'pages',
      summary: 'Query coercion',
      tag: 'T',
      query: { limit: { type: 'integer', minimum: 1, maximum: 10 }, flag: { type: 'boolean' } },
      responses: { 200: { description: 'ok' } },
      handler: async (r) => ({ status: 200, body: r.query }),
    },
    {
      method: 'POST',
      path: '/typed',
      operationId: 'typed',
      summary: 'Body types',
      tag: 'T',
      body: {
        type: 'object',
        additionalProperties: false,
        properties: { n: { type: 'integer' }, b: { type: 'boolean' }, s: { type: 'string' }, list: { type: 'array', items: { type: 'string' } } },
      },
      responses: { 200: { description: 'ok' } },
      handler: async (r) => ({ status: 200, body: r.body }),
    },
    {
      method: 'GET',
      path: '/limited',
      operationId: 'limited',
      summary: 'Refused to limited callers',
      tag: 'T',
      responses: { 200: { description: 'ok' } },
      handler: async () => ({ status: 200, body: {} }),
    },
    {
      method: 'GET',
      path: '/open',
      operationId: 'open',
      summary: 'No authentication',
      tag: 'T',
      auth: false,
      responses: { 200: { description: 'ok' } },
      handler: async () => ({ status: 200, body: 'plain text', contentType: 'text/plain; charset=utf-8' }),
    },
  ];

  before(async () => {
    app = await buildApiServer<P>({
      prefix: '/t/v1',
      routes,
      logger: createLogger('silent'),
      https: selfSigned(),
      maxBodyBytes: 2048,
      schemas: {},
      authenticate: async (caller: CallerInfo, route) => {
        if (caller.token === GOOD) return { who: 'good' };
        if (caller.token === LIMITED) {
          if (route.operationId === 'limited') throw new PrincipalRefused({ who: 'limited' }, new ShomeiError('forbidden', 'Not for you'));
          return { who: 'limited' };
        }
        throw new ShomeiError('unauthorized', 'Who are you?');
      },
      onCall: async (p, c) => {
        if (failAudit) throw new Error('audit store down');
        calls.push({ who: p.who, method: c.method, route: c.route, status: c.status });
      },
    });
    await app.ready();
  });
  after(async () => app.close());

  const inject = (o: { method: string; url: string; token?: string; payload?: string; contentType?: string }) =>
    app.inject({
      method: o.method as 'GET',
      url: o.url,
      headers: {
        ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
        ...(o.payload !== undefined ? { 'content-type': o.contentType ?? 'application/json' } : {}),
      },
      ...(o.payload !== undefined ? { payload: o.payload } : {}),
    });

  const problemOf = (r: { statusCode: number; headers: Record<string, unknown>; body: string }, status: number, kind: string) => {
    assert.equal(r.statusCode, status, r.body);
    assert.match(String(r.headers['content-type']), /^application\/problem\+json/);
    const p = JSON.parse(r.body) as { type: string; status: number; detail: string };
    assert.equal(p.type, `urn:shomei:problem:${kind}`);
    assert.equal(p.status, status);
    assert.equal(typeof p.detail, 'string');
    return p;
  };

  test('an authenticated call reaches the handler with its principal and is reported once', async () => {
    calls.length = 0;
    const r = await inject({ method: 'POST', url: '/t/v1/things', token: GOOD, payload: '{"name":"x"}' });
    assert.equal(r.statusCode, 201);
    assert.deepEqual(JSON.parse(r.body), { name: 'x', by: 'good' });
    assert.deepEqual(calls, [{ who: 'good', method: 'POST', route: '/things', status: 201 }]);
  });

  test('no or a bad token is a 401 problem with WWW-Authenticate — before the body is validated or anything handled', async () => {
    calls.length = 0;
    handled.length = 0;
    for (const token of [undefined, 'bad']) {
      const r = await inject({ method: 'POST', url: '/t/v1/things', ...(token ? { token } : {}), payload: '{"bogus":1}' });
      problemOf(r, 401, 'unauthorized');
      assert.match(String(r.headers['www-authenticate']), /^Bearer realm=/);
    }
    assert.deepEqual(calls, [], 'unauthenticated calls are not attributed to anyone');
    assert.deepEqual(handled, []);
  });

  test('validation failures of an authenticated call are 400 problems that say what is wrong, and are audited', async () => {
    calls.length = 0;
    const unknown = problemOf(await inject({ method: 'POST', url: '/t/v1/things', token: GOOD, payload: '{"name":"x","bogus":1}' }), 400, 'malformed');
    assert.match(unknown.detail, /unknown property "bogus"/);
    const missing = problemOf(await inject({ method: 'POST', url: '/t/v1/things', token: GOOD, payload: '{}' }), 400, 'malformed');
    assert.match(missing.detail, /required property 'name'/);
    const param = problemOf(await inject({ method: 'GET', url: '/t/v1/things/NOPE', token: GOOD }), 400, 'malformed');
    assert.match(param.detail, /params\/thingId/);
    assert.deepEqual(
      calls.map((c) => c.status),
      [400, 400, 400],
    );
  });

  test('a refused principal gets the refusal (403) and the call is still audited under it', async () => {
    calls.length = 0;
    problemOf(await inject({ method: 'GET', url: '/t/v1/limited', token: LIMITED }), 403, 'forbidden');
    assert.deepEqual(calls, [{ who: 'limited', method: 'GET', route: '/limited', status: 403 }]);
    const allowed = await inject({ method: 'GET', url: '/t/v1/things/t_1', token: LIMITED });
    assert.equal(allowed.statusCode, 200);
  });

  test('handler errors: a ShomeiError keeps its status, anything else is a 500 that leaks nothing; both audited', async () => {
    calls.length = 0;
    problemOf(await inject({ method: 'GET', url: '/t/v1/things/t_missing', token: GOOD }), 404, 'notFound');
    const boom = problemOf(await inject({ method: 'GET', url: '/t/v1/things/t_boom', token: GOOD }), 500, 'serverInternal');
    assert.doesNotMatch(boom.detail, /secret internals/);
    assert.deepEqual(
      calls.map((c) => [c.route, c.status]),
      [
        ['/things/{thingId}', 404],
        ['/things/{thingId}', 500],
      ],
    );
  });

  test('a transient database error is a 503 problem with Retry-After, not a 500', async () => {
    const r = await inject({ method: 'GET', url: '/t/v1/things/t_busy', token: GOOD });
    const p = problemOf(r, 503, 'unavailable');
    assert.doesNotMatch(p.detail, /locked/);
    assert.equal(r.headers['retry-after'], '1');
  });

  test('a failing audit hook is logged, not surfaced', async () => {
    failAudit = true;
    try {
      const r = await inject({ method: 'GET', url: '/t/v1/things/t_2', token: GOOD });
      assert.equal(r.statusCode, 200);
    } finally {
      failAudit = false;
    }
  });

  test('bodies: not JSON → 415, invalid JSON → 400, too large → 413, all problem documents', async () => {
    for (const contentType of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      problemOf(await inject({ method: 'POST', url: '/t/v1/things', token: GOOD, payload: 'name=x', contentType }), 415, 'unsupportedMediaType');
    }
    problemOf(await inject({ method: 'POST', url: '/t/v1/things', token: GOOD, payload: '{"name":' }), 400, 'malformed');
    problemOf(await inject({ method: 'POST', url: '/t/v1/things', token: GOOD, payload: '{"__proto__":{"x":1},"name":"x"}' }), 400, 'malformed');
    problemOf(await inject({ method: 'POST', url: '/t/v1/things', token: GOOD, payload: JSON.stringify({ name: 'x'.repeat(5000) }) }), 413, 'payloadTooLarge');
  });

  test('an empty body with a JSON content type is no body; a body with __proto__ keys is refused', async () => {
    const del = await inject({ method: 'GET', url: '/t/v1/things/t_1', token: GOOD, payload: '', contentType: 'application/json' });
    assert.equal(del.statusCode, 200, del.body);
    const ws = await inject({ method: 'GET', url: '/t/v1/things/t_1', token: GOOD, payload: '  \r\n', contentType: 'application/json' });
    assert.equal(ws.statusCode, 200, ws.body);
    // A body of optional properties may be left out (it is {}); a required one may not.
    const empty = await inject({ method: 'POST', url: '/t/v1/typed', token: GOOD, payload: '', contentType: 'application/json' });
    assert.equal(empty.statusCode, 200, empty.body);
    assert.deepEqual(JSON.parse(empty.body), {});
    const none = await inject({ method: 'POST', url: '/t/v1/typed', token: GOOD });
    assert.equal(none.statusCode, 200, none.body);
    problemOf(await inject({ method: 'POST', url: '/t/v1/typed', token: GOOD, payload: 'null' }), 400, 'malformed');
    problemOf(await inject({ method: 'POST', url: '/t/v1/things', token: GOOD }), 400, 'malformed');
    problemOf(await inject({ method: 'POST', url: '/t/v1/things', token: GOOD, payload: '', contentType: 'application/json' }), 400, 'malformed');
    const poisoned = problemOf(await inject({ method: 'POST', url: '/t/v1/typed', token: GOOD, payload: '{"s":"x","__proto__":{"admin":true}}' }), 400, 'malformed');
    assert.match(poisoned.detail, /__proto__/);
    const invalid = problemOf(await inject({ method: 'POST', url: '/t/v1/typed', token: GOOD, payload: '{"s":' }), 400, 'malformed');
    assert.equal(invalid.detail, 'The body is not valid JSON');
  });

  test('unknown routes and methods, bad percent-encoding and over-long parameters are 4xx problem documents', async () => {
    problemOf(await inject({ method: 'GET', url: '/t/v1/nothing' }), 404, 'notFound');
    problemOf(await inject({ method: 'DELETE', url: '/t/v1/things', token: GOOD }), 404, 'notFound');
    problemOf(await inject({ method: 'GET', url: '/t/v1/things/%E0%A4%A', token: GOOD }), 400, 'malformed');
    problemOf(await inject({ method: 'GET', url: `/t/v1/things/t_${'a'.repeat(300)}`, token: GOOD }), 400, 'malformed');
  });

  test('query strings are coerced to their schema types; JSON bodies are not', async () => {
    const q = await inject({ method: 'GET', url: '/t/v1/pages?limit=3&flag=true', token: GOOD });
    assert.equal(q.statusCode, 200, q.body);
    assert.deepEqual(JSON.parse(q.body), { limit: 3, flag: true });
    problemOf(await inject({ method: 'GET', url: '/t/v1/pages?limit=three', token: GOOD }), 400, 'malformed');
    const typed = await inject({ method: 'POST', url: '/t/v1/typed', token: GOOD, payload: '{"n":1,"b":false,"s":"x","list":["a"]}' });
    assert.equal(typed.statusCode, 200, typed.body);
    for (const payload of ['{"n":"1"}', '{"n":null}', '{"b":"false"}', '{"b":0}', '{"s":5}', '{"s":null}', '{"list":"a"}']) {
      const p = problemOf(await inject({ method: 'POST', url: '/t/v1/typed', token: GOOD, payload }), 400, 'malformed');
      assert.match(p.detail, /^body\/\w+ must be/, payload);
    }
  });

  test('text no database can store (NUL, unpaired surrogates) is a 400, wherever it is', async () => {
    for (const payload of ['{"s":"a\\u0000b"}', '{"list":["ok","\\ud800"]}', '{"\\u0000":1}', '{"s":"\\udc00x"}']) {
      const p = problemOf(await inject({ method: 'POST', url: '/t/v1/typed', token: GOOD, payload }), 400, 'malformed');
      assert.match(p.detail, /NUL character or an unpaired UTF-16 surrogate/, payload);
    }
    problemOf(await inject({ method: 'GET', url: '/t/v1/pages?x=%00', token: GOOD }), 400, 'malformed');
    const emoji = await inject({ method: 'POST', url: '/t/v1/typed', token: GOOD, payload: '{"s":"\\ud83c\\udf89 ok"}' });
    assert.equal(emoji.statusCode, 200, 'a proper surrogate pair is fine');
  });

  test('routes with auth: false need no token and are not audited', async () => {
    calls.length = 0;
    const r = await inject({ method: 'GET', url: '/t/v1/open' });
    assert.equal(r.statusCode, 200);
    assert.equal(r.body, 'plain text');
    assert.match(String(r.headers['content-type']), /^text\/plain/);
    assert.deepEqual(calls, []);
  });

  test('registeredRoutes is what Fastify registered: every table route, plus HEAD for each GET', () => {
    const got = registeredRoutes(app)
      .map((r) => `${r.method} ${r.url}`)
      .sort();
    assert.deepEqual(got, [
      'GET /t/v1/limited',
      'GET /t/v1/open',
      'GET /t/v1/pages',
      'GET /t/v1/things/:thingId',
      'HEAD /t/v1/limited',
      'HEAD /t/v1/open',
      'HEAD /t/v1/pages',
      'HEAD /t/v1/things/:thingId',
      'POST /t/v1/things',
      'POST /t/v1/typed',
    ]);
  });
});
