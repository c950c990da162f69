// Rewrites the generated rule table of docs/architecture.md "Pre-issuance
// linting" from LINT_RULES. Usage: node --import tsx scripts/lint-rules-doc.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { withLintRulesTable } from '../src/lint/rules-doc.js';

const path = new URL('../docs/architecture.md', import.meta.url);
const before = readFileSync(path, 'utf8');
const after = withLintRulesTable(before);
if (after !== before) writeFileSync(path, after);
console.log(after === before ? 'docs/architecture.md: lint rules already up to date' : 'docs/architecture.md: lint rules rewritten');
