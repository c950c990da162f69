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
  issue(req: IssueRequest): Promise<IssuedCertificate>;
  /** PEM of the issuing intermediate (what follows the leaf in a chain). */
  intermediatePem(): string;
  intermediateDer(): Uint8Array;
  rootPem(): string;
  rootDer(): Uint8Array;
  /** Absolute path of the root certificate file users add to their trust store. */
  rootPath(): string;
}
