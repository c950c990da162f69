/**
 * Types of usage-FQDN screening (SPEC §5.1, terms AT 4 / AT 5).
 */

export interface ScreeningPolicy {
  /** Lower-case TLDs (A-labels). Empty = every ICANN TLD (plus additionalTlds) is allowed. */
  tldAllowList: readonly string[];
  tldBlockList: readonly string[];
  /** High-risk / blocked names: an entry blocks that name and every name below it. */
  blockedNames: readonly string[];
  /** TLDs treated as delegated although not in the ICANN list (e.g. "test" for test setups). */
  additionalTlds: readonly string[];
}

export type ScreeningReasonCode =
  /** Nothing left after trimming (and dropping one trailing dot). */
  | 'empty'
  /** Not an LDH name: bad characters, empty / over-long / hyphen-edged labels, R-LDH labels other than xn--, > 253 characters. */
  | 'syntax'
  /** U-labels that IDNA cannot convert, or an `xn--` label that is not a valid A-label. */
  | 'idna'
  /** An IPv4 / IPv6 address (bare or bracketed), or a name ending in a number (URL parsers read it as IPv4). */
  | 'ip-literal'
  /** `*` anywhere but as the whole leftmost label. */
  | 'wildcard-position'
  /** Fewer than two labels (besides a wildcard). */
  | 'single-label'
  /** A reverse-DNS name under .arpa. */
  | 'reverse-dns'
  /** The TLD is neither an ICANN TLD nor in additionalTlds (BR "Internal Name"). */
  | 'internal-name'
  /** The name (or the name below the wildcard) is a public suffix, private PSL section included. */
  | 'public-suffix'
  | 'tld-not-allowed'
  | 'tld-blocked'
  | 'blocked-name';

export interface ScreeningReason {
  code: ScreeningReasonCode;
  detail: string;
}

export type ScreeningResult =
  | { ok: true; /** canonical A-label form, lower case, '*.' kept */ fqdn: string; reasons: [] }
  | { ok: false; /** canonical form when one could be computed */ fqdn: string | null; reasons: ScreeningReason[] };

/** A name after canonicalisation, as the individual checks see it. */
export interface Candidate {
  /** Canonical form: lower case, A-labels, no trailing dot, `*.` kept. */
  fqdn: string;
  /** True when fqdn starts with the whole-label wildcard `*.`. */
  wildcard: boolean;
  /** fqdn without a leading `*.`. */
  base: string;
  /** Labels of base. */
  labels: readonly string[];
  /** Last label of base ('' when base ends with an empty label). */
  tld: string;
}

/** One screening check: every reason it finds, [] when the name passes it. Policy lists are already normalised. */
export type ScreeningCheck = (c: Candidate, policy: ScreeningPolicy) => ScreeningReason[];
