// Hostile and nonsensical input to the operator and admin APIs never yields a
// 5xx: every refusal is a 4xx problem document (RFC 9457) and the servers keep
// answering. Includes a seeded fuzz of every documented operation, driven by
// the served OpenAPI documents.
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { AgencyFixture, CONSENT, type OperatorHandle } from '../../support/agency-fixture.js';
import type { ApiClient, ApiResponse } from '../../support/api-client.js';

type Doc = { paths: Record<string, Record<string, Op>>; components: { schemas: Record<string, Schema> } };
type Op = { operationId: string; parameters?: { name: string; in: string; schema: Schema }[]; requestBody?: { content: Record<string, { schema: Schema }> } };
type Schema = Record<string, unknown>;

function expect4xxProblem(r: ApiResponse, what: string, allowed?: number[]): void {
  assert.ok(r.status >= 400 && r.status < 500, `${what}: ${r.status} ${r.text.slice(0, 300)}`);
  if (allowed) assert.ok(allowed.includes(r.status), `${what}: ${r.status} not in ${allowed.join('/')} — ${r.text.slice(0, 300)}`);
  assert.match(String(r.headers['content-type']), /^application\/problem\+json/, what);
  const p = r.json() as { type: string; status: number; detail: string };
  assert.match(p.type, /^urn:shomei:problem:/, what);
  assert.equal(p.status, r.status, what);
  assert.equal(typeof p.detail, 'string', what);
}

/** Mulberry32: a small seeded PRNG so a failing fuzz case can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NASTY_STRINGS = [
  '',
  ' ',
  'x'.repeat(5000),
  "' OR 1=1 --",
  '"; DROP TABLE subscribers; --',
  '__proto__',
  'constructor',
  '\u0000\u0001\u001f',
  '\ud800',
  '🎉'.repeat(50),
  '../../etc/passwd',
  '%00',
  '<script>alert(1)</script>',
  '=cmd|calc',
  '2026-02-30',
  '2026-11-21T99:99:99Z',
  '9999-12-31T23:59:59Z',
  'a@b',
  'hanako@customer.test',
  '*.*.test',
  'xn--',
  'localhost',
  '1m',
  '1y',
  'kid-x',
  'sub_x',
];

function randomValue(next: () => number, depth = 0): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  switch (Math.floor(next() * (depth > 2 ? 5 : 7))) {
    case 0:
      return null;
    case 1:
      return next() < 0.5;
    case 2:
      return pick([0, -1, 1, 4, 9, 2 ** 31, 2 ** 53 + 2, -(2 ** 63), 1e308, 0.5, -0]);
    case 3:
    case 4:
      return pick(NASTY_STRINGS);
    case 5:
      return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = Math.floor(next() * 4); i > 0; i--) o[pick(['a', 'name', 'emails', '__proto__', 'constructor', 'reason', 'x'])] = randomValue(next, depth + 1);
      return o;
    }
  }
}

function resolve(doc: Doc, s: Schema): Schema {
  const ref = s['$ref'];
  return typeof ref === 'string' ? { ...resolve(doc, doc.components.schemas[ref.split('/').pop() as string] ?? {}), ...s, $ref: undefined } : s;
}

/** A value that is sometimes what the schema asks for and often not. */
function valueFor(doc: Doc, schema: Schema, next: () => number, depth = 0): unknown {
  const s = resolve(doc, schema);
  if (next() < 0.35 || depth > 3) return randomValue(next, depth);
  if (Array.isArray(s['enum'])) return (s['enum'] as unknown[])[Math.floor(next() * (s['enum'] as unknown[]).length)];
  if (Array.isArray(s['anyOf'])) return valueFor(doc, (s['anyOf'] as Schema[])[Math.floor(next() * (s['anyOf'] as Schema[]).length)] as Schema, next, depth + 1);
  switch (s['type']) {
    case 'object': {
      const props = (s['properties'] ?? {}) as Record<string, Schema>;
      const o: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(props)) if (next() < 0.7) o[k] = valueFor(doc, v, next, depth + 1);
      if (next() < 0.1) o['unexpected'] = 1;
      return o;
    }
    case 'array':
      return Array.from({ length: Math.floor(next() * 3) }, () => valueFor(doc, (s['items'] ?? {}) as Schema, next, depth + 1));
    case 'integer':
      return Math.floor(next() * 12) - 1;
    case 'boolean':
      return next() < 0.5;
    case 'string':
      if (s['format'] === 'date-time') return next() < 0.5 ? CONSENT.agreedAt : '2026-11-21';
      if (s['format'] === 'date') return next() < 0.5 ? '2026-11-20' : '2026-11-32';
      return NASTY_STRINGS[Math.floor(next() * NASTY_STRINGS.length)];
    default:
      return randomValue(next, depth);
  }
}

describe('operator and admin APIs: bad input never yields a 5xx', () => {
  let f: AgencyFixture;
  let op: OperatorHandle;
  let sub: string;
  let fq: string;
  let kid: string;
  before(async () => {
    f = await AgencyFixture.start();
    op = await f.designateOperator();
    sub = await f.createSubscriber(op);
    fq = await f.apply(op, sub, 'robust.test', '1m');
    kid = (await f.issueEab(op, sub)).kid;
  });
  after(async () => f.close());

  const both = (): [string, ApiClient][] => [
    ['operator', op.api],
    ['admin', f.admin],
  ];

  test('huge bodies → 413 (with or without Content-Length), before anything is written', async () => {
    const big = JSON.stringify({ name: 'x', emails: ['a@customer.test'], externalRef: 'y'.repeat(200_000) });
    const before = (await op.api.get('/subscribers')).json().items.length as number;
    expect4xxProblem(await op.api.call('POST', '/subscribers', { rawBody: big, contentType: 'application/json' }), 'chunked', [413]);
    expect4xxProblem(await op.api.call('POST', '/subscribers', { rawBody: big, contentType: 'application/json', headers: { 'content-length': String(Buffer.byteLength(big)) } }), 'content-length', [413]);
    expect4xxProblem(await f.admin.call('POST', '/operators', { rawBody: big, contentType: 'application/json' }), 'admin', [413]);
    assert.equal((await op.api.get('/subscribers')).json().items.length, before);
    // Without credentials the body is not even read: 401.
    expect4xxProblem(await f.operatorClient().call('POST', '/subscribers', { rawBody: big, contentType: 'application/json' }), 'anonymous', [401]);
  });

  test('bodies that are not JSON → 415; missing or empty content types too', async () => {
    for (const [name, api] of both()) {
      const path = name === 'operator' ? '/subscribers' : '/operators';
      for (const contentType of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=--x', 'application/jose+json', 'image/png', 'application/jsonx']) {
        expect4xxProblem(await api.call('POST', path, { rawBody: 'name=x', contentType }), `${name} ${contentType}`, [415]);
      }
      const empty = await api.call('POST', path, { rawBody: '{"name":"x"}', contentType: '' });
      expect4xxProblem(empty, `${name} empty content type`, [400, 415]);
    }
  });

  test('invalid or hostile JSON → 400', async () => {
    const bodies = [
      '{',
      '{"name":}',
      "{'name':'x'}",
      '{"name":"x",}',
      'NaN',
      '',
      'null',
      '[]',
      '"x"',
      '1e999',
      '{"__proto__":{"isAdmin":true},"name":"x","emails":["a@customer.test"]}',
      '{"constructor":{"prototype":{"x":1}},"name":"x","emails":["a@customer.test"]}',
      '['.repeat(20_000) + ']'.repeat(20_000),
      `{"name":"${'\\u0000'.repeat(10)}","emails":["a@customer.test"]}`,
      `{"name":"x${'\\ud800'}","emails":["a@customer.test"]}`,
      '{"name":"x","emails":["a@customer.test"],"phone":"\\u0000"}',
      '{"name":"x","emails":["a@customer.test"],"\\u0000":1}',
    ];
    for (const [name, api] of both()) {
      const path = name === 'operator' ? '/subscribers' : '/operators';
      for (const b of bodies) expect4xxProblem(await api.call('POST', path, { rawBody: b, contentType: 'application/json' }), `${name} ${b.slice(0, 40)}`, [400]);
    }
    assert.equal(({} as Record<string, unknown>)['isAdmin'], undefined, 'no prototype pollution');
  });

  test('unknown routes and methods → 404 problem documents', async () => {
    for (const [name, api] of both()) {
      for (const [m, p] of [
        ['GET', '/nope'],
        ['GET', '/'],
        ['GET', ''],
        ['DELETE', '/subscribers'],
        ['PUT', '/subscribers/sub_abc'],
        ['POST', '/openapi.json'],
        ['GET', '/subscribers/sub_abc/nope'],
        ['OPTIONS', '/subscribers'],
        ['GET', '/../../acme/directory'],
      ] as const) {
        expect4xxProblem(await api.call(m, p, m === 'POST' || m === 'PUT' ? { body: {} } : {}), `${name} ${m} ${p}`, [404]);
      }
    }
    const outside = await op.api.call('GET', '/../../admin/v1/operators');
    assert.ok(outside.status === 404 || outside.status === 401, `${outside.status}`);
  });

  test('garbage in path parameters → 400 or 404, never 5xx', async () => {
    const garbage = ['%00', '%ZZ', '%E0%A4%A', '..', '%2e%2e', '%2F', "sub_'%20OR%201=1--", 'sub_%F0%9F%92%A5', `sub_${'a'.repeat(1000)}`, 'sub_a%0d%0aX-Injected:%201', '%C0%AE', '-1', '0x10', 'null', 'undefined', '[object%20Object]'];
    const templates = [
      ['GET', '/subscribers/{x}'],
      ['PATCH', '/subscribers/{x}'],
      ['POST', '/subscribers/{x}/credentials'],
      ['POST', `/subscribers/${sub}/credentials/{x}/revoke`],
      ['GET', '/usage-fqdns/{x}'],
      ['DELETE', '/usage-fqdns/{x}/termination-notice'],
      ['GET', '/certificates/{x}'],
      ['POST', '/certificates/{x}/revoke'],
      ['GET', '/statements/{x}'],
    ] as const;
    for (const [m, t] of templates) {
      for (const g of garbage) {
        const r = await op.api.call(m, t.replace('{x}', g), m === 'GET' || m === 'DELETE' ? {} : { body: {} });
        expect4xxProblem(r, `${m} ${t} ${g}`, [400, 404]);
        assert.equal(r.headers['x-injected'], undefined);
      }
    }
    for (const g of garbage) {
      expect4xxProblem(await f.admin.call('GET', `/operators/${g}`), `admin operator ${g}`, [400, 404]);
      expect4xxProblem(await f.admin.call('POST', `/credentials/${g}/compromised`, { body: {} }), `admin compromised ${g}`, [400, 404]);
      expect4xxProblem(await f.admin.call('POST', `/jobs/${g}/run`, { body: {} }), `admin job ${g}`, [400, 404]);
    }
  });

  test('garbage in query strings → 400, never 5xx', async () => {
    const queries = ['limit=abc', 'limit=-1', 'limit=1e9', 'limit=1&limit=2', 'limit[]=1', 'cursor=%00', 'cursor=eyJ4Ijp9', `cursor=${Buffer.from('["a"]').toString('base64url')}`, `cursor=${Buffer.from('[1,2]').toString('base64url')}`, 'status=bogus', 'subscriberId=robert%27);DROP', 'format=xml', 'limit=%EF%BF%BD', 'status=%00', 'subscriberId=sub_%00'];
    for (const path of ['/subscribers', '/usage-fqdns', '/certificates']) {
      for (const q of queries) {
        const r = await op.api.get(`${path}?${q}`);
        if (r.status === 200) continue; // an ignored parameter is fine
        expect4xxProblem(r, `${path}?${q}`, [400]);
      }
    }
    for (const q of ['kind=%00', 'kind=%ED%A0%80', 'operatorId=op_%00', 'limit=5']) {
      const r = await f.admin.get(`/notification-events?${q}`);
      if (r.status !== 200) expect4xxProblem(r, `notification-events?${q}`, [400]);
    }
    for (const q of queries) {
      const r = await op.api.get(`/statements/2026-11?${q}`);
      if (r.status !== 200) expect4xxProblem(r, `statement ?${q}`, [400]);
    }
  });

  test(
    'forged list cursors holding NUL → 400 (not a database error)',
    async () => {
      const cursor = Buffer.from(JSON.stringify(['\u0000', 'x'])).toString('base64url');
      for (const path of ['/subscribers', '/usage-fqdns', '/certificates']) expect4xxProblem(await op.api.get(`${path}?cursor=${cursor}`), path, [400]);
    },
  );

  test('odd headers: huge or duplicated Authorization, odd Accept → 4xx or 200, never 5xx', async () => {
    expect4xxProblem(await op.api.get('/me', { token: 'x'.repeat(8000) }), 'huge token', [401, 431]);
    expect4xxProblem(await op.api.get('/me', { token: `${op.token} ${op.token}` }), 'two tokens', [401]);
    for (const accept of ['*/*', 'text/html', 'application/pem-certificate-chain', '', 'x'.repeat(2000)]) {
      const r = await op.api.get(`/usage-fqdns/${fq}`, { headers: { accept } });
      assert.equal(r.status, 200, accept.slice(0, 30));
    }
  });

  test('a seeded fuzz of every documented operation, authenticated, answers < 500 with problem documents', async () => {
    const seed = Number(process.env['SHOMEI_FUZZ_SEED'] ?? 20261121);
    const next = rng(seed);
    const real: Record<string, string[]> = {
      subscriberId: [sub, 'sub_doesnotexist'],
      usageFqdnId: [fq, 'fq_doesnotexist'],
      kid: [kid, 'kid-doesnotexist'],
      serial: ['0badc0ffee', 'zz'],
      month: ['2026-11', '2026-13'],
      operatorId: [op.id, 'op_doesnotexist'],
      keyId: ['ok_doesnotexist', 'nope'],
      job: ['usage-lifecycle', 'nope'],
    };
    let requests = 0;
    const failures: string[] = [];
    for (const [name, api] of both()) {
      const doc = (await api.get('/openapi.json')).json() as Doc;
      for (const [path, item] of Object.entries(doc.paths)) {
        for (const [method, operation] of Object.entries(item)) {
          if (operation.operationId === 'runJob') continue; // runs the day job; harmless, but keep the fuzz about input
          // An immediate suspension (AR 17) of the fuzzing operator would revoke its keys: fuzz it on an unknown operator.
          const ids = operation.operationId === 'suspendOperatorImmediately' ? { ...real, operatorId: ['op_doesnotexist'] } : real;
          for (let i = 0; i < 12; i++) {
            const url = path.replace(/\{(\w+)\}/g, (_m, p: string) => {
              const opts = ids[p] ?? ['x'];
              const v = next() < 0.8 ? (opts[Math.floor(next() * opts.length)] as string) : String(randomValue(next));
              return encodeURIComponent(v.replace(/[\ud800-\udfff]/g, '\ufffd'));
            });
            const bodySchema = operation.requestBody?.content['application/json']?.schema;
            const body = method === 'get' || method === 'delete' ? undefined : bodySchema ? valueFor(doc, bodySchema, next) : randomValue(next);
            const r = await api.call(method.toUpperCase(), url, body === undefined ? {} : { body });
            requests += 1;
            if (r.status >= 500 || (r.status >= 400 && !/^application\/problem\+json/.test(String(r.headers['content-type'])))) {
              failures.push(`${name} ${method.toUpperCase()} ${url} ${JSON.stringify(body)?.slice(0, 200)} → ${r.status} ${r.text.slice(0, 200)}`);
            }
          }
        }
      }
    }
    assert.deepEqual(failures, [], `seed ${seed}`);
    assert.ok(requests > 300, `${requests} requests`);
    // Still serving.
    assert.equal((await op.api.get('/me')).status, 200);
    assert.equal((await f.admin.get('/operators')).status, 200);
  });
});
