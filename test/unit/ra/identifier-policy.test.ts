import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { ShomeiError } from '../../../src/core/errors.js';
import { checkDnsIdentifier, checkOrderIdentifiers, MAX_IDENTIFIERS_PER_ORDER } from '../../../src/ra/identifier-policy.js';

const ok: [string, string][] = [
  ['example.jp', 'example.jp'],
  ['WWW.Example.COM', 'www.example.com'],
  ['*.example.jp', '*.example.jp'],
  ['xn--bcher-kva.example.com', 'xn--bcher-kva.example.com'],
  ['a-b.c-d.example.co.jp', 'a-b.c-d.example.co.jp'],
  ['*.sub.example.co.uk', '*.sub.example.co.uk'],
];

const refused: [string, RegExp][] = [
  ['example.jp.', /trailing dot/],
  ['com', /fully-qualified/],
  ['co.jp', /public suffix/],
  ['*.co.jp', /public suffix/],
  ['*.com', /fully-qualified|public suffix/],
  ['host.local', /not a delegated/],
  ['intranet.corp', /not a delegated/],
  ['x.test', /not a delegated/],
  ['192.0.2.1', /IP addresses/],
  ['1.2.0.192.in-addr.arpa', /reverse-DNS|not a delegated/],
  ['foo.*.example.com', /wildcard/],
  ['*example.com', /wildcard/],
  ['**.example.com', /wildcard/],
  ['-lead.example.com', /LDH/],
  ['trail-.example.com', /LDH/],
  ['under_score.example.com', /LDH/],
  ['ab--cd.example.com', /third and fourth/],
  ['xn--zz.example.com', /A-label/],
  [`${'a'.repeat(64)}.example.com`, /LDH/],
  [`${'a.'.repeat(126)}com`, /253/],
  ['example.123', /numeric/],
];

describe('identifier policy (RFC 8555 §7.1.4, BR 7.1.2.7.12)', () => {
  for (const [input, want] of ok) {
    test(`accepts ${input}`, () => assert.equal(checkDnsIdentifier({ type: 'dns', value: input }), want));
  }
  for (const [input, why] of refused) {
    test(`refuses ${input.slice(0, 40)}`, () => {
      assert.throws(
        () => checkDnsIdentifier({ type: 'dns', value: input }),
        (e: unknown) => e instanceof ShomeiError && e.kind === 'rejectedIdentifier' && why.test(e.detail) && e.identifier?.value === input.toLowerCase(),
      );
    });
  }
  test('non-dns identifiers are unsupportedIdentifier', () => {
    assert.throws(() => checkDnsIdentifier({ type: 'ip', value: '192.0.2.1' }), (e: unknown) => e instanceof ShomeiError && e.kind === 'unsupportedIdentifier');
  });
  test('an order collects one subproblem per bad name, deduplicates and sorts good ones', () => {
    assert.deepEqual(checkOrderIdentifiers([{ type: 'dns', value: 'b.example.com' }, { type: 'dns', value: 'A.example.com' }, { type: 'dns', value: 'a.example.com' }]), ['a.example.com', 'b.example.com']);
    try {
      checkOrderIdentifiers([{ type: 'dns', value: 'x.test' }, { type: 'ip', value: '192.0.2.1' }, { type: 'dns', value: 'ok.example.com' }]);
      assert.fail('expected a compound error');
    } catch (e) {
      assert.ok(e instanceof ShomeiError);
      assert.equal(e.kind, 'compound');
      assert.deepEqual(e.subErrors.map((s) => s.kind).sort(), ['rejectedIdentifier', 'unsupportedIdentifier']);
    }
  });
  test('an empty, non-array or oversized identifier list is refused', () => {
    assert.throws(() => checkOrderIdentifiers([]), /non-empty/);
    assert.throws(() => checkOrderIdentifiers('example.com'), /non-empty/);
    const many = Array.from({ length: MAX_IDENTIFIERS_PER_ORDER + 1 }, (_, i) => ({ type: 'dns', value: `n${i}.example.com` }));
    assert.throws(() => checkOrderIdentifiers(many), /At most 100/);
    assert.throws(() => checkOrderIdentifiers([null]), /must be an object/);
  });
});

describe('identifier policy options (additionalTlds, blockedNames)', () => {
  const ok: [string, Parameters<typeof checkDnsIdentifier>[1], string][] = [
    ['x.test', { additionalTlds: ['test'] }, 'x.test'],
    ['*.x.test', { additionalTlds: ['test'] }, '*.x.test'],
    ['WWW.X.TEST', { additionalTlds: ['TEST'] }, 'www.x.test'],
    ['example.com', { blockedNames: ['bank.example.com'] }, 'example.com'],
    ['notbank.example.com', { blockedNames: ['bank.example.com'] }, 'notbank.example.com'],
    ['x.test', { additionalTlds: ['test'], blockedNames: ['y.test'] }, 'x.test'],
    ['example.com', {}, 'example.com'],
  ];
  for (const [input, opts, want] of ok) {
    test(`accepts ${input} with ${JSON.stringify(opts)}`, () => assert.equal(checkDnsIdentifier({ type: 'dns', value: input }, opts), want));
  }
  const refused: [string, Parameters<typeof checkDnsIdentifier>[1], RegExp][] = [
    ['*.test', { additionalTlds: ['test'] }, /fully-qualified/],
    ['x.test', { additionalTlds: ['example'] }, /not a delegated/],
    ['x.test', {}, /not a delegated/],
    ['bank.example.com', { blockedNames: ['bank.example.com'] }, /blocked.*"bank\.example\.com"/],
    ['login.bank.example.com', { blockedNames: ['Bank.Example.com.'] }, /blocked.*"bank\.example\.com"/],
    ['*.bank.example.com', { blockedNames: ['bank.example.com'] }, /blocked.*"bank\.example\.com"/],
    ['*.example.com', { blockedNames: ['bank.example.com'] }, /blocked.*"bank\.example\.com"/],
    ['www.xn--r8jz45g.jp', { blockedNames: ['例え.jp'] }, /blocked.*"xn--r8jz45g\.jp"/],
    ['bad.x.test', { additionalTlds: ['test'], blockedNames: ['x.test'] }, /blocked/],
  ];
  for (const [input, opts, why] of refused) {
    test(`refuses ${input} with ${JSON.stringify(opts)}`, () => {
      assert.throws(
        () => checkDnsIdentifier({ type: 'dns', value: input }, opts),
        (e: unknown) => e instanceof ShomeiError && e.kind === 'rejectedIdentifier' && why.test(e.detail) && e.detail.includes(`"${input.toLowerCase()}"`),
      );
    });
  }
  test('checkOrderIdentifiers passes the options on', () => {
    assert.deepEqual(checkOrderIdentifiers([{ type: 'dns', value: 'b.x.test' }, { type: 'dns', value: '*.x.test' }], { additionalTlds: ['test'] }), ['*.x.test', 'b.x.test']);
    assert.throws(
      () => checkOrderIdentifiers([{ type: 'dns', value: 'ok.example.com' }, { type: 'dns', value: 'bank.example.com' }], { blockedNames: ['bank.example.com'] }),
      (e: unknown) => e instanceof ShomeiError && e.kind === 'rejectedIdentifier' && /bank\.example\.com.*blocked/.test(e.detail),
    );
    assert.throws(() => checkOrderIdentifiers([{ type: 'dns', value: 'x.test' }]), /not a delegated/);
  });
});
