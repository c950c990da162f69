import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import type { AuthorizationRow, OrderRow } from '../../../src/sa/index.js';
import { authorizationStatus, orderStatus } from '../../../src/ra/status.js';
import { checkContacts } from '../../../src/ra/contacts.js';
import { checkCsrNamesMatchOrder } from '../../../src/ra/finalize.js';
import { checkRevocationReason } from '../../../src/ra/revocation.js';

const now = new Date('2026-11-21T00:00:00Z');
const later = '2026-11-22T00:00:00.000Z';
const earlier = '2026-11-20T00:00:00.000Z';

function authz(status: AuthorizationRow['status'], expires = later): AuthorizationRow {
  return { id: 'a', account_id: 'x', identifier: 'example.com', wildcard: 0, status, expires_at: expires, created_at: earlier, validated_at: null, validated_method: null };
}
function order(status: OrderRow['status'], expires = later): OrderRow {
  return { id: 'o', account_id: 'x', status, expires_at: expires, identifiers: '[]', not_before: null, not_after: null, error: null, certificate_serial: null, replaces: null, created_at: earlier, updated_at: earlier };
}

describe('order and authorization state machine (RFC 8555 §7.1.6)', () => {
  const table: [string, OrderRow, AuthorizationRow[], string][] = [
    ['all valid → ready', order('pending'), [authz('valid'), authz('valid')], 'ready'],
    ['one pending → pending', order('pending'), [authz('valid'), authz('pending')], 'pending'],
    ['one invalid → invalid', order('pending'), [authz('valid'), authz('invalid')], 'invalid'],
    ['one deactivated → invalid', order('pending'), [authz('deactivated')], 'invalid'],
    ['an expired authorization → invalid', order('pending'), [authz('valid', earlier)], 'invalid'],
    ['expired order → invalid', order('pending', earlier), [authz('valid')], 'invalid'],
    ['stored processing wins', order('processing'), [authz('valid')], 'processing'],
    ['stored valid wins', order('valid', earlier), [authz('valid', earlier)], 'valid'],
  ];
  for (const [name, o, a, want] of table) test(name, () => assert.equal(orderStatus(o, a, now), want));
  test('pending/valid authorizations past expiry read as expired; final states stay', () => {
    assert.equal(authorizationStatus(authz('pending', earlier), now), 'expired');
    assert.equal(authorizationStatus(authz('valid', earlier), now), 'expired');
    assert.equal(authorizationStatus(authz('invalid', earlier), now), 'invalid');
  });
});

describe('small RA checks', () => {
  test('contacts: mailto only, decoded, at most 10', () => {
    assert.deepEqual(checkContacts(['mailto:a%2Bb@example.jp']), ['mailto:a+b@example.jp']);
    assert.deepEqual(checkContacts(undefined), []);
    assert.throws(() => checkContacts(Array(11).fill('mailto:a@example.jp')), /at most 10/);
    assert.throws(() => checkContacts(['https://example.jp']), /only mailto/);
  });
  test('CSR names must equal the order names, both ways', () => {
    checkCsrNamesMatchOrder(['a.example.com', 'b.example.com'], ['b.example.com', 'a.example.com']);
    assert.throws(() => checkCsrNamesMatchOrder(['a.example.com'], ['a.example.com', 'b.example.com']), /missing from the CSR: b\.example\.com/);
    assert.throws(() => checkCsrNamesMatchOrder(['a.example.com', 'c.example.com'], ['a.example.com']), /not in the order: c\.example\.com/);
  });
  test('revocation reasons: omitted = 0; only 0, 1, 3, 4, 5 (SPEC §7)', () => {
    assert.equal(checkRevocationReason(undefined), 0);
    for (const r of [0, 1, 3, 4, 5]) assert.equal(checkRevocationReason(r), r);
    for (const r of [2, 6, 7, 8, 9, 10, -1, 1.5, '1', null]) assert.throws(() => checkRevocationReason(r), /not allowed/);
  });
});
