/**
 * The DER (X.690 §10) primitives of the CA's hot paths: a strict TLV reader
 * (CSR and SubjectPublicKeyInfo parsing, raw bytes that must be compared or
 * signed exactly as encoded) and the encoders the certificate builder
 * concatenates (INTEGER, OBJECT IDENTIFIER, times, constructed types).
 * @peculiar/asn1-schema is only used off the hot path (CA start-up).
 */

export interface Tlv {
  tag: number;
  /** Offset of the first content byte. */
  contentStart: number;
  /** Offset one past the last content byte (= end of the element). */
  end: number;
  /** Offset of the tag byte. */
  start: number;
}

export class DerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DerError';
  }
}

/**
 * Read one element at `offset`. Single-byte tags only (all X.509 tags are);
 * definite, minimal length encoding only (X.690 §10.1: DER forbids the
 * indefinite form and §8.1.3.5 + DER requires the shortest length form).
 */
export function readTlv(buf: Uint8Array, offset = 0, limit = buf.length): Tlv {
  if (offset + 2 > limit) throw new DerError('truncated element');
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte tags are not used in X.509');
  let pos = offset + 1;
  const first = buf[pos++]!;
  let length: number;
  if (first < 0x80) {
    length = first;
  } else {
    const n = first & 0x7f;
    if (n === 0) throw new DerError('indefinite length is not DER');
    if (n > 4) throw new DerError('length too large');
    if (pos + n > limit) throw new DerError('truncated length');
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + buf[pos++]!;
    if (length < 0x80 || buf[pos - n] === 0) throw new DerError('non-minimal length encoding');
  }
  const end = pos + length;
  if (end > limit) throw new DerError('element runs past its container');
  return { tag, start: offset, contentStart: pos, end };
}

/** The child elements of a constructed element. */
export function children(buf: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  let pos = parent.contentStart;
  while (pos < parent.end) {
    const t = readTlv(buf, pos, parent.end);
    out.push(t);
    pos = t.end;
  }
  return out;
}

/** Read the single element that must span all of `buf` (no trailing bytes). */
export function readWhole(buf: Uint8Array): Tlv {
  const t = readTlv(buf, 0);
  if (t.end !== buf.length) throw new DerError('trailing bytes after the DER element');
  return t;
}

/** The content octets of an element. */
export function contentOf(buf: Uint8Array, t: Tlv): Uint8Array {
  return buf.subarray(t.contentStart, t.end);
}

/** The whole encoding (tag, length, content) of an element. */
export function bytesOf(buf: Uint8Array, t: Tlv): Uint8Array {
  return buf.subarray(t.start, t.end);
}

/** Throws unless `t` has tag `tag`. */
export function expectTag(t: Tlv | undefined, tag: number, what: string): Tlv {
  if (t === undefined) throw new DerError(`missing ${what}`);
  if (t.tag !== tag) throw new DerError(`${what}: expected tag 0x${tag.toString(16)}, got 0x${t.tag.toString(16)}`);
  return t;
}

/** Dotted form of OBJECT IDENTIFIER content octets (X.690 §8.19; minimal sub-identifiers). */
export function decodeOid(content: Uint8Array): string {
  if (content.length === 0) throw new DerError('empty OBJECT IDENTIFIER');
  const arcs: number[] = [];
  let v = 0;
  let fresh = true;
  for (const b of content) {
    if (fresh && b === 0x80) throw new DerError('non-minimal OBJECT IDENTIFIER sub-identifier');
    if (v > 0x1fffffffffff) throw new DerError('OBJECT IDENTIFIER arc too large');
    v = v * 128 + (b & 0x7f);
    fresh = (b & 0x80) === 0;
    if (fresh) {
      if (arcs.length === 0) arcs.push(v < 40 ? 0 : v < 80 ? 1 : 2, v < 80 ? v % 40 : v - 80);
      else arcs.push(v);
      v = 0;
    }
  }
  if (!fresh) throw new DerError('truncated OBJECT IDENTIFIER');
  return arcs.join('.');
}

/** Number of octets of the length field for a content of `n` octets. */
function lengthSize(n: number): number {
  if (n < 0x80) return 1;
  if (n < 0x100) return 2;
  if (n < 0x10000) return 3;
  if (n < 0x1000000) return 4;
  return 5;
}

/** Write tag + definite minimal length at `pos`; returns the offset after them. */
function writeHeader(out: Uint8Array, pos: number, tag: number, n: number): number {
  out[pos++] = tag;
  const size = lengthSize(n);
  if (size === 1) {
    out[pos++] = n;
    return pos;
  }
  out[pos++] = 0x80 | (size - 1);
  for (let i = size - 2; i >= 0; i--) out[pos++] = Math.floor(n / 2 ** (8 * i)) & 0xff;
  return pos;
}

export function encodeTlv(tag: number, content: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + lengthSize(content.length) + content.length);
  out.set(content, writeHeader(out, 0, tag, content.length));
  return out;
}

/** A constructed (or primitive) element whose content is `parts` concatenated, in one allocation. */
export function encodeConstructed(tag: number, parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(1 + lengthSize(n) + n);
  let pos = writeHeader(out, 0, tag, n);
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}

/** BIT STRING with no unused bits (signatures, key bits). */
export function encodeBitString(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + lengthSize(bytes.length + 1) + bytes.length + 1);
  const pos = writeHeader(out, 0, 0x03, bytes.length + 1);
  out[pos] = 0;
  out.set(bytes, pos + 1);
  return out;
}

/** OBJECT IDENTIFIER from its dotted form. */
export function encodeOid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map((a) => {
    if (!/^(0|[1-9][0-9]*)$/.test(a)) throw new Error(`bad OID ${dotted}`);
    return Number(a);
  });
  if (arcs.length < 2 || arcs[0]! > 2 || (arcs[0]! < 2 && arcs[1]! >= 40)) throw new Error(`bad OID ${dotted}`);
  const bytes: number[] = [];
  const sub = [arcs[0]! * 40 + arcs[1]!, ...arcs.slice(2)];
  for (const v of sub) {
    if (!Number.isSafeInteger(v)) throw new Error(`bad OID ${dotted}`);
    const groups: number[] = [];
    for (let x = v; ; x = Math.floor(x / 128)) {
      groups.unshift(x % 128);
      if (x < 128) break;
    }
    groups.forEach((g, i) => bytes.push(i < groups.length - 1 ? g | 0x80 : g));
  }
  return encodeTlv(0x06, Uint8Array.from(bytes));
}

function twoDigits(out: Uint8Array, pos: number, v: number): void {
  out[pos] = 0x30 + Math.floor(v / 10);
  out[pos + 1] = 0x30 + (v % 10);
}

/**
 * X.509 Time (RFC 5280 §4.1.2.5): UTCTime YYMMDDHHMMSSZ for 1950–2049,
 * GeneralizedTime YYYYMMDDHHMMSSZ otherwise; whole seconds (milliseconds
 * are dropped, as RFC 5280 forbids fractions).
 */
export function encodeTime(d: Date): Uint8Array {
  const year = d.getUTCFullYear();
  if (!Number.isFinite(year) || year < 0 || year > 9999) throw new Error('time outside the years 0000–9999');
  const utc = year >= 1950 && year <= 2049;
  const out = new Uint8Array(utc ? 15 : 17);
  out[0] = utc ? 0x17 : 0x18;
  out[1] = utc ? 13 : 15;
  let pos = 2;
  if (!utc) {
    twoDigits(out, pos, Math.floor(year / 100));
    pos += 2;
  }
  twoDigits(out, pos, year % 100);
  twoDigits(out, pos + 2, d.getUTCMonth() + 1);
  twoDigits(out, pos + 4, d.getUTCDate());
  twoDigits(out, pos + 6, d.getUTCHours());
  twoDigits(out, pos + 8, d.getUTCMinutes());
  twoDigits(out, pos + 10, d.getUTCSeconds());
  out[pos + 12] = 0x5a; // 'Z'
  return out;
}

/** Minimal two's-complement content octets of a non-negative integer given as big-endian magnitude. */
export function minimalUnsignedIntegerContent(magnitude: Uint8Array): Uint8Array {
  let i = 0;
  while (i < magnitude.length - 1 && magnitude[i] === 0) i++;
  const trimmed = magnitude.subarray(i);
  if (trimmed.length === 0) return Uint8Array.of(0);
  if (trimmed[0]! & 0x80) {
    const out = new Uint8Array(trimmed.length + 1);
    out.set(trimmed, 1);
    return out;
  }
  return Uint8Array.from(trimmed);
}

/** DER INTEGER of a non-negative big-endian magnitude (X.690 §8.3: minimal, positive). */
export function encodeUnsignedInteger(magnitude: Uint8Array): Uint8Array {
  return encodeTlv(0x02, minimalUnsignedIntegerContent(magnitude));
}

export function encodeSequence(...items: Uint8Array[]): Uint8Array {
  return encodeConstructed(0x30, items);
}
