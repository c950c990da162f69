/**
 * RFC 6962 §3.1 checks on a chain submitted to add-chain / add-pre-chain:
 * the (pre)certificate is signed by the next certificate, and so on up to one
 * of the log's accepted roots; the poison is where it must be. Each check is
 * its own function and names the rule. Every refusal is
 * ShomeiError('malformed') — the submitter's mistake, answered with 400.
 *
 * Certificates are read with the strict DER reader of ca/der.ts; no field
 * other than those checked here is interpreted.
 */
import { createHash, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { BoundedCache } from '../../core/bounded-cache.js';
import { publicKeyFromSpki } from '../../core/spki-key.js';
import { bytesOf, children, contentOf, decodeOid, expectTag, readWhole, type Tlv } from '../../ca/der.js';
import { replaceTbsExtension } from '../../ca/tbs-extensions.js';
import { ShomeiError } from '../../core/errors.js';
import { OID_CT_POISON } from '../precertificate.js';
import { encodeCertificateChain, encodePrecertChainEntry, type SignedEntry } from '../rfc6962.js';

/** RFC 6962 §3.1: extended key usage of a Precertificate Signing Certificate. */
export const OID_PRECERT_SIGNING = '1.3.6.1.4.1.11129.2.4.4';
const OID_BASIC_CONSTRAINTS = '2.5.29.19';
const OID_EXT_KEY_USAGE = '2.5.29.37';

/** Longest chain accepted (leaf, intermediates, root). */
export const MAX_CHAIN_LENGTH = 10;

export interface ParsedExtension {
  oid: string;
  critical: boolean;
  /** Content of extnValue (the DER of the extension's value). */
  value: Uint8Array;
}

export interface ParsedCertificate {
  der: Uint8Array;
  tbs: Uint8Array;
  /** Outer signatureAlgorithm, DER. */
  signatureAlgorithm: Uint8Array;
  signature: Uint8Array;
  issuer: Uint8Array;
  subject: Uint8Array;
  spki: Uint8Array;
  extensions: ParsedExtension[];
}

const bad = (detail: string): ShomeiError => new ShomeiError('malformed', detail);

function same(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}

function parseExtension(buf: Uint8Array, ext: Tlv): ParsedExtension {
  const f = children(buf, expectTag(ext, 0x30, 'Extension'));
  const oid = decodeOid(contentOf(buf, expectTag(f[0], 0x06, 'extnID')));
  let i = 1;
  let critical = false;
  if (f[i]?.tag === 0x01) {
    const v = contentOf(buf, f[i]!);
    if (v.length !== 1 || (v[0] !== 0xff && v[0] !== 0x00)) throw bad('extension criticality is not a DER BOOLEAN');
    critical = v[0] === 0xff;
    i++;
  }
  const value = contentOf(buf, expectTag(f[i], 0x04, 'extnValue'));
  if (f.length !== i + 1) throw bad('extension has trailing fields');
  return { oid, critical, value };
}

/** RFC 5280 §4.1: Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }. */
export function parseCertificate(der: Uint8Array, what: string): ParsedCertificate {
  try {
    const top = expectTag(readWhole(der), 0x30, 'Certificate');
    const [tbsT, algT, sigT, extra] = children(der, top);
    if (extra !== undefined) throw bad('trailing fields after signatureValue');
    const tbsTlv = expectTag(tbsT, 0x30, 'tbsCertificate');
    const sigBits = contentOf(der, expectTag(sigT, 0x03, 'signatureValue'));
    if (sigBits.length < 1 || sigBits[0] !== 0) throw bad('signatureValue has unused bits');
    const fields = children(der, tbsTlv);
    const off = fields[0]?.tag === 0xa0 ? 1 : 0;
    const tbsSigAlg = expectTag(fields[off + 1], 0x30, 'signature');
    const signatureAlgorithm = bytesOf(der, expectTag(algT, 0x30, 'signatureAlgorithm'));
    // RFC 5280 §4.1.1.2: the outer algorithm must equal tbsCertificate.signature.
    if (!same(signatureAlgorithm, bytesOf(der, tbsSigAlg))) throw bad('signatureAlgorithm differs from tbsCertificate.signature');
    const extensions: ParsedExtension[] = [];
    const last = fields.at(-1);
    if (last?.tag === 0xa3) {
      const seq = expectTag(children(der, last)[0], 0x30, 'Extensions');
      for (const e of children(der, seq)) extensions.push(parseExtension(der, e));
    }
    return {
      der,
      tbs: bytesOf(der, tbsTlv),
      signatureAlgorithm,
      signature: sigBits.subarray(1),
      issuer: bytesOf(der, expectTag(fields[off + 2], 0x30, 'issuer')),
      subject: bytesOf(der, expectTag(fields[off + 4], 0x30, 'subject')),
      spki: bytesOf(der, expectTag(fields[off + 5], 0x30, 'subjectPublicKeyInfo')),
      extensions,
    };
  } catch (e) {
    if (e instanceof ShomeiError) throw new ShomeiError('malformed', `${what}: ${e.message}`);
    throw bad(`${what} is not a DER X.509 certificate: ${(e as Error).message}`);
  }
}

/** Signature algorithms a chain may use: OID → node hash name (null = the key's own, Ed25519). */
const SIGNATURE_ALGORITHMS: Record<string, string | null> = {
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.3.101.112': null,
};

function algorithmOid(algDer: Uint8Array): string {
  const t = readWhole(algDer);
  return decodeOid(contentOf(algDer, expectTag(children(algDer, t)[0], 0x06, 'algorithm')));
}

/** RFC 6962 §3.1: `cert` carries a valid signature by `issuer`'s key (and names it as its issuer). */
export function checkSignedBy(cert: ParsedCertificate, issuer: ParsedCertificate, position: number): void {
  if (!same(cert.issuer, issuer.subject)) throw bad(`chain[${position}]: issuer name does not match the subject of the next certificate`);
  const oid = algorithmOid(cert.signatureAlgorithm);
  const hash = SIGNATURE_ALGORITHMS[oid];
  if (hash === undefined) throw bad(`chain[${position}]: unsupported signature algorithm ${oid}`);
  let key: KeyObject;
  try {
    key = publicKeyFromSpki(issuer.spki);
  } catch {
    throw bad(`chain[${position + 1}]: unsupported public key`);
  }
  // CA-to-CA links (the intermediate under the root) are the same in every
  // submission: a link verified once is remembered by (TBS digest, signature, issuer key).
  const linkId = position > 0 ? `${createHash('sha256').update(cert.tbs).digest('base64')}|${Buffer.from(cert.signature).toString('base64')}|${Buffer.from(issuer.spki).toString('base64')}` : undefined;
  if (linkId !== undefined && verifiedLinks.get(linkId) === true) return;
  let ok = false;
  try {
    ok = nodeVerify(hash, cert.tbs, key.asymmetricKeyType === 'ec' ? { key, dsaEncoding: 'der' } : key, cert.signature);
  } catch {
    ok = false;
  }
  if (!ok) throw bad(`chain[${position}]: signature does not verify with the key of the next certificate`);
  if (linkId !== undefined) verifiedLinks.set(linkId, true);
}

const verifiedLinks = new BoundedCache<string, true>(256);

function basicConstraintsCa(cert: ParsedCertificate): boolean {
  const bc = cert.extensions.find((e) => e.oid === OID_BASIC_CONSTRAINTS);
  if (bc === undefined) return false;
  try {
    const first = children(bc.value, expectTag(readWhole(bc.value), 0x30, 'BasicConstraints'))[0];
    return first?.tag === 0x01 && contentOf(bc.value, first)[0] === 0xff;
  } catch {
    return false;
  }
}

/** RFC 5280 §4.2.1.9: a certificate that signs another must be a CA certificate. */
export function checkIsCa(cert: ParsedCertificate, position: number): void {
  if (!basicConstraintsCa(cert)) throw bad(`chain[${position}] signs the previous certificate but is not a CA certificate`);
}

function poisonOf(cert: ParsedCertificate): ParsedExtension[] {
  return cert.extensions.filter((e) => e.oid === OID_CT_POISON);
}

/**
 * RFC 6962 §3.1: a precertificate carries exactly one poison extension,
 * critical, whose value is ASN.1 NULL.
 */
export function checkPoisoned(cert: ParsedCertificate): void {
  const p = poisonOf(cert);
  if (p.length !== 1) throw bad('add-pre-chain: the first certificate must carry the precertificate poison extension exactly once');
  if (!p[0]!.critical) throw bad('add-pre-chain: the poison extension must be critical');
  if (!same(p[0]!.value, Uint8Array.of(0x05, 0x00))) throw bad('add-pre-chain: the poison extension value must be ASN.1 NULL');
}

/** RFC 6962 §4.1: add-chain takes final certificates only — a poisoned one belongs in add-pre-chain. */
export function checkNotPoisoned(cert: ParsedCertificate): void {
  if (poisonOf(cert).length > 0) throw bad('add-chain: the certificate carries the precertificate poison; submit it with add-pre-chain');
}

/**
 * RFC 6962 §3.1 allows a Precertificate Signing Certificate between the
 * precertificate and its CA; this log does not implement the issuer rewrite
 * that requires, so it refuses such chains.
 */
export function checkNotPrecertSigningCertificate(issuer: ParsedCertificate): void {
  const eku = issuer.extensions.find((e) => e.oid === OID_EXT_KEY_USAGE);
  if (eku === undefined) return;
  let oids: string[];
  try {
    oids = children(eku.value, expectTag(readWhole(eku.value), 0x30, 'ExtKeyUsage')).map((t) => decodeOid(contentOf(eku.value, t)));
  } catch {
    throw bad('chain[1]: malformed extended key usage');
  }
  if (oids.includes(OID_PRECERT_SIGNING)) {
    throw bad('precertificates issued by a Precertificate Signing Certificate are not supported by this log');
  }
}

/**
 * The verified path: the submitted certificates up to the first accepted
 * root, or all of them plus the accepted root that signed the last one
 * (§3.1: the log stores the chain including the root even when omitted).
 */
export function pathToRoot(certs: readonly ParsedCertificate[], roots: readonly ParsedCertificate[]): ParsedCertificate[] {
  const path: ParsedCertificate[] = [];
  for (let i = 0; i < certs.length; i++) {
    const c = certs[i]!;
    path.push(c);
    if (roots.some((r) => same(r.der, c.der))) return path;
    const next = certs[i + 1];
    if (next !== undefined) {
      checkSignedBy(c, next, i);
      checkIsCa(next, i + 1);
      continue;
    }
    for (const r of roots) {
      if (!same(r.subject, c.issuer)) continue;
      try {
        checkSignedBy(c, r, i);
      } catch {
        continue;
      }
      path.push(r);
      return path;
    }
  }
  throw bad('the chain does not lead to a root this log accepts (see get-roots)');
}

export interface VerifiedSubmission {
  /** What the SCT and the Merkle leaf cover. */
  entry: SignedEntry;
  /** The submitted (pre)certificate. */
  leafDer: Uint8Array;
  /** §4.6 extra_data for get-entries. */
  extraData: Uint8Array;
}

/** §4.1 chain shape: one to MAX_CHAIN_LENGTH certificates. */
export function checkChainLength(chain: readonly Uint8Array[]): void {
  if (chain.length === 0) throw bad('chain is empty');
  if (chain.length > MAX_CHAIN_LENGTH) throw bad(`chain has more than ${MAX_CHAIN_LENGTH} certificates`);
}

/** Verify a submission (§3.1) and derive the log entry it becomes. */
export function verifySubmission(kind: 'x509' | 'precert', chain: readonly Uint8Array[], acceptedRoots: readonly Uint8Array[]): VerifiedSubmission {
  checkChainLength(chain);
  const certs = chain.map((der, i) => parseCertificate(der, `chain[${i}]`));
  const leaf = certs[0]!;
  if (kind === 'precert') checkPoisoned(leaf);
  else checkNotPoisoned(leaf);
  const roots = acceptedRoots.map((der, i) => parseCertificate(der, `accepted root ${i}`));
  const path = pathToRoot(certs, roots);
  const rest = path.slice(1).map((c) => c.der);
  if (kind === 'x509') {
    return { entry: { type: 'x509', certDer: leaf.der }, leafDer: leaf.der, extraData: encodeCertificateChain(rest) };
  }
  const issuer = path[1];
  if (issuer === undefined) throw bad('add-pre-chain: the precertificate needs its issuer in the chain');
  checkNotPrecertSigningCertificate(issuer);
  return {
    entry: {
      type: 'precert',
      // §3.2: issuer_key_hash = SHA-256 of the issuer's SubjectPublicKeyInfo.
      issuerKeyHash: new Uint8Array(createHash('sha256').update(issuer.spki).digest()),
      // §3.2: the TBS without the poison; only the extensions are re-encoded.
      tbsDer: replaceTbsExtension(leaf.tbs, OID_CT_POISON, null),
    },
    leafDer: leaf.der,
    extraData: encodePrecertChainEntry(leaf.der, rest),
  };
}
