/**
 * Byte-exact surgery on a signed certificate's TBSCertificate, for the
 * precertificate → certificate step (RFC 6962 §3.1): the final certificate's
 * TBS is the precertificate's TBS with exactly one extension (the poison)
 * replaced by the SCT list — or removed when no SCTs are embedded. Only the
 * extensions field is re-encoded; every other byte is copied.
 */
import { bytesOf, children, contentOf, decodeOid, encodeConstructed, expectTag, readWhole, type Tlv } from './der.js';

/** The DER TBSCertificate inside a DER Certificate. */
export function tbsOf(certDer: Uint8Array): Uint8Array {
  const top = expectTag(readWhole(certDer), 0x30, 'Certificate');
  return bytesOf(certDer, expectTag(children(certDer, top)[0], 0x30, 'tbsCertificate'));
}

/** The dotted OID of a DER Extension. */
function extensionOid(buf: Uint8Array, ext: Tlv): string {
  return decodeOid(contentOf(buf, expectTag(children(buf, ext)[0], 0x06, 'extnID')));
}

/**
 * `tbsDer` with the extension `oid` replaced by `replacement` (a DER
 * Extension) in the same position, or removed when `replacement` is null.
 * Throws when the TBS does not hold exactly one such extension.
 */
export function replaceTbsExtension(tbsDer: Uint8Array, oid: string, replacement: Uint8Array | null): Uint8Array {
  const top = expectTag(readWhole(tbsDer), 0x30, 'TBSCertificate');
  const fields = children(tbsDer, top);
  const extsField = fields.at(-1);
  if (extsField?.tag !== 0xa3) throw new Error('TBSCertificate has no extensions');
  const seq = expectTag(children(tbsDer, extsField)[0], 0x30, 'Extensions');
  const exts = children(tbsDer, seq);
  const hits = exts.filter((e) => extensionOid(tbsDer, e) === oid);
  if (hits.length !== 1) throw new Error(`TBSCertificate holds ${hits.length} extensions ${oid}, expected exactly one`);
  const newExts: Uint8Array[] = [];
  for (const e of exts) {
    if (e !== hits[0]) newExts.push(bytesOf(tbsDer, e));
    else if (replacement !== null) newExts.push(replacement);
  }
  const parts = fields.slice(0, -1).map((f) => bytesOf(tbsDer, f));
  if (newExts.length > 0) parts.push(encodeConstructed(0xa3, [encodeConstructed(0x30, newExts)]));
  return encodeConstructed(0x30, parts);
}
