/**
 * The rule table of docs/architecture.md "Pre-issuance linting", generated
 * from LINT_RULES (test/unit/lint/lint.test.ts keeps the document in sync;
 * `node --import tsx scripts/lint-rules-doc.ts` rewrites it).
 */
import { LINT_RULES } from './rules/index.js';

export const LINT_DOC_BEGIN = '<!-- lint-rules:begin (generated from LINT_RULES: node --import tsx scripts/lint-rules-doc.ts) -->';
export const LINT_DOC_END = '<!-- lint-rules:end -->';

/** The Markdown table of every rule: id, severity, citation, description. */
export function lintRulesMarkdown(): string {
  const rows = LINT_RULES.map((r) => `| \`${r.id}\` | ${r.severity} | ${r.citation} | ${r.description.replace(/\|/g, '\\|')} |`);
  return ['| rule | severity | citation | requires |', '|---|---|---|---|', ...rows].join('\n');
}

/** `doc` with the block between the markers replaced by the current table; throws when the markers are missing. */
export function withLintRulesTable(doc: string): string {
  const begin = doc.indexOf(LINT_DOC_BEGIN);
  const end = doc.indexOf(LINT_DOC_END);
  if (begin < 0 || end < begin) throw new Error('lint rule markers not found');
  return `${doc.slice(0, begin + LINT_DOC_BEGIN.length)}\n${lintRulesMarkdown()}\n${doc.slice(end)}`;
}
