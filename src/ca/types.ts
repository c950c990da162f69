/**
 * Contract of the signing component (`ca/`). The RA depends on this
 * interface only; `createCertificateAuthority` in `ca/authority.ts` builds it.
 */

/** What a checked CSR yields: only the key and names are ever used (never other CSR fields). */
export interface CheckedCsr {
  /** DER SubjectPublicKeyInfo of the subscriber key. */
  spki: Uint8Array;
  /** SHA-256 of the SPKI DER, hex: used to compare keys (account key reuse, blocked keys). */
  spkiSha256: string;
  /** dNSName SANs (and CN if present) lower-cased, deduplicated, sorted. */
  names: string[];
  keyType: 'RSA' | 'P-256' | 'P-384';
  /** RSA modulus size in bits; undefined for EC. */
  rsaBits?: number;
}

export interface IssueRequest {
  /** Positive serial, hex, from `newSerial()`; never reused. */
  serialHex: string;
  spki: Uint8Array;
  /** dNSNames for the SAN, in the order to put them (CN = first when enabled and ≤ 64 chars). */
  names: string[];
  /** Signing time (from the injected clock). */
  now: Date;
}

/** A precertificate request: the certificate's fields plus where its CRL lives. */
export interface PrecertificateRequest extends IssueRequest {
  /** http:// URL of the CRL shard the certificate is listed on when revoked. */
  crlUrl: string;
}

export interface IssuedCertificate {
  serialHex: string;
  der: Uint8Array;
  /** Leaf PEM only. */
  pem: string;
  notBefore: Date;
  notAfter: Date;
}

export interface CertificateAuthority {
  /** 128 bits of CSPRNG output, positive, DER-minimal, hex lower-case (BR §7.1.2.7). */
  newSerial(): string;
  /** A certificate without CT or CRL DP (the CA's own listener certificate). */
  issue(req: IssueRequest): Promise<IssuedCertificate>;
  /**
   * Issuance step 1 (BR §4.3.1.2, RFC 6962 §3.1): build the precertificate
   * (CRL DP, CT poison), lint it, then sign it with the issuing CA key.
   * Lint errors throw `LintError` (ca/authority.ts) and nothing is signed.
   */
  issuePrecertificate(req: PrecertificateRequest): Promise<IssuedCertificate>;
  /**
   * Issuance step 2: the final certificate — the precertificate's TBS byte
   * for byte with the poison replaced in place by the SCT list (or removed
   * when `scts` is null: CT disabled) — linted, then signed.
   */
  issueFromPrecertificate(precertDer: Uint8Array, scts: readonly Uint8Array[] | null, at: Date): Promise<IssuedCertificate>;
  /** Hex subjectKeyIdentifier of the issuing CA: every leaf's AKI, the CRL issuer id. */
  issuerKeyIdHex(): string;
  /** PEM of the issuing intermediate (what follows the leaf in a chain). */
  intermediatePem(): string;
  intermediateDer(): Uint8Array;
  rootPem(): string;
  rootDer(): Uint8Array;
  /** Absolute path of the root certificate file users add to their trust store. */
  rootPath(): string;
}
