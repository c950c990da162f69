import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { screenUsageFqdn, type ScreeningPolicy, type ScreeningReasonCode } from '../../../src/registry/screening/index.js';

const open: ScreeningPolicy = { tldAllowList: [], tldBlockList: [], blockedNames: [], additionalTlds: [] };

interface Row {
  input: string;
  policy?: Partial<ScreeningPolicy>;
  /** Canonical form (null when none could be computed). */
  fqdn: string | null;
  /** Expected reason codes in order; [] = accepted. */
  codes: ScreeningReasonCode[];
  why: string;
}

const rows: Row[] = [
  // Accepted, and canonicalisation
  { input: 'example.jp', fqdn: 'example.jp', codes: [], why: 'plain name' },
  { input: '  WWW.Example.COM  ', fqdn: 'www.example.com', codes: [], why: 'trimmed and lower-cased' },
  { input: 'example.jp.', fqdn: 'example.jp', codes: [], why: 'one trailing dot is dropped' },
  { input: '*.example.jp', fqdn: '*.example.jp', codes: [], why: 'wildcard kept' },
  { input: 'a-b.c-d.example.co.jp', fqdn: 'a-b.c-d.example.co.jp', codes: [], why: 'below a second-level public suffix' },
  { input: 'Bücher.Example', policy: { additionalTlds: ['example'] }, fqdn: 'xn--bcher-kva.example', codes: [], why: 'U-label → A-label' },
  { input: '*.例え.jp', fqdn: '*.xn--r8jz45g.jp', codes: [], why: 'wildcard with a U-label' },
  { input: '例え。jp．', fqdn: 'xn--r8jz45g.jp', codes: [], why: 'ideographic / fullwidth full stops are label separators' },
  { input: 'ＥＸＡＭＰＬＥ.com', fqdn: 'example.com', codes: [], why: 'fullwidth letters are mapped by IDNA' },
  { input: 'xn--bcher-kva.example.com', fqdn: 'xn--bcher-kva.example.com', codes: [], why: 'valid A-label given directly' },
  { input: 'foo.github.io', fqdn: 'foo.github.io', codes: [], why: 'below a private-section public suffix' },
  { input: 'city.kawasaki.jp', fqdn: 'city.kawasaki.jp', codes: [], why: 'PSL exception rule (!city.kawasaki.jp)' },
  { input: 'example.test', policy: { additionalTlds: ['test'] }, fqdn: 'example.test', codes: [], why: '.test treated as delegated' },
  { input: '*.example.test', policy: { additionalTlds: ['TEST'] }, fqdn: '*.example.test', codes: [], why: 'policy lists are normalised' },
  { input: `${'a'.repeat(63)}.example.com`, fqdn: `${'a'.repeat(63)}.example.com`, codes: [], why: '63-character label' },
  { input: `${'a.'.repeat(124)}co.jp`, fqdn: `${'a.'.repeat(124)}co.jp`, codes: [], why: '253 characters' },

  // empty
  { input: '', fqdn: null, codes: ['empty'], why: 'empty string' },
  { input: ' \u3000 ', fqdn: null, codes: ['empty'], why: 'only (ideographic) spaces' },
  { input: '.', fqdn: null, codes: ['empty'], why: 'only the root dot' },

  // syntax
  { input: 'example.jp..', fqdn: 'example.jp.', codes: ['syntax'], why: 'only one trailing dot is dropped' },
  { input: 'a..example.com', fqdn: 'a..example.com', codes: ['syntax'], why: 'empty label' },
  { input: '.example.com', fqdn: '.example.com', codes: ['syntax'], why: 'leading dot' },
  { input: 'under_score.example.com', fqdn: 'under_score.example.com', codes: ['syntax'], why: 'underscore' },
  { input: 'exa mple.com', fqdn: 'exa mple.com', codes: ['syntax'], why: 'space' },
  { input: '-lead.example.com', fqdn: '-lead.example.com', codes: ['syntax'], why: 'leading hyphen' },
  { input: 'trail-.example.com', fqdn: 'trail-.example.com', codes: ['syntax'], why: 'trailing hyphen' },
  { input: `${'a'.repeat(64)}.example.com`, fqdn: `${'a'.repeat(64)}.example.com`, codes: ['syntax'], why: '64-character label' },
  { input: `${'a.'.repeat(125)}co.jp`, fqdn: `${'a.'.repeat(125)}co.jp`, codes: ['syntax'], why: '255 characters' },
  { input: 'ab--cd.example.com', fqdn: 'ab--cd.example.com', codes: ['syntax'], why: 'R-LDH label other than xn--' },
  { input: 'a_b.-c.example.com', fqdn: 'a_b.-c.example.com', codes: ['syntax', 'syntax'], why: 'one reason per bad label' },

  // idna
  { input: 'xn--zz.example.com', fqdn: 'xn--zz.example.com', codes: ['idna'], why: 'invalid A-label' },
  { input: 'a\u200db.example.com', fqdn: null, codes: ['idna'], why: 'ZWJ outside a permitted context' },
  { input: 'xn--zz.例え.jp', fqdn: null, codes: ['idna'], why: 'U-label conversion fails as a whole' },

  // ip-literal
  { input: '192.0.2.1', fqdn: null, codes: ['ip-literal'], why: 'IPv4' },
  { input: '192.0.2.1.', fqdn: null, codes: ['ip-literal'], why: 'IPv4 with trailing dot' },
  { input: '2001:db8::1', fqdn: null, codes: ['ip-literal'], why: 'IPv6' },
  { input: '[2001:db8::1]', fqdn: null, codes: ['ip-literal'], why: 'bracketed IPv6' },
  { input: '１９２.０.２.１', fqdn: null, codes: ['ip-literal'], why: 'fullwidth IPv4, mapped by IDNA' },
  { input: '127.1', fqdn: '127.1', codes: ['ip-literal', 'internal-name'], why: 'short IPv4 form: ends in a number' },
  { input: 'example.123', fqdn: 'example.123', codes: ['ip-literal', 'internal-name'], why: 'numeric TLD' },
  { input: '例え.123', fqdn: null, codes: ['ip-literal'], why: 'U-label name ending in a number' },

  // wildcard-position
  { input: 'foo.*.example.com', fqdn: 'foo.*.example.com', codes: ['wildcard-position'], why: 'wildcard not leftmost' },
  { input: '*example.com', fqdn: '*example.com', codes: ['wildcard-position'], why: 'partial-label wildcard' },
  { input: 'f*o.example.com', fqdn: 'f*o.example.com', codes: ['wildcard-position'], why: 'wildcard inside a label' },
  { input: '*.*.example.com', fqdn: '*.*.example.com', codes: ['wildcard-position'], why: 'two wildcards' },

  // single-label
  { input: 'localhost', fqdn: 'localhost', codes: ['single-label', 'internal-name', 'public-suffix'], why: 'single label' },
  { input: 'com', fqdn: 'com', codes: ['single-label', 'public-suffix'], why: 'a TLD alone' },
  { input: '*.com', fqdn: '*.com', codes: ['single-label', 'public-suffix'], why: 'wildcard over a TLD' },

  // reverse-dns
  { input: '1.2.0.192.in-addr.arpa', fqdn: '1.2.0.192.in-addr.arpa', codes: ['reverse-dns'], why: 'IPv4 reverse zone' },

  // internal-name
  { input: 'host.local', fqdn: 'host.local', codes: ['internal-name'], why: '.local' },
  { input: 'intranet.corp', fqdn: 'intranet.corp', codes: ['internal-name'], why: '.corp' },
  { input: 'example.test', fqdn: 'example.test', codes: ['internal-name'], why: '.test without additionalTlds' },
  { input: 'Bücher.Example', fqdn: 'xn--bcher-kva.example', codes: ['internal-name'], why: '.example without additionalTlds' },

  // public-suffix (ICANN and private sections)
  { input: 'co.jp', fqdn: 'co.jp', codes: ['public-suffix'], why: 'ICANN second-level suffix' },
  { input: '*.co.jp', fqdn: '*.co.jp', codes: ['public-suffix'], why: 'wildcard over an ICANN suffix' },
  { input: 'github.io', fqdn: 'github.io', codes: ['public-suffix'], why: 'private-section suffix' },
  { input: '*.github.io', fqdn: '*.github.io', codes: ['public-suffix'], why: 'wildcard over a private-section suffix' },
  { input: 'foo.kawasaki.jp', fqdn: 'foo.kawasaki.jp', codes: ['public-suffix'], why: 'PSL wildcard rule *.kawasaki.jp' },
  { input: 'test', policy: { additionalTlds: ['test'] }, fqdn: 'test', codes: ['single-label', 'public-suffix'], why: 'an additional TLD alone' },

  // TLD allow / block lists
  { input: 'example.com', policy: { tldAllowList: ['jp'] }, fqdn: 'example.com', codes: ['tld-not-allowed'], why: 'TLD not on the allow list' },
  { input: 'example.jp', policy: { tldAllowList: ['jp', 'com'] }, fqdn: 'example.jp', codes: [], why: 'TLD on the allow list' },
  { input: '例え.みんな', policy: { tldAllowList: ['みんな'] }, fqdn: 'xn--r8jz45g.xn--q9jyb4c', codes: [], why: 'allow list entry given as a U-label' },
  { input: 'example.xyz', policy: { tldBlockList: ['xyz'] }, fqdn: 'example.xyz', codes: ['tld-blocked'], why: 'TLD on the block list' },
  { input: 'example.test', policy: { tldAllowList: ['test'] }, fqdn: 'example.test', codes: ['internal-name'], why: 'the allow list does not make a TLD delegated' },

  // blocked-name
  { input: 'bank.example.com', policy: { blockedNames: ['bank.example.com'] }, fqdn: 'bank.example.com', codes: ['blocked-name'], why: 'blocked name itself' },
  { input: 'login.bank.example.com', policy: { blockedNames: ['bank.example.com'] }, fqdn: 'login.bank.example.com', codes: ['blocked-name'], why: 'below a blocked name' },
  { input: '*.bank.example.com', policy: { blockedNames: ['bank.example.com'] }, fqdn: '*.bank.example.com', codes: ['blocked-name'], why: 'wildcard below a blocked name' },
  { input: '*.example.com', policy: { blockedNames: ['Bank.Example.com.'] }, fqdn: '*.example.com', codes: ['blocked-name'], why: 'wildcard covering a blocked name' },
  { input: 'example.com', policy: { blockedNames: ['bank.example.com'] }, fqdn: 'example.com', codes: [], why: 'the parent of a blocked name is fine' },
  { input: 'notbank.example.com', policy: { blockedNames: ['bank.example.com'] }, fqdn: 'notbank.example.com', codes: [], why: 'suffix match is label-wise' },
  { input: 'www.例え.jp', policy: { blockedNames: ['例え.jp'] }, fqdn: 'www.xn--r8jz45g.jp', codes: ['blocked-name'], why: 'blocked name given as a U-label' },

  // several reasons at once
  {
    input: '*.example.com',
    policy: { tldAllowList: ['jp'], tldBlockList: ['com'], blockedNames: ['example.com'] },
    fqdn: '*.example.com',
    codes: ['tld-not-allowed', 'tld-blocked', 'blocked-name'],
    why: 'every applicable reason is collected',
  },
  {
    input: 'Bad_Label.intranet.corp',
    policy: { tldAllowList: ['jp'], blockedNames: ['intranet.corp'] },
    fqdn: 'bad_label.intranet.corp',
    codes: ['syntax', 'internal-name', 'tld-not-allowed', 'blocked-name'],
    why: 'syntax errors do not stop the policy checks',
  },
];

describe('usage-FQDN screening (SPEC §5.1)', () => {
  for (const r of rows) {
    test(`${JSON.stringify(r.input.length > 40 ? `${r.input.slice(0, 40)}…` : r.input)} → ${r.codes.join(', ') || 'ok'} (${r.why})`, () => {
      const res = screenUsageFqdn(r.input, { ...open, ...r.policy });
      assert.deepEqual(
        res.reasons.map((x) => x.code),
        r.codes,
        res.reasons.map((x) => x.detail).join('; '),
      );
      assert.equal(res.ok, r.codes.length === 0);
      assert.equal(res.fqdn, r.fqdn);
      for (const reason of res.reasons) assert.ok(reason.detail.length > 0);
    });
  }

  test('details say what is wrong', () => {
    const res = screenUsageFqdn('login.bank.example.com', { ...open, blockedNames: ['bank.example.com'] });
    assert.match(res.reasons[0]?.detail ?? '', /blocked name "bank\.example\.com"/);
    assert.match(screenUsageFqdn('*.github.io', open).reasons[0]?.detail ?? '', /"github\.io" is a public suffix/);
    assert.match(screenUsageFqdn('x.corp', open).reasons[0]?.detail ?? '', /\.corp/);
  });

  test('an accepted result carries no reasons and the canonical name', () => {
    assert.deepEqual(screenUsageFqdn(' *.Example.JP. ', open), { ok: true, fqdn: '*.example.jp', reasons: [] });
  });
});
