/**
 * Types shared by the pre-issuance linter (src/lint/index.ts) and its rules
 * (src/lint/rules/). Kept apart from index.ts so the rule files do not import
 * the module that lists them.
 */
import type { IssuerFacts, LintedCertificate } from './certificate.js';

export type LintSeverity = 'error' | 'warning';

export interface LintFinding {
  /** Stable rule id (`e_…` rules are errors, `w_…` warnings). */
  rule: string;
  severity: LintSeverity;
  message: string;
  /** Where the requirement comes from, e.g. 'BR 7.1.2.7.12' / 'RFC 5280 4.2.1.6'. */
  citation: string;
}

export interface LintContext {
  kind: 'precertificate' | 'certificate';
  /** DER of the issuing CA certificate (for issuer name byte-equality, AKI = issuer SKI, signature algorithm family). */
  issuerDer: Uint8Array;
  /** Issue date: the BR maximum validity in force at this instant applies. */
  at: Date;
  /**
   * TLDs that are not ICANN TLDs but are accepted for this deployment
   * (e.g. ['test'] for test setups; the config's `additionalTlds`). Default [].
   */
  allowedTestTlds?: readonly string[];
  /** Whether a final certificate must embed SCTs (false when CT is disabled). Default true. */
  ctRequired?: boolean;
}

/** The context with its defaults applied, as rules see it. */
export interface ResolvedLintContext {
  kind: 'precertificate' | 'certificate';
  at: Date;
  allowedTestTlds: readonly string[];
  ctRequired: boolean;
}

/** What every rule is handed: the parsed certificate, facts about its issuer, and the context. */
export interface LintTarget {
  cert: LintedCertificate;
  issuer: IssuerFacts;
  ctx: ResolvedLintContext;
}

export interface LintRule {
  /** Stable id: `e_` prefix for errors, `w_` for warnings. */
  readonly id: string;
  readonly severity: LintSeverity;
  readonly citation: string;
  /** One sentence: what the rule requires. */
  readonly description: string;
  /** The problems found, one message per finding; empty when the certificate passes this rule. */
  readonly check: (target: LintTarget) => readonly string[];
}
