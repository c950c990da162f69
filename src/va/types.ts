/**
 * Contract of the validation authority (`va/`). The RA depends on this
 * interface only; `createValidationAuthority` in `va/authority.ts` builds it.
 * Failures are thrown as ShomeiError with kind `connection`, `dns`, `tls`,
 * `incorrectResponse`, `unauthorized` (address policy) or `caa`.
 */
export type ChallengeType = 'http-01' | 'dns-01' | 'tls-alpn-01';

export interface ChallengeValidationRequest {
  type: ChallengeType;
  /** The authorization's base domain (never a wildcard; lower-case). */
  domain: string;
  token: string;
  /** token || '.' || base64url(JWK thumbprint) (RFC 8555 §8.1). */
  keyAuthorization: string;
}

/** What was contacted and seen, stored with the challenge (RFC 8555 §8.2 / BR record keeping). */
export interface ValidationRecord {
  hostname: string;
  port?: number;
  url?: string;
  addressesResolved?: string[];
  addressUsed?: string;
  resolver?: string;
}

export interface CaaCheckRequest {
  /** dNSName as requested (may start with `*.`). */
  name: string;
  /** Account URL for RFC 8657 accounturi. */
  accountUri: string;
  /** Challenge type that validated the name, for RFC 8657 validationmethods. */
  method: ChallengeType;
}

export interface ValidationAuthority {
  validate(req: ChallengeValidationRequest): Promise<ValidationRecord[]>;
  /** Throws ShomeiError('caa') when CAA forbids issuance; ShomeiError('dns') when lookup fails. */
  checkCaa(req: CaaCheckRequest): Promise<void>;
}
