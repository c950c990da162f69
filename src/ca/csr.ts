/**
 * Finalize-time CSR checks (RFC 8555 §7.4, RFC 2986). Only the key and the
 * names leave this file; no other CSR field ever reaches a certificate.
 * Malformed requests and bad signatures are `badCSR`; key refusals are
 * `badPublicKey` (RFC 8555 §6.7). Whether the names match the order is the
 * RA's check, not this one.
 */
import { verify as nodeVerify } from 'node:crypto';
import { errors } from '../core/errors.js';
import { canonicalDnsName } from '../core/identifiers.js';
import type { CheckedCsr } from './types.js';
import { DerError, bytesOf, children, contentOf, decodeOid, expectTag, readWhole, type Tlv } from './der.js';
import { checkSubscriberKey, parseSpki, type CheckedKey } from './key-policy.js';

export interface CsrCheckOptions {
  /** SHA-256 (hex) of the ACME account key's DER SPKI: the CSR key must differ. */
  accountSpkiSha256?: string;
}

/** CSR signature algorithms accepted, per key family (BR §7.1.3.2 hashes; no SHA-1). */
const SIGNATURE_ALGORITHMS: Record<string, { family: 'RSA' | 'EC'; hash: string }> = {
  '1.2.840.113549.1.1.11': { family: 'RSA', hash: 'sha256' },
  '1.2.840.113549.1.1.12': { family: 'RSA', hash: 'sha384' },
  '1.2.840.113549.1.1.13': { family: 'RSA', hash: 'sha512' },
  '1.2.840.10045.4.3.2': { family: 'EC', hash: 'sha256' },
  '1.2.840.10045.4.3.3': { family: 'EC', hash: 'sha384' },
  '1.2.840.10045.4.3.4': { family: 'EC', hash: 'sha512' },
};

const OID_CN_CONTENT = Buffer.from('550403', 'hex'); // 2.5.4.3
const OID_EXTENSION_REQUEST_CONTENT = Buffer.from('2a864886f70d01090e', 'hex'); // 1.2.840.113549.1.9.14
const OID_SAN_CONTENT = Buffer.from('551d11', 'hex'); // 2.5.29.17

interface ParsedCsr {
  der: Uint8Array;
  version: Uint8Array;
  /** Subject RDNs: the AttributeTypeAndValue elements of each. */
  subject: Tlv[][];
  /** The [0] attributes element, when present. */
  attributes: Tlv | undefined;
  infoRaw: Uint8Array;
  spkiRaw: Uint8Array;
  sigAlgOid: string;
  /** Raw AlgorithmIdentifier parameters element, when present. */
  sigAlgParams: Uint8Array | undefined;
  signature: Uint8Array;
}

/** SEQUENCE OF SET OF AttributeTypeAndValue (RFC 5280 §4.1.2.4), each ATV a SEQUENCE { OID, ANY }. */
function parseName(der: Uint8Array, name: Tlv): Tlv[][] {
  return children(der, expectTag(name, 0x30, 'Name')).map((rdn) => {
    const atvs = children(der, expectTag(rdn, 0x31, 'RelativeDistinguishedName'));
    if (atvs.length === 0) throw new DerError('empty RelativeDistinguishedName');
    for (const atv of atvs) {
      const f = children(der, expectTag(atv, 0x30, 'AttributeTypeAndValue'));
      if (f.length !== 2) throw new DerError('AttributeTypeAndValue must have two fields');
      expectTag(f[0], 0x06, 'attribute type');
    }
    return atvs;
  });
}

/** RFC 2986 §4: CertificationRequest ::= SEQUENCE { info, signatureAlgorithm, signature }. */
function parse(der: Uint8Array): ParsedCsr {
  try {
    const top = expectTag(readWhole(der), 0x30, 'CertificationRequest'); // readWhole refuses trailing bytes
    const [info, sigAlg, sig, ...rest] = children(der, top);
    if (rest.length > 0) throw new DerError('extra fields in CertificationRequest');
    // CertificationRequestInfo ::= SEQUENCE { version, subject, subjectPKInfo, [0] attributes }
    const infoFields = children(der, expectTag(info, 0x30, 'certificationRequestInfo'));
    if (infoFields.length < 3 || infoFields.length > 4) throw new DerError('malformed certificationRequestInfo');
    const [version, subject, spki, attributes] = infoFields;
    const versionContent = contentOf(der, expectTag(version, 0x02, 'version'));
    if (versionContent.length === 0) throw new DerError('empty INTEGER');
    parseSpki(bytesOf(der, expectTag(spki, 0x30, 'subjectPKInfo'))); // structure only; the key policy judges the key
    if (attributes !== undefined) {
      // Attributes ::= SET OF Attribute { type OID, values SET OF ANY }, IMPLICIT [0]
      expectTag(attributes, 0xa0, 'attributes');
      for (const a of children(der, attributes)) {
        const f = children(der, expectTag(a, 0x30, 'Attribute'));
        if (f.length !== 2) throw new DerError('Attribute must have two fields');
        expectTag(f[0], 0x06, 'attribute type');
        children(der, expectTag(f[1], 0x31, 'attribute values'));
      }
    }
    const algFields = children(der, expectTag(sigAlg, 0x30, 'signatureAlgorithm'));
    if (algFields.length < 1 || algFields.length > 2) throw new DerError('malformed AlgorithmIdentifier');
    const sigAlgOid = decodeOid(contentOf(der, expectTag(algFields[0], 0x06, 'signature algorithm')));
    const params = algFields[1];
    const sigBits = contentOf(der, expectTag(sig, 0x03, 'signature'));
    if (sigBits.length === 0 || sigBits[0] !== 0) throw new DerError('signature must be whole octets');
    return {
      der,
      version: versionContent,
      subject: parseName(der, subject!),
      attributes,
      infoRaw: der.subarray(info!.start, info!.end),
      spkiRaw: der.subarray(spki!.start, spki!.end),
      sigAlgOid,
      sigAlgParams: params === undefined ? undefined : der.subarray(params.start, params.end),
      signature: sigBits.subarray(1),
    };
  } catch {
    throw errors.badCSR('CSR is not a DER-encoded PKCS#10 request');
  }
}

/** RFC 2986 §4.2 / RFC 8555 §7.4: the request must be signed by the key it carries. */
function verifySignature(p: ParsedCsr, key: CheckedKey): void {
  const alg = SIGNATURE_ALGORITHMS[p.sigAlgOid];
  if (alg === undefined) throw errors.badCSR(`unsupported CSR signature algorithm ${p.sigAlgOid}`);
  if (alg.family !== (key.keyType === 'RSA' ? 'RSA' : 'EC')) {
    throw errors.badCSR('CSR signature algorithm does not match its key type');
  }
  // RFC 5758 §3.2: ECDSA parameters absent. RFC 4055 §5: RSA parameters NULL. Either is
  // tolerated for both families (as before: some clients send NULL with ECDSA); nothing else is.
  const params = p.sigAlgParams;
  const paramsOk = params === undefined || (params.length === 2 && params[0] === 5 && params[1] === 0);
  if (!paramsOk) throw errors.badCSR('CSR signature algorithm has unexpected parameters');
  // The key checkSubscriberKey imported: no second import of the same SPKI.
  const ok = nodeVerify(alg.hash, p.infoRaw, { key: key.publicKey, dsaEncoding: 'der' }, p.signature);
  if (!ok) throw errors.badCSR('CSR signature does not verify');
}

/** The DER GeneralNames of the requested subjectAltName (PKCS#9 extensionRequest), if any. */
function requestedSans(p: ParsedCsr): { der: Uint8Array; names: Tlv[] } | undefined {
  const der = p.der;
  const requests: Tlv[] = [];
  for (const a of p.attributes === undefined ? [] : children(der, p.attributes)) {
    const [type, values] = children(der, a);
    if (OID_EXTENSION_REQUEST_CONTENT.equals(contentOf(der, type!))) requests.push(values!);
  }
  if (requests.length === 0) return undefined;
  const values = requests.length === 1 ? children(der, requests[0]!) : [];
  if (values.length !== 1) throw errors.badCSR('CSR has more than one extensionRequest');
  const sans: Tlv[] = [];
  try {
    // Extensions ::= SEQUENCE OF Extension { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
    for (const e of children(der, expectTag(values[0], 0x30, 'Extensions'))) {
      const f = children(der, expectTag(e, 0x30, 'Extension'));
      const critical = f.length === 3 ? expectTag(f[1], 0x01, 'critical') : undefined;
      if (f.length < 2 || f.length > 3 || (critical !== undefined && critical.end - critical.contentStart !== 1)) {
        throw new DerError('malformed Extension');
      }
      const value = expectTag(f[f.length - 1], 0x04, 'extnValue');
      if (OID_SAN_CONTENT.equals(contentOf(der, expectTag(f[0], 0x06, 'extnID')))) sans.push(value);
    }
  } catch {
    throw errors.badCSR('CSR extensionRequest is malformed');
  }
  if (sans.length > 1) throw errors.badCSR('CSR requests subjectAltName more than once');
  if (sans.length === 0) return undefined;
  try {
    // The OCTET STRING holds exactly one SEQUENCE OF GeneralName.
    const value = contentOf(der, sans[0]!);
    const names = children(value, expectTag(readWhole(value), 0x30, 'GeneralNames'));
    for (const g of names) {
      if ((g.tag & 0xc0) !== 0x80) throw new DerError('GeneralName must be context-specific');
      if ((g.tag & 0x1f) > 8) throw new DerError('unknown GeneralName');
    }
    return { der: value, names };
  } catch {
    throw errors.badCSR('CSR subjectAltName is malformed');
  }
}

/** The address of an iPAddress GeneralName, for messages (dotted IPv4, compressed IPv6). */
function formatIp(b: Uint8Array): string {
  if (b.length === 4) return Array.from(b).join('.');
  if (b.length !== 16) return Buffer.from(b).toString('hex');
  const groups = Array.from({ length: 8 }, (_, i) => ((b[2 * i]! << 8) | b[2 * i + 1]!).toString(16));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

/** GeneralName CHOICE tags (RFC 5280 §4.2.1.6). */
function kindOf(tag: number, content: Uint8Array): string {
  switch (tag & 0x1f) {
    case 7:
      return `IP address ${formatIp(content)}`;
    case 1:
      return 'email address';
    case 6:
      return 'URI';
    default:
      return 'non-DNS name';
  }
}

/** Directory string types an AttributeValue may carry, decoded as @peculiar/asn1-x509 did. */
function directoryString(tag: number, content: Uint8Array): string | undefined {
  switch (tag) {
    case 0x0c: // UTF8String
      return Buffer.from(content).toString('utf8');
    case 0x13: // PrintableString
    case 0x16: // IA5String
    case 0x14: // TeletexString
      return Buffer.from(content).toString('latin1');
    case 0x1e: // BMPString: UTF-16BE
      if (content.length % 2 !== 0) return undefined;
      return Buffer.from(content).swap16().toString('utf16le');
    case 0x1c: {
      // UniversalString: UTF-32BE
      if (content.length % 4 !== 0) return undefined;
      let out = '';
      for (let i = 0; i < content.length; i += 4) {
        const cp = ((content[i]! << 24) | (content[i + 1]! << 16) | (content[i + 2]! << 8) | content[i + 3]!) >>> 0;
        if (cp > 0x10ffff) return undefined;
        out += String.fromCodePoint(cp);
      }
      return out;
    }
    default:
      return undefined;
  }
}

/** A name as written in the CSR, checked for shape and put in canonical form. */
function canonicalName(raw: string): string {
  // dNSName is IA5String (RFC 5280 §4.2.1.6): printable ASCII without spaces.
  if (!/^[\x21-\x7e]+$/.test(raw)) throw errors.badCSR(`CSR name ${JSON.stringify(raw)} is not a DNS name`);
  const name = canonicalDnsName(raw);
  if (name === '' || name.endsWith('.')) throw errors.badCSR(`CSR name ${JSON.stringify(raw)} is not a DNS name`);
  return name;
}

/** dNSName SANs plus any subject CN (RFC 8555 §7.4: CN, if any, is one of the names). */
function csrNames(p: ParsedCsr): string[] {
  const names: string[] = [];
  const sans = requestedSans(p);
  for (const g of sans?.names ?? []) {
    const content = contentOf(sans!.der, g);
    // Shomei issues DV certificates for DNS identifiers only (SPEC §2; RFC 8555 §7.1.4 "dns").
    if (g.tag !== 0x82) throw errors.badCSR(`CSR requests a ${kindOf(g.tag, content)}; only DNS names are issued`);
    names.push(canonicalName(Buffer.from(content).toString('latin1')));
  }
  for (const rdn of p.subject) {
    for (const atv of rdn) {
      const [type, value] = children(p.der, atv);
      if (!OID_CN_CONTENT.equals(contentOf(p.der, type!))) continue; // other subject attributes are ignored, never copied
      const cn = directoryString(value!.tag, contentOf(p.der, value!));
      if (cn === undefined) throw errors.badCSR('CSR common name is not a string');
      names.push(canonicalName(cn));
    }
  }
  const unique = [...new Set(names)].sort();
  if (unique.length === 0) throw errors.badCSR('CSR names no DNS identifier');
  return unique;
}

/** Check a finalize CSR and return the subscriber key and requested names. */
export async function checkCsr(der: Uint8Array, opts: CsrCheckOptions = {}): Promise<CheckedCsr> {
  const p = parse(der);
  if (p.version.length !== 1 || p.version[0] !== 0) throw errors.badCSR('CSR version must be v1 (0)');
  // Key policy before the signature (as Boulder does): a refused key is reported as
  // badPublicKey with its reason, even when no valid signature could be made with it.
  const key = await checkSubscriberKey(p.spkiRaw);
  // RFC 8555 §11.1: the certificate key must not be the account key.
  if (opts.accountSpkiSha256 !== undefined && opts.accountSpkiSha256.toLowerCase() === key.spkiSha256) {
    throw errors.badPublicKey('CSR public key is the ACME account key; use a separate key (RFC 8555 §11.1)');
  }
  verifySignature(p, key);
  const names = csrNames(p);
  const out: CheckedCsr = { spki: key.spki, spkiSha256: key.spkiSha256, names, keyType: key.keyType };
  if (key.rsaBits !== undefined) out.rsaBits = key.rsaBits;
  return out;
}
