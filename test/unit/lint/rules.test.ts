// One deliberately broken certificate per lint rule (test/unit/lint/rule-cases.ts):
// each must be reported by exactly its rule (plus any declared unavoidable
// co-findings), with the rule's severity; and every rule in LINT_RULES has a case.
import { strict as assert } from 'node:assert';
import { before, describe, it } from 'node:test';
import { LINT_RULES, lintCertificate, type LintContext } from '../../../src/lint/index.js';
import { buildLeaf, lintFixture, type LintFixture } from '../../support/cert-builder.js';
import { RULE_CASES } from './rule-cases.js';

let fx: LintFixture;
before(async () => {
  fx = await lintFixture();
});

function contextFor(c: (typeof RULE_CASES)[number]): LintContext {
  return { kind: c.leaf?.kind ?? 'certificate', issuerDer: fx.issuerDer, at: fx.at, ...c.ctx };
}

describe('lint rules: one broken certificate per rule', () => {
  for (const c of RULE_CASES) {
    it(`${c.rule}: ${c.name}`, () => {
      const der = c.der !== undefined ? c.der(fx) : buildLeaf(fx, c.leaf);
      const findings = lintCertificate(der, contextFor(c));
      const reported = [...new Set(findings.map((f) => f.rule))].sort();
      assert.deepEqual(reported, [...new Set([c.rule, ...(c.also ?? [])])].sort(), JSON.stringify(findings, null, 2));
      const rule = LINT_RULES.find((r) => r.id === c.rule);
      assert.ok(rule, `${c.rule} is in LINT_RULES`);
      for (const f of findings.filter((x) => x.rule === c.rule)) {
        assert.equal(f.severity, rule.severity);
        assert.equal(f.severity, c.rule.startsWith('e_') ? 'error' : 'warning');
        assert.equal(f.citation, rule.citation);
        assert.ok(f.message.length > 0);
      }
    });
  }

  it('every rule in LINT_RULES has at least one case', () => {
    const covered = new Set(RULE_CASES.map((c) => c.rule));
    const missing = LINT_RULES.map((r) => r.id).filter((id) => !covered.has(id));
    assert.deepEqual(missing, []);
  });

  it('every case names a rule that exists', () => {
    const ids = new Set(LINT_RULES.map((r) => r.id));
    assert.deepEqual(RULE_CASES.map((c) => c.rule).filter((id) => !ids.has(id)), []);
  });
});
