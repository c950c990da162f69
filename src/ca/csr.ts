/**
 * Finalize-time CSR checks (RFC 8555 §7.4, RFC 2986). Only the key and the
 * names leave this file; no other CSR field ever reaches a certificate.
 * Malformed requests and bad signatures are `badCSR`; key refusals are
 * `badPublicKey` (RFC 8555 §6.7). Whether the names match the order is the
 * RA's check, not this one.
 */
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { CertificationRequest } from '@peculiar/asn1-csr';
import { Extensions, SubjectAlternativeName, id_ce_subjectAltName, type GeneralName } from '@peculiar/asn1-x509';
import { errors } from '../core/errors.js';
import { canonicalDnsName } from '../core/identifiers.js';
import type { CheckedCsr } from './types.js';
import { children, readWhole } from './der.js';
import { checkSubscriberKey, type CheckedKey } from './key-policy.js';
import { OID_CN } from './x509-extensions.js';

export interface CsrCheckOptions {
  /** SHA-256 (hex) of the ACME account key's DER SPKI: the CSR key must differ. */
  accountSpkiSha256?: string;
}

const OID_EXTENSION_REQUEST = '1.2.840.113549.1.9.14'; // PKCS#9 extensionRequest

/** CSR signature algorithms accepted, per key family (BR §7.1.3.2 hashes; no SHA-1). */
const SIGNATURE_ALGORITHMS: Record<string, { family: 'RSA' | 'EC'; hash: string }> = {
  '1.2.840.113549.1.1.11': { family: 'RSA', hash: 'sha256' },
  '1.2.840.113549.1.1.12': { family: 'RSA', hash: 'sha384' },
  '1.2.840.113549.1.1.13': { family: 'RSA', hash: 'sha512' },
  '1.2.840.10045.4.3.2': { family: 'EC', hash: 'sha256' },
  '1.2.840.10045.4.3.3': { family: 'EC', hash: 'sha384' },
  '1.2.840.10045.4.3.4': { family: 'EC', hash: 'sha512' },
};

interface ParsedCsr {
  csr: CertificationRequest;
  infoRaw: Uint8Array;
  spkiRaw: Uint8Array;
}

/** RFC 2986 §4: CertificationRequest ::= SEQUENCE { info, signatureAlgorithm, signature }. */
function parse(der: Uint8Array): ParsedCsr {
  try {
    const top = readWhole(der); // also refuses trailing bytes
    const [info] = children(der, top);
    if (info === undefined) throw new Error('empty request');
    const infoFields = children(der, info);
    const spki = infoFields[2];
    if (spki === undefined) throw new Error('no subjectPKInfo');
    const csr = AsnConvert.parse(der, CertificationRequest);
    return { csr, infoRaw: der.subarray(info.start, info.end), spkiRaw: der.subarray(spki.start, spki.end) };
  } catch {
    throw errors.badCSR('CSR is not a DER-encoded PKCS#10 request');
  }
}

/** RFC 2986 §4.2 / RFC 8555 §7.4: the request must be signed by the key it carries. */
function verifySignature(p: ParsedCsr, key: CheckedKey): void {
  const sigAlg = p.csr.signatureAlgorithm;
  const alg = SIGNATURE_ALGORITHMS[sigAlg.algorithm];
  if (alg === undefined) throw errors.badCSR(`unsupported CSR signature algorithm ${sigAlg.algorithm}`);
  if (alg.family !== (key.keyType === 'RSA' ? 'RSA' : 'EC')) {
    throw errors.badCSR('CSR signature algorithm does not match its key type');
  }
  // RFC 5758 §3.2: ECDSA parameters absent. RFC 4055 §5: RSA parameters NULL (absence tolerated).
  const params = sigAlg.parameters;
  const paramsOk =
    params === undefined || params === null || (alg.family === 'RSA' && Buffer.from(params).equals(Buffer.from([5, 0])));
  if (!paramsOk) throw errors.badCSR('CSR signature algorithm has unexpected parameters');
  const ok = nodeVerify(
    alg.hash,
    p.infoRaw,
    { key: createPublicKey({ key: Buffer.from(key.spki), format: 'der', type: 'spki' }), dsaEncoding: 'der' },
    new Uint8Array(p.csr.signature),
  );
  if (!ok) throw errors.badCSR('CSR signature does not verify');
}

function requestedSans(csr: CertificationRequest): GeneralName[] {
  const attrs = (csr.certificationRequestInfo.attributes ?? []).filter((a) => a.type === OID_EXTENSION_REQUEST);
  if (attrs.length === 0) return [];
  if (attrs.length > 1 || attrs[0]!.values.length !== 1) throw errors.badCSR('CSR has more than one extensionRequest');
  let exts: Extensions;
  try {
    exts = AsnConvert.parse(attrs[0]!.values[0]!, Extensions);
  } catch {
    throw errors.badCSR('CSR extensionRequest is malformed');
  }
  const sans = exts.filter((e) => e.extnID === id_ce_subjectAltName);
  if (sans.length > 1) throw errors.badCSR('CSR requests subjectAltName more than once');
  if (sans.length === 0) return [];
  try {
    return [...AsnConvert.parse(sans[0]!.extnValue, SubjectAlternativeName)];
  } catch {
    throw errors.badCSR('CSR subjectAltName is malformed');
  }
}

function kindOf(g: GeneralName): string {
  if (g.iPAddress !== undefined) return `IP address ${g.iPAddress}`;
  if (g.rfc822Name !== undefined) return 'email address';
  if (g.uniformResourceIdentifier !== undefined) return 'URI';
  return 'non-DNS name';
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
function csrNames(csr: CertificationRequest): string[] {
  const names: string[] = [];
  for (const g of requestedSans(csr)) {
    // Shomei issues DV certificates for DNS identifiers only (SPEC §2; RFC 8555 §7.1.4 "dns").
    if (g.dNSName === undefined) throw errors.badCSR(`CSR requests a ${kindOf(g)}; only DNS names are issued`);
    names.push(canonicalName(g.dNSName));
  }
  for (const rdn of csr.certificationRequestInfo.subject) {
    for (const atv of rdn) {
      if (atv.type !== OID_CN) continue; // other subject attributes are ignored, never copied
      const v = atv.value;
      const cn = v.utf8String ?? v.printableString ?? v.ia5String ?? v.teletexString ?? v.bmpString ?? v.universalString;
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
  if (p.csr.certificationRequestInfo.version !== 0) throw errors.badCSR('CSR version must be v1 (0)');
  // Key policy before the signature (as Boulder does): a refused key is reported as
  // badPublicKey with its reason, even when no valid signature could be made with it.
  const key = checkSubscriberKey(p.spkiRaw);
  // RFC 8555 §11.1: the certificate key must not be the account key.
  if (opts.accountSpkiSha256 !== undefined && opts.accountSpkiSha256.toLowerCase() === key.spkiSha256) {
    throw errors.badPublicKey('CSR public key is the ACME account key; use a separate key (RFC 8555 §11.1)');
  }
  verifySignature(p, key);
  const names = csrNames(p.csr);
  const out: CheckedCsr = { spki: key.spki, spkiSha256: key.spkiSha256, names, keyType: key.keyType };
  if (key.rsaBits !== undefined) out.rsaBits = key.rsaBits;
  return out;
}
