/**
 * The X.509 side of Certificate Transparency v1 (RFC 6962 §3.1–§3.3): the
 * precertificate poison, the embedded SCT list extension, the precertificate
 * TBSCertificate an SCT signs, and SCT signature verification.
 *
 * Only the extensions field of a TBSCertificate is ever re-encoded (by
 * ca/tbs-extensions.ts); every other byte is copied, so the TBS rebuilt from
 * a final certificate is byte-identical to the precertificate's (BR
 * §7.1.2.9: the two differ only by poison vs SCT list).
 */
import { createHash, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { publicKeyFromSpki } from '../core/spki-key.js';
import { ShomeiError } from '../core/errors.js';
import { bytesOf, children, contentOf, decodeOid, encodeOid, encodeTlv, expectTag, readWhole, type Tlv } from '../ca/der.js';
import { replaceTbsExtension, tbsOf } from '../ca/tbs-extensions.js';
import { extensionDer } from '../ca/x509-extensions.js';
import { HASH_SHA256, SIG_ECDSA, SIG_RSA, sctSignatureInput, type Sct, type SignedEntry } from './rfc6962.js';

/** RFC 6962 §3.1: precertificate poison extension. */
export const OID_CT_POISON = '1.3.6.1.4.1.11129.2.4.3';
/** RFC 6962 §3.3: embedded SignedCertificateTimestampList extension. */
export const OID_CT_SCT_LIST = '1.3.6.1.4.1.11129.2.4.2';

/**
 * RFC 6962 §3.1 / BR §7.1.2.9.3: Extension { 1.3.6.1.4.1.11129.2.4.3,
 * critical TRUE, extnValue OCTET STRING { NULL } } — exactly
 * 30 13 06 0a 2b06010401d679020403 01 01 ff 04 02 05 00.
 */
export const CT_POISON_EXTENSION_DER: Uint8Array = extensionDer(encodeOid(OID_CT_POISON), true, Uint8Array.of(0x05, 0x00));

const OID_SCT_LIST_DER = encodeOid(OID_CT_SCT_LIST);
const MAX_U16 = 0xffff;

/**
 * RFC 6962 §3.3: SignedCertificateTimestampList { SerializedSCT
 * sct_list<1..2^16-1> } with SerializedSCT = opaque<1..2^16-1>, wrapped in
 * an OCTET STRING that is itself the extnValue content (so extnValue is an
 * OCTET STRING holding an OCTET STRING). Non-critical (BR §7.1.2.7.6).
 */
export function sctListExtensionDer(scts: readonly Uint8Array[]): Uint8Array {
  if (scts.length === 0) throw new ShomeiError('serverInternal', 'an SCT list holds at least one SCT (RFC 6962 §3.3)');
  let total = 0;
  for (const s of scts) {
    if (s.length === 0 || s.length > MAX_U16) throw new ShomeiError('serverInternal', `SerializedSCT length ${s.length} outside <1..2^16-1>`);
    total += 2 + s.length;
  }
  if (total > MAX_U16) throw new ShomeiError('serverInternal', `SCT list length ${total} exceeds 2^16-1`);
  const list = new Uint8Array(2 + total);
  const view = new DataView(list.buffer);
  view.setUint16(0, total);
  let pos = 2;
  for (const s of scts) {
    view.setUint16(pos, s.length);
    list.set(s, pos + 2);
    pos += 2 + s.length;
  }
  return extensionDer(OID_SCT_LIST_DER, false, encodeTlv(0x04, list));
}

/** The Extension elements of a DER TBSCertificate ([] when it has no extensions field). */
function extensionsOf(tbsDer: Uint8Array): Tlv[] {
  const top = expectTag(readWhole(tbsDer), 0x30, 'TBSCertificate');
  const last = children(tbsDer, top).at(-1);
  if (last?.tag !== 0xa3) return [];
  return children(tbsDer, expectTag(children(tbsDer, last)[0], 0x30, 'Extensions'));
}

/** The extensions of `tbsDer` whose extnID is `oid`. */
function extensionsWithOid(tbsDer: Uint8Array, oid: string): Tlv[] {
  return extensionsOf(tbsDer).filter((e) => decodeOid(contentOf(tbsDer, expectTag(children(tbsDer, e)[0], 0x06, 'extnID'))) === oid);
}

/** Does the certificate carry the precertificate poison (RFC 6962 §3.1)? */
export function isPrecertificate(certDer: Uint8Array): boolean {
  return extensionsWithOid(tbsOf(certDer), OID_CT_POISON).length > 0;
}

/** RFC 6962 §3.3: split a TLS SignedCertificateTimestampList into its SerializedSCTs. */
function splitSctList(list: Uint8Array): Uint8Array[] {
  const bad = (why: string) => new ShomeiError('serverInternal', `malformed SignedCertificateTimestampList: ${why}`);
  if (list.length < 2) throw bad('truncated');
  const view = new DataView(list.buffer, list.byteOffset, list.byteLength);
  if (view.getUint16(0) !== list.length - 2) throw bad('list length does not match');
  const out: Uint8Array[] = [];
  let pos = 2;
  while (pos < list.length) {
    if (pos + 2 > list.length) throw bad('truncated SCT length');
    const n = view.getUint16(pos);
    if (n === 0 || pos + 2 + n > list.length) throw bad('bad SCT length');
    out.push(Uint8Array.from(list.subarray(pos + 2, pos + 2 + n)));
    pos += 2 + n;
  }
  if (out.length === 0) throw bad('empty list');
  return out;
}

/** The TLS-encoded SCTs embedded in a certificate (RFC 6962 §3.3), in list order; [] when it has no SCT list. */
export function parseSctList(certDer: Uint8Array): Uint8Array[] {
  const tbs = tbsOf(certDer);
  const hits = extensionsWithOid(tbs, OID_CT_SCT_LIST);
  if (hits.length === 0) return [];
  if (hits.length > 1) throw new ShomeiError('serverInternal', 'certificate holds more than one SCT list extension');
  const ext = hits[0]!;
  const value = expectTag(children(tbs, ext).at(-1), 0x04, 'extnValue');
  const inner = contentOf(tbs, value);
  return splitSctList(contentOf(inner, expectTag(readWhole(inner), 0x04, 'SignedCertificateTimestampList OCTET STRING')));
}

/**
 * The precertificate TBSCertificate an SCT was signed over (RFC 6962 §3.2
 * PreCert.tbs_certificate): from a precertificate, its TBS without the
 * poison; from a final certificate, its TBS without the SCT list (which sat
 * where the poison was, BR §7.1.2.9). Only the extensions field is
 * re-encoded. A certificate with neither extension is returned as its TBS
 * unchanged; one with both, or with either twice, is refused.
 */
export function precertTbsFromCertificate(certDer: Uint8Array): Uint8Array {
  const tbs = tbsOf(certDer);
  const poison = extensionsWithOid(tbs, OID_CT_POISON).length;
  const sctList = extensionsWithOid(tbs, OID_CT_SCT_LIST).length;
  if (poison > 0 && sctList > 0) throw new ShomeiError('serverInternal', 'certificate holds both the CT poison and an SCT list');
  if (poison > 0) return replaceTbsExtension(tbs, OID_CT_POISON, null);
  if (sctList > 0) return replaceTbsExtension(tbs, OID_CT_SCT_LIST, null);
  return Uint8Array.from(tbs);
}

/** RFC 6962 §3.2 PreCert.issuer_key_hash: SHA-256 of the issuer certificate's DER SubjectPublicKeyInfo. */
export function issuerKeyHash(issuerCertDer: Uint8Array): Uint8Array {
  const tbs = tbsOf(issuerCertDer);
  const fields = children(tbs, readWhole(tbs));
  // version [0], serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo (RFC 5280 §4.1).
  const offset = fields[0]?.tag === 0xa0 ? 1 : 0;
  const spki = expectTag(fields[5 + offset], 0x30, 'subjectPublicKeyInfo');
  return new Uint8Array(createHash('sha256').update(bytesOf(tbs, spki)).digest());
}

/**
 * The log key fits the SCT's DigitallySigned algorithms (RFC 6962 §2.1.4:
 * ECDSA NIST P-256 or RSA ≥ 2048 bits, both with SHA-256).
 */
function keyFitsAlgorithm(key: KeyObject, sct: Sct): boolean {
  if (sct.hashAlgorithm !== HASH_SHA256) return false;
  if (sct.signatureAlgorithm === SIG_ECDSA) {
    return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
  }
  if (sct.signatureAlgorithm === SIG_RSA) {
    return key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048;
  }
  return false;
}

/**
 * RFC 6962 §3.2: does `sct.signature` verify under the log's key over the
 * `digitally-signed` struct for `entry`? Checks the signature only — the
 * caller matches `sct.logId` to the log. False for any unsupported algorithm,
 * unusable key or malformed signature.
 */
export function verifySct(sct: Sct, entry: SignedEntry, logPublicKeySpki: Uint8Array): boolean {
  let key: KeyObject;
  try {
    key = publicKeyFromSpki(logPublicKeySpki);
  } catch {
    return false;
  }
  if (!keyFitsAlgorithm(key, sct)) return false;
  const input = sctSignatureInput(sct.timestampMs, entry, sct.extensions);
  try {
    // ECDSA: DER ECDSA-Sig-Value (RFC 5246 §4.7); RSA: RSASSA-PKCS1-v1_5.
    return nodeVerify('sha256', input, { key, dsaEncoding: 'der' }, sct.signature);
  } catch {
    return false;
  }
}
