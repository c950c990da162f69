import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { candidateFqdns, namesAllowedBy, resolveCoverage } from '../../../src/registry/issuance-policy.js';
import type { UsageFqdnRow } from '../../../src/sa/index.js';

// SPEC §5.2 (AT 4): for each usage FQDN a certificate may hold the FQDN itself,
// plus `www.` + FQDN (non-wildcard) or the FQDN without its `*.` (wildcard).
describe('namesAllowedBy (SPEC §5.2)', () => {
  const rows: [fqdn: string, allowed: string[], why: string][] = [
    ['example.jp', ['example.jp', 'www.example.jp'], 'plain FQDN → itself and www.'],
    ['*.example.jp', ['*.example.jp', 'example.jp'], 'wildcard → itself and its base'],
    ['www.example.jp', ['www.example.jp', 'www.www.example.jp'], 'a www FQDN is an FQDN like any other'],
    ['*.www.example.jp', ['*.www.example.jp', 'www.example.jp'], 'wildcard whose base starts with www'],
    ['a.b.example.jp', ['a.b.example.jp', 'www.a.b.example.jp'], 'deeper FQDN'],
    ['xn--wgv71a119e.jp', ['xn--wgv71a119e.jp', 'www.xn--wgv71a119e.jp'], 'IDN in A-label form'],
  ];
  for (const [fqdn, allowed, why] of rows) {
    test(`${fqdn} → ${allowed.join(', ')} (${why})`, () => assert.deepEqual(namesAllowedBy(fqdn), allowed));
  }

  test('a wildcard allows neither www.<base> nor names deeper than one label, nor other labels', () => {
    const allowed = namesAllowedBy('*.wild.jp');
    for (const name of ['www.wild.jp', 'a.wild.jp', 'a.b.wild.jp', '*.b.wild.jp']) assert.ok(!allowed.includes(name), name);
  });

  test('a plain FQDN allows no wildcard and no other subdomain', () => {
    const allowed = namesAllowedBy('example.jp');
    for (const name of ['*.example.jp', 'mail.example.jp', 'www.www.example.jp', '*.www.example.jp']) assert.ok(!allowed.includes(name), name);
  });
});

describe('candidateFqdns: the usage FQDNs that would allow a name', () => {
  const rows: [name: string, candidates: string[]][] = [
    ['example.jp', ['example.jp', '*.example.jp']],
    ['www.example.jp', ['www.example.jp', '*.www.example.jp', 'example.jp']],
    ['*.example.jp', ['*.example.jp']],
    ['*.www.example.jp', ['*.www.example.jp']],
    ['www.www.example.jp', ['www.www.example.jp', '*.www.www.example.jp', 'www.example.jp']],
    ['mail.example.jp', ['mail.example.jp', '*.mail.example.jp']],
    ['wwwx.example.jp', ['wwwx.example.jp', '*.wwwx.example.jp']],
  ];
  for (const [name, candidates] of rows) {
    test(`${name} → ${candidates.join(', ')}`, () => assert.deepEqual(candidateFqdns(name), candidates));
  }

  test('is the exact inverse of namesAllowedBy over a set of FQDNs and names', () => {
    const fqdns = ['example.jp', '*.example.jp', 'www.example.jp', '*.www.example.jp', 'a.example.jp', '*.a.example.jp', 'www.www.example.jp'];
    const names = new Set(fqdns.flatMap((f) => [...namesAllowedBy(f), ...candidateFqdns(f)]));
    for (const name of names) {
      for (const fqdn of fqdns) {
        assert.equal(candidateFqdns(name).includes(fqdn), namesAllowedBy(fqdn).includes(name), `${fqdn} allows ${name}?`);
      }
    }
  });
});

function row(id: string, fqdn: string, status: UsageFqdnRow['status'] = 'active'): UsageFqdnRow {
  return {
    id,
    subscriber_id: 'sub_1',
    operator_id: 'op_1',
    fqdn,
    status,
    period: '1m',
    continuation_period: '1m',
    applied_at: '2026-11-01T00:00:00.000Z',
    start_date: status === 'applied' ? null : '2026-11-01',
    expiry_date: status === 'applied' ? null : '2026-12-31',
    termination_notice_at: null,
    termination_notice_by: null,
    ended_on: null,
    end_reason: null,
    updated_at: '2026-11-01T00:00:00.000Z',
    ending_soon_notified_for: null,
  };
}

describe('resolveCoverage: order names onto a subscriber’s live usage FQDNs', () => {
  const A = row('fq_A', 'example.jp');
  const AW = row('fq_AW', '*.example.jp', 'applied');
  const W = row('fq_W', '*.wild.jp');
  const B = row('fq_B', 'www.example.jp');
  const O = row('fq_O', 'other.jp', 'applied');

  const rows: {
    why: string;
    names: string[];
    live: UsageFqdnRow[];
    primary: Record<string, string>;
    all: string[];
    uncovered: string[];
  }[] = [
    { why: 'nothing asked', names: [], live: [A, W], primary: {}, all: [], uncovered: [] },
    { why: 'no live FQDNs', names: ['example.jp'], live: [], primary: {}, all: [], uncovered: ['example.jp'] },
    { why: 'FQDN and www of one usage FQDN', names: ['example.jp', 'www.example.jp'], live: [A], primary: { 'example.jp': 'fq_A', 'www.example.jp': 'fq_A' }, all: ['fq_A'], uncovered: [] },
    { why: 'wildcard and its base', names: ['*.wild.jp', 'wild.jp'], live: [W], primary: { '*.wild.jp': 'fq_W', 'wild.jp': 'fq_W' }, all: ['fq_W'], uncovered: [] },
    { why: 'wildcard does not allow www or deeper names', names: ['www.wild.jp', 'a.b.wild.jp', 'x.wild.jp'], live: [W], primary: {}, all: [], uncovered: ['www.wild.jp', 'a.b.wild.jp', 'x.wild.jp'] },
    {
      why: 'multi-domain across FQDNs, one name refused',
      names: ['example.jp', '*.wild.jp', 'unknown.jp'],
      live: [A, W],
      primary: { 'example.jp': 'fq_A', '*.wild.jp': 'fq_W' },
      all: ['fq_A', 'fq_W'],
      uncovered: ['unknown.jp'],
    },
    { why: 'a name two FQDNs allow: charged to the exact one, linked to both', names: ['example.jp'], live: [AW, A], primary: { 'example.jp': 'fq_A' }, all: ['fq_AW', 'fq_A'], uncovered: [] },
    { why: 'www name: the exact www FQDN wins over the www-of rule', names: ['www.example.jp'], live: [A, B], primary: { 'www.example.jp': 'fq_B' }, all: ['fq_A', 'fq_B'], uncovered: [] },
    { why: 'no exact FQDN: the first allowing one in the list', names: ['example.jp'], live: [AW, row('fq_A2', 'www.example.jp')], primary: { 'example.jp': 'fq_AW' }, all: ['fq_AW'], uncovered: [] },
    { why: 'applied (not started) FQDNs count as live', names: ['www.other.jp'], live: [O], primary: { 'www.other.jp': 'fq_O' }, all: ['fq_O'], uncovered: [] },
    { why: 'a plain FQDN allows no wildcard of itself', names: ['*.example.jp'], live: [A, B], primary: {}, all: [], uncovered: ['*.example.jp'] },
  ];
  for (const r of rows) {
    test(r.why, () => {
      const c = resolveCoverage(r.names, r.live);
      assert.deepEqual(Object.fromEntries([...c.primary].map(([n, u]) => [n, u.id])), r.primary);
      assert.deepEqual(c.all.map((u) => u.id), r.all);
      assert.deepEqual(c.uncovered, r.uncovered);
    });
  }

  test('every name is either charged to a usage FQDN or uncovered, never both', () => {
    const names = ['example.jp', 'www.example.jp', '*.example.jp', 'wild.jp', 'www.wild.jp', '*.wild.jp', 'nope.jp'];
    const c = resolveCoverage(names, [A, W]);
    for (const n of names) assert.notEqual(c.primary.has(n), c.uncovered.includes(n), n);
    for (const u of c.primary.values()) assert.ok(c.all.includes(u));
  });
});
