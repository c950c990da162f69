/**
 * RFC 6962 (Certificate Transparency v1) wire structures: the TLS-encoded
 * (RFC 5246 §4) inputs that logs sign and hash, the SCT and its JSON form.
 * Pure functions, shared by the built-in logs (src/ct/log/) and the CT client
 * (src/ct/client/).
 */
import { createHash } from 'node:crypto';
import { ShomeiError } from '../core/errors.js';

export type SignedEntry =
  | { type: 'x509'; certDer: Uint8Array }
  | {
      type: 'precert';
      /** 32 bytes: SHA-256 of the issuer's DER SubjectPublicKeyInfo. */
      issuerKeyHash: Uint8Array;
      /** The precertificate's TBSCertificate with the poison extension removed. */
      tbsDer: Uint8Array;
    };

/** §3.1 LogEntryType. */
export const ENTRY_TYPE = { x509: 0, precert: 1 } as const;
/** §3.2 SignatureType. */
export const SIGNATURE_TYPE = { certificateTimestamp: 0, treeHash: 1 } as const;
/** RFC 5246 §7.4.1.4.1 HashAlgorithm / SignatureAlgorithm values a CT v1 log uses (§2.1.4). */
export const HASH_SHA256 = 4;
export const SIG_ECDSA = 3;
export const SIG_RSA = 1;

const MAX_U16 = 0xffff;
const MAX_U24 = 0xffffff;
const MAX_U64 = (1n << 64n) - 1n;

/** Appends TLS primitives into one buffer. */
class TlsWriter {
  readonly #parts: Uint8Array[] = [];
  #length = 0;

  bytes(b: Uint8Array): this {
    this.#parts.push(b);
    this.#length += b.length;
    return this;
  }
  u8(v: number): this {
    return this.bytes(Uint8Array.of(v & 0xff));
  }
  u16(v: number): this {
    return this.bytes(Uint8Array.of((v >>> 8) & 0xff, v & 0xff));
  }
  u24(v: number): this {
    return this.bytes(Uint8Array.of((v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff));
  }
  u64(v: bigint): this {
    if (v < 0n || v > MAX_U64) throw new ShomeiError('serverInternal', 'uint64 out of range');
    const out = new Uint8Array(8);
    new DataView(out.buffer).setBigUint64(0, v);
    return this.bytes(out);
  }
  /** opaque<min..2^16-1>. */
  vec16(b: Uint8Array, what: string, min = 0): this {
    if (b.length < min || b.length > MAX_U16) throw new ShomeiError('serverInternal', `${what}: length ${b.length} outside <${min}..2^16-1>`);
    return this.u16(b.length).bytes(b);
  }
  /** opaque<min..2^24-1>. */
  vec24(b: Uint8Array, what: string, min = 1): this {
    if (b.length < min || b.length > MAX_U24) throw new ShomeiError('serverInternal', `${what}: length ${b.length} outside <${min}..2^24-1>`);
    return this.u24(b.length).bytes(b);
  }
  finish(): Uint8Array {
    const out = new Uint8Array(this.#length);
    let pos = 0;
    for (const p of this.#parts) {
      out.set(p, pos);
      pos += p.length;
    }
    return out;
  }
}

/** Reads TLS primitives; every read checks bounds. */
class TlsReader {
  #pos = 0;
  constructor(
    private readonly buf: Uint8Array,
    private readonly what: string,
  ) {}

  #take(n: number): Uint8Array {
    if (this.#pos + n > this.buf.length) throw new ShomeiError('serverInternal', `${this.what}: truncated`);
    const out = this.buf.subarray(this.#pos, this.#pos + n);
    this.#pos += n;
    return out;
  }
  u8(): number {
    return this.#take(1)[0]!;
  }
  u16(): number {
    const b = this.#take(2);
    return (b[0]! << 8) | b[1]!;
  }
  u64(): bigint {
    const b = this.#take(8);
    return new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0);
  }
  fixed(n: number): Uint8Array {
    return Uint8Array.from(this.#take(n));
  }
  vec16(): Uint8Array {
    return Uint8Array.from(this.#take(this.u16()));
  }
  end(): void {
    if (this.#pos !== this.buf.length) throw new ShomeiError('serverInternal', `${this.what}: ${this.buf.length - this.#pos} trailing bytes`);
  }
}

function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

/** entry_type, signed_entry (§3.2 / §3.4): the part shared by the SCT input and the Merkle leaf. */
function writeEntry(w: TlsWriter, entry: SignedEntry): void {
  if (entry.type === 'x509') {
    w.u16(ENTRY_TYPE.x509).vec24(entry.certDer, 'ASN.1Cert');
    return;
  }
  if (entry.issuerKeyHash.length !== 32) throw new ShomeiError('serverInternal', 'PreCert.issuer_key_hash must be 32 bytes');
  w.u16(ENTRY_TYPE.precert).bytes(entry.issuerKeyHash).vec24(entry.tbsDer, 'TBSCertificate');
}

/**
 * RFC 6962 §3.2: the `digitally-signed` input of an SCT v1 — sct_version v1
 * (0), signature_type certificate_timestamp (0), timestamp, entry_type,
 * signed_entry, extensions<0..2^16-1>.
 */
export function sctSignatureInput(timestampMs: bigint, entry: SignedEntry, extensions: Uint8Array): Uint8Array {
  const w = new TlsWriter().u8(0).u8(SIGNATURE_TYPE.certificateTimestamp).u64(timestampMs);
  writeEntry(w, entry);
  return w.vec16(extensions, 'CtExtensions').finish();
}

/**
 * RFC 6962 §3.4 MerkleTreeLeaf: version v1 (0), leaf_type timestamped_entry
 * (0), TimestampedEntry { timestamp, entry_type, signed_entry, extensions }.
 */
export function merkleTreeLeaf(timestampMs: bigint, entry: SignedEntry, extensions: Uint8Array): Uint8Array {
  const w = new TlsWriter().u8(0).u8(0).u64(timestampMs);
  writeEntry(w, entry);
  return w.vec16(extensions, 'CtExtensions').finish();
}

/** RFC 6962 §2.1: MTH({d(0)}) = SHA-256(0x00 || d(0)). */
export function leafHash(leaf: Uint8Array): Uint8Array {
  return sha256(Uint8Array.of(0x00), leaf);
}

/** RFC 6962 §2.1: SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n])). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(Uint8Array.of(0x01), left, right);
}

export interface Sct {
  /** 32 bytes: SHA-256 of the log's DER SubjectPublicKeyInfo. */
  logId: Uint8Array;
  timestampMs: bigint;
  extensions: Uint8Array;
  /** 4 = sha256. */
  hashAlgorithm: number;
  /** 3 = ecdsa, 1 = rsa. */
  signatureAlgorithm: number;
  /** DER ECDSA-Sig-Value (or RSASSA-PKCS1-v1_5 signature). */
  signature: Uint8Array;
}

/** DigitallySigned (RFC 5246 §4.7): hash alg (1 byte), sig alg (1 byte), opaque signature<0..2^16-1>. */
export function encodeDigitallySigned(hashAlg: number, sigAlg: number, sig: Uint8Array): Uint8Array {
  return new TlsWriter().u8(hashAlg).u8(sigAlg).vec16(sig, 'DigitallySigned.signature').finish();
}

export function decodeDigitallySigned(b: Uint8Array): { hashAlgorithm: number; signatureAlgorithm: number; signature: Uint8Array } {
  const r = new TlsReader(b, 'DigitallySigned');
  const hashAlgorithm = r.u8();
  const signatureAlgorithm = r.u8();
  const signature = r.vec16();
  r.end();
  return { hashAlgorithm, signatureAlgorithm, signature };
}

/** RFC 6962 §3.2 SignedCertificateTimestamp, TLS encoding (sct_version v1 = 0). */
export function encodeSct(s: Sct): Uint8Array {
  if (s.logId.length !== 32) throw new ShomeiError('serverInternal', 'SCT log id must be 32 bytes');
  return new TlsWriter()
    .u8(0)
    .bytes(s.logId)
    .u64(s.timestampMs)
    .vec16(s.extensions, 'CtExtensions')
    .bytes(encodeDigitallySigned(s.hashAlgorithm, s.signatureAlgorithm, s.signature))
    .finish();
}

/** Inverse of encodeSct; throws on another version, bad lengths or trailing bytes. */
export function decodeSct(b: Uint8Array): Sct {
  const r = new TlsReader(b, 'SignedCertificateTimestamp');
  const version = r.u8();
  if (version !== 0) throw new ShomeiError('serverInternal', `SCT version ${version} is not v1`);
  const logId = r.fixed(32);
  const timestampMs = r.u64();
  const extensions = r.vec16();
  const hashAlgorithm = r.u8();
  const signatureAlgorithm = r.u8();
  const signature = r.vec16();
  r.end();
  return { logId, timestampMs, extensions, hashAlgorithm, signatureAlgorithm, signature };
}

const B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Strict standard base64 (RFC 4648 §4, padded) to bytes; throws `kind` on anything else. */
export function base64Strict(s: unknown, what: string, kind: 'serverInternal' | 'malformed' = 'serverInternal'): Uint8Array {
  if (typeof s !== 'string' || !B64.test(s)) throw new ShomeiError(kind, `${what} is not base64`);
  return new Uint8Array(Buffer.from(s, 'base64'));
}

export function toBase64(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
}

export interface SctJson {
  sct_version: 0;
  id: string;
  timestamp: number;
  extensions: string;
  signature: string;
}

/** §4.1 response of add-chain / add-pre-chain; `signature` is the base64 DigitallySigned struct. */
export function sctToJson(s: Sct): SctJson {
  if (s.logId.length !== 32) throw new ShomeiError('serverInternal', 'SCT log id must be 32 bytes');
  if (s.timestampMs < 0n || s.timestampMs > BigInt(Number.MAX_SAFE_INTEGER)) throw new ShomeiError('serverInternal', 'SCT timestamp out of range');
  return {
    sct_version: 0,
    id: toBase64(s.logId),
    timestamp: Number(s.timestampMs),
    extensions: toBase64(s.extensions),
    signature: toBase64(encodeDigitallySigned(s.hashAlgorithm, s.signatureAlgorithm, s.signature)),
  };
}

/** Parse a log's §4.1 JSON answer; throws ShomeiError('serverInternal') on anything malformed. */
export function sctFromJson(j: unknown): Sct {
  if (typeof j !== 'object' || j === null || Array.isArray(j)) throw new ShomeiError('serverInternal', 'SCT response is not a JSON object');
  const o = j as Record<string, unknown>;
  if (o.sct_version !== 0) throw new ShomeiError('serverInternal', 'SCT response: sct_version is not v1 (0)');
  const logId = base64Strict(o.id, 'SCT response id');
  if (logId.length !== 32) throw new ShomeiError('serverInternal', 'SCT response: id is not 32 bytes');
  const ts = o.timestamp;
  if (typeof ts !== 'number' || !Number.isSafeInteger(ts) || ts < 0) throw new ShomeiError('serverInternal', 'SCT response: bad timestamp');
  const extensions = base64Strict(o.extensions ?? '', 'SCT response extensions');
  if (extensions.length > MAX_U16) throw new ShomeiError('serverInternal', 'SCT response: extensions too long');
  const ds = decodeDigitallySigned(base64Strict(o.signature, 'SCT response signature'));
  return { logId, timestampMs: BigInt(ts), extensions, ...ds };
}

/**
 * RFC 6962 §3.5 TreeHeadSignature input: version v1 (0), signature_type
 * tree_hash (1), timestamp, tree_size, sha256_root_hash.
 */
export function treeHeadSignatureInput(timestampMs: bigint, treeSize: bigint, rootHash: Uint8Array): Uint8Array {
  if (rootHash.length !== 32) throw new ShomeiError('serverInternal', 'STH root hash must be 32 bytes');
  return new TlsWriter().u8(0).u8(SIGNATURE_TYPE.treeHash).u64(timestampMs).u64(treeSize).bytes(rootHash).finish();
}

/** Log ID = SHA-256 of the log's DER SubjectPublicKeyInfo (§3.2). */
export function logIdOf(spkiDer: Uint8Array): Uint8Array {
  return sha256(spkiDer);
}

/**
 * §4.6 extra_data of an x509_entry: ASN.1Cert certificate_chain<0..2^24-1>
 * (the chain after the leaf, each ASN.1Cert<1..2^24-1>).
 */
export function encodeCertificateChain(chain: readonly Uint8Array[]): Uint8Array {
  const inner = new TlsWriter();
  for (const c of chain) inner.vec24(c, 'ASN.1Cert');
  return new TlsWriter().vec24(inner.finish(), 'certificate_chain', 0).finish();
}

/**
 * §4.6 extra_data of a precert_entry: PrecertChainEntry { ASN.1Cert
 * pre_certificate; ASN.1Cert precertificate_chain<0..2^24-1> }.
 */
export function encodePrecertChainEntry(precertDer: Uint8Array, chain: readonly Uint8Array[]): Uint8Array {
  return new TlsWriter().vec24(precertDer, 'pre_certificate').bytes(encodeCertificateChain(chain)).finish();
}
