// The pre-issuance linter as a whole (BR §4.3.1.2): certificates from the real
// DV profile are clean, boundaries of the date-dependent rules fall on the
// right side, assertLintClean stops on errors only, LINT_RULES is well formed
// and docs/architecture.md lists exactly its rules.
import { strict as assert } from 'node:assert';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { signCertificate } from '../../../src/ca/sign-certificate.js';
import { computeValidity } from '../../../src/ca/validity.js';
import { ShomeiError } from '../../../src/core/errors.js';
import { LINT_RULES, assertLintClean, lintCertificate, type LintContext, type LintFinding } from '../../../src/lint/index.js';
import { LINT_DOC_BEGIN, LINT_DOC_END, lintRulesMarkdown } from '../../../src/lint/rules-doc.js';
import {
  CRL_URL,
  OIDS,
  buildLeaf,
  ext,
  hexBytes,
  lintFixture,
  octets,
  replaceExt,
  sctListExt,
  type LeafOptions,
  type LintFixture,
} from '../../support/cert-builder.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

let fx: LintFixture;
before(async () => {
  fx = await lintFixture();
});

function lint(der: Uint8Array, ctx: Partial<Omit<LintContext, 'issuerDer'>> = {}): LintFinding[] {
  return lintCertificate(der, { kind: 'certificate', issuerDer: fx.issuerDer, at: fx.at, ...ctx });
}

function clean(o: LeafOptions, ctx: Partial<Omit<LintContext, 'issuerDer'>> = {}): void {
  const findings = lint(buildLeaf(fx, o), { kind: o.kind ?? 'certificate', ...ctx });
  assert.deepEqual(findings, []);
}

describe('lintCertificate: certificates from the real DV profile are clean', () => {
  it('ECDSA P-256 certificate with CN and an SCT list', () => clean({}));
  it('ECDSA precertificate with the poison', () => clean({ kind: 'precertificate' }));
  it('RSA-2048 certificate (digitalSignature + keyEncipherment)', () => clean({ spki: fx.rsaSpki }));
  it('ECDSA P-384 subscriber key', () => {
    const spki = new Uint8Array(generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ type: 'spki', format: 'der' }));
    clean({ spki });
  });
  it('empty subject with a critical SAN', () => clean({ includeCommonName: false }));
  it('wildcard name and an IDN A-label', () => clean({ names: ['*.example.com', 'xn--bcher-kva.com'] }));
  it('a .test name when the context allows the test TLD', () => clean({ names: ['www.shomei.test'] }, { allowedTestTlds: ['test'] }));
  it('no SCT list when CT is disabled', () => clean({ extensions: (e) => replaceExt(e, OIDS.sctList, null) }, { ctRequired: false }));
  it('basicConstraints absent (BR 7.1.2.7.8: MAY)', () => clean({ extensions: (e) => replaceExt(e, OIDS.basicConstraints, null) }));
  it('a reverse-DNS name before 2026-03-15, when the BR still allowed it', () => {
    const at = new Date('2026-03-14T12:00:00Z');
    clean({ names: ['1.2.0.192.in-addr.arpa'], notBefore: new Date(at.getTime() - HOUR), notAfter: new Date(at.getTime() + 90 * DAY) }, { at });
  });

  it('a precertificate and certificate signed by the real issuing CA key are clean too', async () => {
    const validity = computeValidity(fx.at, { validityDays: 90, backdateSeconds: 3600, timeZone: 'Asia/Tokyo' });
    const req = { serial: hexBytes('7f'.repeat(16)), spki: fx.ecSpki, names: ['shop.example.com'], crlUrl: CRL_URL, ...validity };
    const precert = await signCertificate(fx.profileCn.fields({ ...req, precertificate: true }), fx.ca.signer);
    assert.deepEqual(lint(precert, { kind: 'precertificate' }), []);
    const fields = fx.profileCn.fields(req);
    const der = await signCertificate({ ...fields, extensions: [...fields.extensions, sctListExt()] }, fx.ca.signer);
    assert.deepEqual(lint(der), []);
  });
});

describe('lintCertificate: boundaries', () => {
  const nb = (): Date => new Date(fx.at.getTime() - HOUR);

  it('validity of exactly 200 days (inclusive) passes on 2026-11-23, one second more fails', () => {
    const three = (e: Uint8Array[]): Uint8Array[] => replaceExt(e, OIDS.sctList, sctListExt(3));
    clean({ notBefore: nb(), notAfter: new Date(nb().getTime() + 200 * DAY - 1000), extensions: three });
    const over = lint(buildLeaf(fx, { notBefore: nb(), notAfter: new Date(nb().getTime() + 200 * DAY), extensions: three }));
    assert.deepEqual(over.map((f) => f.rule), ['e_validity_too_long']);
  });

  it('the maximum in force on the issue date applies (200 days until 2027-03-15, then 100)', () => {
    const start = new Date('2027-03-14T23:00:00Z');
    const leaf = buildLeaf(fx, { notBefore: start, notAfter: new Date(start.getTime() + 150 * DAY - 1000) });
    assert.deepEqual(lint(leaf, { at: new Date('2027-03-14T23:59:59Z') }), []);
    assert.deepEqual(lint(leaf, { at: new Date('2027-03-15T00:00:00Z') }).map((f) => f.rule), ['e_validity_too_long']);
  });

  it('notBefore exactly 48 h from signing passes, 48 h + 1 s fails', () => {
    const na = new Date(fx.at.getTime() + 60 * DAY);
    clean({ notBefore: new Date(fx.at.getTime() - 48 * HOUR), notAfter: na });
    const late = lint(buildLeaf(fx, { notBefore: new Date(fx.at.getTime() - 48 * HOUR - 1000), notAfter: na }));
    assert.deepEqual(late.map((f) => f.rule), ['e_not_before_far_from_signing']);
  });

  it('serials: 8 value octets, a sign octet + 8, and 20 octets pass', () => {
    for (const serial of ['0102030405060708', '00ff02030405060708', `7f${'ab'.repeat(19)}`]) clean({ serial: hexBytes(serial) });
  });

  it('more than 180 days needs SCTs from 3 logs, up to 180 days 2', () => {
    const longLeaf = { notBefore: nb(), notAfter: new Date(nb().getTime() + 181 * DAY) };
    assert.deepEqual(lint(buildLeaf(fx, longLeaf)).map((f) => f.rule), ['w_ct_too_few_scts']);
    clean({ ...longLeaf, extensions: (e) => replaceExt(e, OIDS.sctList, sctListExt(3)) });
    clean({ notBefore: nb(), notAfter: new Date(nb().getTime() + 180 * DAY - 1000) });
  });

  it('findings carry the rule id, severity, citation and a message', () => {
    const [f] = lint(buildLeaf(fx, { extensions: (e) => replaceExt(e, OIDS.keyUsage, null) }));
    assert.deepEqual(
      { ...f, message: typeof f?.message },
      { rule: 'e_key_usage_missing', severity: 'error', citation: 'BR 7.1.2.7.11', message: 'string' },
    );
  });

  it('reports several problems of one certificate together', () => {
    const der = buildLeaf(fx, {
      extensions: (e) => replaceExt(replaceExt(e, OIDS.keyUsage, null), OIDS.crlDistributionPoints, null),
      serial: hexBytes('0102'),
    });
    assert.deepEqual(lint(der).map((f) => f.rule), ['e_serial_low_entropy', 'e_key_usage_missing', 'e_crl_dp_missing']);
  });

  it('an issuer certificate that does not parse is a serverInternal error, not a finding', () => {
    assert.throws(
      () => lintCertificate(buildLeaf(fx), { kind: 'certificate', issuerDer: Uint8Array.of(0x30, 0x03, 0x02), at: fx.at }),
      (e: unknown) => e instanceof ShomeiError && e.kind === 'serverInternal' && /issuing CA certificate does not parse/.test(e.message),
    );
  });
});

describe('assertLintClean', () => {
  it('throws serverInternal listing each error rule and message, not the warnings', () => {
    const der = buildLeaf(fx, {
      extensions: (e) => [...replaceExt(e, OIDS.extKeyUsage, null), ext(OIDS.subjectKeyIdentifier, false, octets(new Uint8Array(20)))],
    });
    const findings = lint(der);
    assert.deepEqual(findings.map((f) => [f.rule, f.severity]), [
      ['e_eku_missing', 'error'],
      ['w_ski_present', 'warning'],
    ]);
    assert.throws(
      () => assertLintClean(findings, 'precertificate serial 0a0b'),
      (e: unknown) =>
        e instanceof ShomeiError &&
        e.kind === 'serverInternal' &&
        e.message.includes('precertificate serial 0a0b') &&
        e.message.includes('e_eku_missing: extKeyUsage is missing') &&
        !e.message.includes('w_ski_present'),
    );
  });

  it('lets findings of severity warning through and stops on a single error', () => {
    const warning: LintFinding = { rule: 'w_ski_present', severity: 'warning', message: 'subjectKeyIdentifier is present', citation: 'BR 7.1.2.11.4' };
    const error: LintFinding = { rule: 'e_aia_missing', severity: 'error', message: 'authorityInformationAccess is missing', citation: 'BR 7.1.2.7.7' };
    assert.equal(assertLintClean([warning], 'certificate'), undefined);
    assert.equal(assertLintClean([], 'certificate'), undefined);
    assert.throws(() => assertLintClean([warning, error], 'certificate'), /1 error\): e_aia_missing: authorityInformationAccess is missing/);
  });
});

describe('LINT_RULES', () => {
  it('has unique ids whose e_/w_ prefix matches the severity, each with a citation and description', () => {
    const ids = LINT_RULES.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const r of LINT_RULES) {
      assert.match(r.id, /^[ew]_[a-z0-9_]+$/);
      assert.equal(r.severity, r.id.startsWith('e_') ? 'error' : 'warning', r.id);
      assert.match(r.citation, /^(BR|RFC|X\.690|MRSP|CRP|CTP|APPLE-CT) /, r.id);
      assert.ok(r.description.length > 10, r.id);
    }
  });

  it('cannot be changed at run time', () => {
    assert.ok(Object.isFrozen(LINT_RULES));
  });

  it('docs/architecture.md lists exactly the rules of LINT_RULES', () => {
    const doc = readFileSync(new URL('../../../docs/architecture.md', import.meta.url), 'utf8');
    const begin = doc.indexOf(LINT_DOC_BEGIN);
    const end = doc.indexOf(LINT_DOC_END);
    assert.ok(begin >= 0 && end > begin, 'the lint rule markers are in docs/architecture.md');
    const block = doc.slice(begin + LINT_DOC_BEGIN.length, end).trim();
    assert.equal(block, lintRulesMarkdown(), 'run: node --import tsx scripts/lint-rules-doc.ts');
  });
});
