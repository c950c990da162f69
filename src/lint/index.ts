/**
 * Pre-issuance linting (BR §4.3.1.2, SC-075): every precertificate and
 * certificate is linted before the CA key signs it, and any error stops
 * issuance. The linter reads the DER itself (src/lint/certificate.ts) and
 * checks it against the BR DV subscriber profile as Shomei issues it
 * (WEBPKI.md §1.7–§1.9), independently of the code that built it.
 *
 * The certificate may carry a signature from a throwaway "lint key" (BR
 * §4.3.1.2 allows a dummy key), so no rule verifies the signature value; the
 * signature *algorithm* is checked against the issuer's key instead.
 */
import { DerError } from '../ca/der.js';
import { ShomeiError } from '../core/errors.js';
import { issuerFactsOf, parseLintedCertificate, type IssuerFacts, type LintedCertificate } from './certificate.js';
import { LINT_RULES } from './rules/index.js';
import { derInvalid } from './rules/der-invalid.js';
import type { LintContext, LintFinding, LintTarget } from './types.js';

export type { LintContext, LintFinding, LintRule, LintSeverity } from './types.js';
export { LINT_RULES } from './rules/index.js';

/** Issuer facts by the identity of the DER array, with a copy of its bytes (the CA passes the same array each time). */
const issuerCache = new WeakMap<Uint8Array, { bytes: Buffer; facts: IssuerFacts }>();

function issuerFacts(issuerDer: Uint8Array): IssuerFacts {
  const hit = issuerCache.get(issuerDer);
  if (hit !== undefined && hit.bytes.equals(issuerDer)) return hit.facts;
  try {
    const facts = issuerFactsOf(issuerDer);
    issuerCache.set(issuerDer, { bytes: Buffer.from(issuerDer), facts });
    return facts;
  } catch (e) {
    if (e instanceof DerError) throw new ShomeiError('serverInternal', `lint: the issuing CA certificate does not parse: ${e.message}`);
    throw e;
  }
}

/** Lint `der` (a precertificate or certificate) against the DV subscriber profile; [] when it is clean. */
export function lintCertificate(der: Uint8Array, ctx: LintContext): LintFinding[] {
  const issuer = issuerFacts(ctx.issuerDer);
  let cert: LintedCertificate;
  try {
    cert = parseLintedCertificate(der);
  } catch (e) {
    if (!(e instanceof DerError)) throw e;
    return [{ rule: derInvalid.id, severity: derInvalid.severity, citation: derInvalid.citation, message: `not a DER certificate: ${e.message}` }];
  }
  const target: LintTarget = {
    cert,
    issuer,
    ctx: {
      kind: ctx.kind,
      at: ctx.at,
      allowedTestTlds: ctx.allowedTestTlds ?? [],
      ctRequired: ctx.ctRequired ?? true,
    },
  };
  const findings: LintFinding[] = [];
  for (const rule of LINT_RULES) {
    for (const message of rule.check(target)) {
      findings.push({ rule: rule.id, severity: rule.severity, citation: rule.citation, message });
    }
  }
  return findings;
}

/**
 * Throws ShomeiError('serverInternal', …) listing the error findings (rule
 * ids and messages) when any finding has severity 'error'; warnings pass.
 * `what` names the object in the message, e.g. "precertificate serial 0a1b…".
 */
export function assertLintClean(findings: LintFinding[], what: string): void {
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.length === 0) return;
  const list = errors.map((f) => `${f.rule}: ${f.message} [${f.citation}]`).join('; ');
  throw new ShomeiError('serverInternal', `pre-issuance lint failed for ${what} (${errors.length} error${errors.length === 1 ? '' : 's'}): ${list}`);
}
