/** Types shared by the built-in CT logs (src/ct/log/) and the CT client (src/ct/client/). */

/** One RFC 6962 log as the issuance pipeline sees it. */
export interface CtLogDescriptor {
  name: string;
  /** Base URL ending with '/', e.g. http://localhost:14080/ct/shomei-dev-a/ (the API is under `ct/v1/`). */
  url: string;
  operator: string;
  /** DER SubjectPublicKeyInfo of the log's P-256 key. */
  publicKeySpki: Uint8Array;
  /** SHA-256 of publicKeySpki (RFC 6962 §3.2). */
  logId: Uint8Array;
  /** Maximum merge delay the log promises, in seconds (RFC 6962 §3). */
  mmdSeconds: number;
  /** Temporal shard (Chrome log_policy.md): the log only accepts certificates whose notAfter is ≥ this. */
  startInclusive?: Date;
  /** Temporal shard: the log only accepts certificates whose notAfter is < this. */
  endExclusive?: Date;
}
