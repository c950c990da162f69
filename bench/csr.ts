// Fast PKCS#10 CSRs for the load client: a tiny DER builder plus node:crypto
// signing, over a pool of pre-generated P-256 keys (key generation is the only
// expensive step and it is not what the benchmark measures). Each CSR names
// exactly the order's identifiers in a subjectAltName extensionRequest, with
// an empty subject (RFC 8555 §7.4 allows it; the names come from the SAN).
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  if (n < 0x100) return Buffer.from([0x81, n]);
  if (n < 0x10000) return Buffer.from([0x82, n >> 8, n & 0xff]);
  throw new Error('DER length too large');
}

function tlv(tag: number, ...parts: Buffer[]): Buffer {
  const body = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), len(body.length), body]);
}

const SEQ = 0x30;
const SET = 0x31;
const VERSION_0 = Buffer.from([0x02, 0x01, 0x00]);
const EMPTY_NAME = Buffer.from([0x30, 0x00]);
// 1.2.840.113549.1.9.14 (PKCS#9 extensionRequest)
const OID_EXTENSION_REQUEST = Buffer.from('06092a864886f70d01090e', 'hex');
// 2.5.29.17 (subjectAltName)
const OID_SAN = Buffer.from('0603551d11', 'hex');
// SEQUENCE { 1.2.840.10045.4.3.2 ecdsa-with-SHA256 }
const ALG_ECDSA_SHA256 = Buffer.from('300a06082a8648ce3d040302', 'hex');

interface PoolKey {
  privateKey: KeyObject;
  spki: Buffer;
}

export class CsrFactory {
  readonly #keys: PoolKey[] = [];
  #next = 0;

  constructor(poolSize = 256) {
    for (let i = 0; i < poolSize; i++) {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      this.#keys.push({ privateKey, spki: publicKey.export({ type: 'spki', format: 'der' }) });
    }
  }

  /** base64url DER of a CSR for `names`, signed with the next pool key. */
  csr(names: string[]): string {
    const key = this.#keys[this.#next++ % this.#keys.length] as PoolKey;
    const generalNames = tlv(SEQ, ...names.map((n) => tlv(0x82, Buffer.from(n, 'ascii'))));
    const extensions = tlv(SEQ, tlv(SEQ, OID_SAN, tlv(0x04, generalNames)));
    const attributes = tlv(0xa0, tlv(SEQ, OID_EXTENSION_REQUEST, tlv(SET, extensions)));
    const info = tlv(SEQ, VERSION_0, EMPTY_NAME, key.spki, attributes);
    const sig = sign('sha256', info, { key: key.privateKey, dsaEncoding: 'der' });
    return tlv(SEQ, info, ALG_ECDSA_SHA256, tlv(0x03, Buffer.from([0]), sig)).toString('base64url');
  }
}
