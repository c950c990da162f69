// CAA (RFC 8659, RFC 8657, BR §3.2.2.8) against the test DNS server.
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { isShomeiError } from '../../../src/core/errors.js';
import { createValidationAuthority } from '../../../src/va/authority.js';
import { parseIssueValue, parseValidationMethods } from '../../../src/va/caa-issue-value.js';
import type { ChallengeType, ValidationAuthority } from '../../../src/va/types.js';
import { startTestDnsServer, type TestCaaRecord, type TestDnsServer } from '../../support/dns-server.js';
import { vaConfig } from './va-fixture.js';

const ACCOUNT = 'https://ca.shomei.test/acme/acct/42';
const issue = (value: string, flags = 0): TestCaaRecord => ({ flags, tag: 'issue', value });
const issuewild = (value: string, flags = 0): TestCaaRecord => ({ flags, tag: 'issuewild', value });

interface Case {
  title: string;
  /** CAA RRsets to publish, by owner name. */
  zone: Record<string, TestCaaRecord[]>;
  name: string;
  method?: ChallengeType;
  account?: string;
  /** undefined: issuance allowed; a RegExp: refused with kind caa and matching detail. */
  refused?: RegExp;
}

const cases: Case[] = [
  { title: 'no CAA anywhere allows issuance', zone: {}, name: 'none.example.test' },
  { title: 'issue naming us allows', zone: { 'ours.test': [issue('shomei.test')] }, name: 'ours.test' },
  { title: 'issuer and tag match case-insensitively', zone: { 'case.test': [{ flags: 0, tag: 'ISSUE', value: 'Shomei.Test' }] }, name: 'case.test' },
  { title: 'issue naming another CA refuses', zone: { 'other.test': [issue('letsencrypt.org')] }, name: 'other.test', refused: /^CAA record for other\.test prevents issuance for other\.test: no issue property authorizes shomei\.test$/ },
  { title: 'issue ";" refuses everybody', zone: { 'nobody.test': [issue(';')] }, name: 'nobody.test', refused: /forbids issuance by any CA/ },
  { title: 'one of several issue properties naming us allows', zone: { 'several.test': [issue('letsencrypt.org'), issue('shomei.test')] }, name: 'several.test' },
  { title: 'wildcard: issuewild takes precedence over issue', zone: { 'w1.test': [issue('shomei.test'), issuewild('letsencrypt.org')] }, name: '*.w1.test', refused: /no issuewild property authorizes/ },
  { title: 'non-wildcard: issuewild is ignored', zone: { 'w2.test': [issue('shomei.test'), issuewild('letsencrypt.org')] }, name: 'w2.test' },
  { title: 'wildcard: issuewild naming us allows despite issue for another CA', zone: { 'w3.test': [issue('letsencrypt.org'), issuewild('shomei.test')] }, name: '*.w3.test' },
  { title: 'non-wildcard: issuewild naming us does not help', zone: { 'w4.test': [issue('letsencrypt.org'), issuewild('shomei.test')] }, name: 'w4.test', refused: /no issue property/ },
  { title: 'wildcard without issuewild falls back to issue', zone: { 'w5.test': [issue('shomei.test')] }, name: '*.w5.test' },
  { title: 'wildcard: issuewild ";" refuses', zone: { 'w6.test': [issue('shomei.test'), issuewild(';')] }, name: '*.w6.test', refused: /issuewild property forbids issuance by any CA/ },
  { title: 'critical unknown tag refuses', zone: { 'crit.test': [issue('shomei.test'), { flags: 128, tag: 'tbs', value: 'x' }] }, name: 'crit.test', refused: /property "tbs" is marked critical/ },
  { title: 'non-critical unknown tag is ignored', zone: { 'noncrit.test': [issue('shomei.test'), { flags: 0, tag: 'tbs', value: 'x' }] }, name: 'noncrit.test' },
  { title: 'only non-critical unknown tags: not restricted', zone: { 'unk.test': [{ flags: 0, tag: 'future', value: 'x' }] }, name: 'unk.test' },
  { title: 'only iodef: not restricted', zone: { 'iodef.test': [{ flags: 0, tag: 'iodef', value: 'mailto:sec@iodef.test' }] }, name: 'iodef.test' },
  { title: 'critical iodef is understood', zone: { 'ciodef.test': [{ flags: 128, tag: 'iodef', value: 'mailto:a@b' }, issue('shomei.test', 128)] }, name: 'ciodef.test' },
  { title: 'tree climbing: a record on the parent applies', zone: { 'parent.test': [issue('letsencrypt.org')] }, name: 'a.b.parent.test', refused: /^CAA record for parent\.test prevents issuance for a\.b\.parent\.test/ },
  { title: 'tree climbing: the closest non-empty set wins', zone: { 'p2.test': [issue('letsencrypt.org')], 'child.p2.test': [issue('shomei.test')] }, name: 'x.child.p2.test' },
  { title: 'wildcard climbs from the base name', zone: { 'base.test': [issue('letsencrypt.org')], 'sub.base.test': [issue('shomei.test')] }, name: '*.sub.base.test' },
  { title: 'accounturi equal to the account allows', zone: { 'acct1.test': [issue(`shomei.test; accounturi=${ACCOUNT}`)] }, name: 'acct1.test' },
  { title: 'accounturi of another account refuses', zone: { 'acct2.test': [issue('shomei.test; accounturi=https://ca.shomei.test/acme/acct/7')] }, name: 'acct2.test', refused: /limited to account https:\/\/ca\.shomei\.test\/acme\/acct\/7/ },
  { title: 'validationmethods listing the method allows', zone: { 'vm1.test': [issue('shomei.test; validationmethods=dns-01,http-01')] }, name: 'vm1.test', method: 'http-01' },
  { title: 'validationmethods without the method refuses', zone: { 'vm2.test': [issue('shomei.test; validationmethods=dns-01,http-01')] }, name: 'vm2.test', method: 'tls-alpn-01', refused: /allows validation methods "dns-01,http-01", not tls-alpn-01/ },
  { title: 'both parameters must hold', zone: { 'both.test': [issue(`shomei.test; accounturi=${ACCOUNT}; validationmethods=dns-01`)] }, name: 'both.test', method: 'dns-01' },
  { title: 'unknown parameters are ignored', zone: { 'param.test': [issue('shomei.test; policy=ev; x-y=z')] }, name: 'param.test' },
  { title: 'a malformed issue value authorizes nobody', zone: { 'bad.test': [issue('shomei.test; not a parameter')] }, name: 'bad.test', refused: /no issue property authorizes/ },
  { title: 'parameters restrict only the property they are on', zone: { 'mix.test': [issue('shomei.test; accounturi=https://x/other'), issue('shomei.test')] }, name: 'mix.test' },
];

describe('CAA', () => {
  let dns: TestDnsServer;
  let va: ValidationAuthority;

  before(async () => {
    dns = await startTestDnsServer();
    va = createValidationAuthority(vaConfig({ dnsResolver: dns.address, timeoutMs: 500 }));
  });
  after(() => dns.close());

  for (const c of cases) {
    it(c.title, async () => {
      for (const [owner, records] of Object.entries(c.zone)) dns.setCaa(owner, records);
      const check = va.checkCaa({ name: c.name, accountUri: c.account ?? ACCOUNT, method: c.method ?? 'dns-01' });
      if (c.refused === undefined) {
        await check;
        return;
      }
      const pattern = c.refused;
      await assert.rejects(check, (e: unknown) => {
        assert.ok(isShomeiError(e));
        assert.equal(e.kind, 'caa', e.detail);
        assert.match(e.detail, pattern);
        return true;
      });
    });
  }

  it('follows a CNAME at the name (RFC 8659 §3)', async () => {
    dns.setCname('alias.cn.test', 'target.elsewhere.test');
    dns.setCaa('target.elsewhere.test', [issue('letsencrypt.org')]);
    await assert.rejects(va.checkCaa({ name: 'alias.cn.test', accountUri: ACCOUNT, method: 'dns-01' }), (e: unknown) => isShomeiError(e) && e.kind === 'caa');
  });

  it('SERVFAIL at the name fails closed with dns', async () => {
    dns.setFailure('fail.test', 'servfail');
    await assert.rejects(
      va.checkCaa({ name: 'fail.test', accountUri: ACCOUNT, method: 'dns-01' }),
      (e: unknown) => isShomeiError(e) && e.kind === 'dns' && /SERVFAIL looking up CAA for fail\.test/.test(e.detail),
    );
  });

  it('SERVFAIL on a parent fails closed when the name has no CAA', async () => {
    dns.setFailure('pfail.test', 'servfail');
    await assert.rejects(va.checkCaa({ name: 'www.pfail.test', accountUri: ACCOUNT, method: 'dns-01' }), (e: unknown) => isShomeiError(e) && e.kind === 'dns');
  });

  it('SERVFAIL on a parent does not matter once the name has CAA', async () => {
    dns.setFailure('pfail2.test', 'servfail');
    dns.setCaa('www.pfail2.test', [issue('shomei.test')]);
    await va.checkCaa({ name: 'www.pfail2.test', accountUri: ACCOUNT, method: 'dns-01' });
  });

  it('any of the configured caaIdentities is accepted', async () => {
    const multi = createValidationAuthority(vaConfig({ dnsResolver: dns.address, caaIdentities: ['shomei.test', 'reseller.jp'] }));
    dns.setCaa('multi.test', [issue('reseller.jp')]);
    await multi.checkCaa({ name: 'multi.test', accountUri: ACCOUNT, method: 'dns-01' });
    await assert.rejects(va.checkCaa({ name: 'multi.test', accountUri: ACCOUNT, method: 'dns-01' }));
  });
});

describe('parseIssueValue (RFC 8659 §4.2)', () => {
  const ok: Array<[string, string | null, Record<string, string>]> = [
    ['shomei.test', 'shomei.test', {}],
    ['  Shomei.Test  ', 'shomei.test', {}],
    [';', null, {}],
    ['  ;  ', null, {}],
    ['', null, {}],
    ['ca.example; accounturi=https://ca.example/acct/1', 'ca.example', { accounturi: 'https://ca.example/acct/1' }],
    ['ca.example;a=1;b=2', 'ca.example', { a: '1', b: '2' }],
    ['ca.example; a = 1 ; b=2;', 'ca.example', { a: '1', b: '2' }],
    ['ca.example; empty=', 'ca.example', { empty: '' }],
    ['; a=1', null, { a: '1' }],
  ];
  for (const [input, issuer, params] of ok) {
    it(`parses ${JSON.stringify(input)}`, () => {
      const got = parseIssueValue(input);
      assert.ok(got !== null);
      assert.equal(got.issuerDomainName, issuer);
      assert.deepEqual(Object.fromEntries(got.parameters), params);
    });
  }
  const malformed = ['ca example', 'ca..example', '-ca.example', 'ca.example; a', 'ca.example; a=b c', 'ca.example; a=1; a=2', 'ca.example;;a=1', 'ca.example; a=x;y'];
  for (const input of malformed) {
    it(`refuses ${JSON.stringify(input)}`, () => assert.equal(parseIssueValue(input), null));
  }
  it('parses validationmethods (RFC 8657 §4)', () => {
    assert.deepEqual(parseValidationMethods('dns-01,http-01'), ['dns-01', 'http-01']);
    assert.deepEqual(parseValidationMethods(''), []);
    assert.equal(parseValidationMethods('dns-01, http-01'), null);
  });
});
