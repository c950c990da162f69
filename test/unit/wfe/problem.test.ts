import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { ERROR_KINDS, ShomeiError } from '../../../src/core/errors.js';
import { problemStatus, storedProblem, toProblem } from '../../../src/wfe/problem.js';

describe('problem documents (RFC 8555 §6.7, RFC 7807)', () => {
  test('every kind maps to an urn:ietf:params:acme:error type and a 4xx/5xx status', () => {
    for (const k of ERROR_KINDS) {
      const p = toProblem(new ShomeiError(k, 'x'));
      assert.match(p.type, /^urn:ietf:params:acme:error:[a-zA-Z]+$/);
      assert.ok(p.status >= 400 && p.status < 600);
      assert.equal(p.status, problemStatus(k));
    }
  });
  test('statuses clients depend on', () => {
    assert.equal(problemStatus('badNonce'), 400);
    assert.equal(problemStatus('unauthorized'), 403);
    assert.equal(problemStatus('orderNotReady'), 403);
    assert.equal(problemStatus('notFound'), 404);
    assert.equal(problemStatus('serverInternal'), 500);
    assert.equal(problemStatus('rateLimited'), 429);
  });
  test('subproblems carry their identifier', () => {
    const e = new ShomeiError('rejectedIdentifier', 'two bad', {
      subErrors: [new ShomeiError('rejectedIdentifier', 'a', { identifier: { type: 'dns', value: 'a.example' } })],
    });
    const p = toProblem(e);
    assert.deepEqual(p.subproblems?.[0]?.identifier, { type: 'dns', value: 'a.example' });
    assert.equal(p.subproblems?.[0]?.type, 'urn:ietf:params:acme:error:rejectedIdentifier');
  });
  test('internal kinds go on the wire as malformed; extra members are kept', () => {
    assert.equal(toProblem(new ShomeiError('notFound', 'x')).type, 'urn:ietf:params:acme:error:malformed');
    assert.deepEqual(toProblem(new ShomeiError('badSignatureAlgorithm', 'x', { extra: { algorithms: ['ES256'] } }))['algorithms'], ['ES256']);
    assert.equal(storedProblem(JSON.stringify({ kind: 'dns', detail: 'SERVFAIL' }))?.type, 'urn:ietf:params:acme:error:dns');
    assert.equal(storedProblem(null), undefined);
  });
});

describe('transient database errors', () => {
  test('are recognised for SQLite and PostgreSQL codes, not for others', async () => {
    const { isTransientDatabaseError } = await import('../../../src/sa/index.js');
    for (const code of ['SQLITE_BUSY', 'SQLITE_LOCKED', '40001', '40P01', '57P03', 'ECONNREFUSED']) {
      assert.equal(isTransientDatabaseError(Object.assign(new Error('x'), { code })), true, code);
    }
    for (const e of [new Error('x'), Object.assign(new Error('x'), { code: 'SQLITE_CONSTRAINT_UNIQUE' }), Object.assign(new Error('x'), { code: '23505' }), null, 'str']) {
      assert.equal(isTransientDatabaseError(e), false);
    }
  });
  test('go on the wire as 503 serverInternal', () => {
    const p = toProblem(new ShomeiError('unavailable', 'retry'));
    assert.equal(p.status, 503);
    assert.equal(p.type, 'urn:ietf:params:acme:error:serverInternal');
  });
});
