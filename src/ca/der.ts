/**
 * The few DER (X.690 §10) primitives the CA needs beyond @peculiar/asn1-schema:
 * a strict TLV reader (to find raw bytes that must be compared or signed
 * exactly as encoded) and minimal INTEGER/SEQUENCE encoders (for ECDSA
 * signature values, RFC 3279 §2.2.3).
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

function encodeLength(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

export function encodeTlv(tag: number, content: Uint8Array): Uint8Array {
  const len = encodeLength(content.length);
  const out = new Uint8Array(1 + len.length + content.length);
  out[0] = tag;
  out.set(len, 1);
  out.set(content, 1 + len.length);
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
  const total = items.reduce((n, x) => n + x.length, 0);
  const content = new Uint8Array(total);
  let pos = 0;
  for (const x of items) {
    content.set(x, pos);
    pos += x.length;
  }
  return encodeTlv(0x30, content);
}
