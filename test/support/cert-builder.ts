/**
 * Builds DV leaves with the real issuance code (dev hierarchy, dvLeafProfile,
 * encodeTbs) for the linter tests, then lets a test break one thing: edit the
 * extension list, replace a whole TBSCertificate field with raw DER, or swap
 * the signature algorithms. The TBS is signed with a throwaway key, as the
 * lead's "lint key" does.
 *
 * The clean leaf is exactly what the issuance code builds: the profile adds
 * the CRL DP (`crlUrl`) and, for a precertificate, the CT poison; a final
 * certificate gets `sctListExtensionDer` (src/ct/precertificate.ts) with
 * made-up SCTs. Small local encoders make the broken variants those
 * functions refuse to produce (https CRL URLs, critical SCT lists, …).
 */
import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  bytesOf,
  children,
  contentOf,
  decodeOid,
  encodeBitString,
  encodeConstructed,
  encodeOid,
  encodeTlv,
  minimalUnsignedIntegerContent,
  readWhole,
} from '../../src/ca/der.js';
import { loadOrCreateDevHierarchy } from '../../src/ca/dev-hierarchy.js';
import { describeIssuingCa, type IssuingCa } from '../../src/ca/issuing-ca.js';
import { dvLeafProfile, type DvLeafProfile } from '../../src/ca/profile-dv.js';
import { encodeTbs, signatureAlgorithmDer } from '../../src/ca/sign-certificate.js';
import { computeValidity } from '../../src/ca/validity.js';
import { extensionDer } from '../../src/ca/x509-extensions.js';
import { CT_POISON_EXTENSION_DER, sctListExtensionDer } from '../../src/ct/precertificate.js';
import { OID } from '../../src/lint/extension-values.js';

const tempDirs: string[] = [];
process.once('exit', () => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

/** The extension OIDs, as the linter knows them (one table). */
export const OIDS = OID;

export const CRL_URL = 'http://crl.shomei.test/shard/7.crl';
export const CA_ISSUERS_URL = 'http://ca.shomei.test/issuing-ca.der';

// ---- tiny DER helpers ----

export const seq = (...parts: Uint8Array[]): Uint8Array => encodeConstructed(0x30, parts);
export const set = (...parts: Uint8Array[]): Uint8Array => encodeConstructed(0x31, parts);
export const oid = (dotted: string): Uint8Array => encodeOid(dotted);
export const octets = (content: Uint8Array): Uint8Array => encodeTlv(0x04, content);
export const ia5 = (tag: number, s: string): Uint8Array => encodeTlv(tag, Buffer.from(s, 'latin1'));
export const utf8 = (s: string): Uint8Array => encodeTlv(0x0c, Buffer.from(s, 'utf8'));
export const integer = (content: Uint8Array | number[]): Uint8Array => encodeTlv(0x02, Uint8Array.from(content));
export const hexBytes = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex.replace(/\s+/g, ''), 'hex'));
export const DER_NULL = Uint8Array.of(0x05, 0x00);
export const DER_TRUE = Uint8Array.of(0x01, 0x01, 0xff);

/** An Extension with the given DER value. */
export function ext(dotted: string, critical: boolean, valueDer: Uint8Array): Uint8Array {
  return extensionDer(encodeOid(dotted), critical, valueDer);
}

/** A Name with one single-attribute RDN per entry; values are UTF8String unless a tag is given. */
export function nameDer(attrs: Array<[string, string] | [string, string, number]>): Uint8Array {
  return seq(...attrs.map(([type, value, tag]) => set(seq(oid(type), encodeTlv(tag ?? 0x0c, Buffer.from(value, tag === undefined || tag === 0x0c ? 'utf8' : 'latin1'))))));
}

/** cRLDistributionPoints with one DistributionPoint { fullName [URI…] }, any URLs (the profile's accepts http:// only). */
export function crlDistributionPointsExt(urls: string[] = [CRL_URL]): Uint8Array {
  const fullName = encodeConstructed(0xa0, urls.map((u) => ia5(0x86, u)));
  return ext(OIDS.crlDistributionPoints, false, seq(seq(encodeConstructed(0xa0, [fullName]))));
}

/** RFC 6962 §3.1 poison: critical, extnValue NULL (the CT engineer's encoding). */
export function poisonExt(): Uint8Array {
  return CT_POISON_EXTENSION_DER;
}

/** One v1 SCT (RFC 6962 §3.2) from the log `logId` (32 bytes), with a made-up signature. */
export function fakeSct(logId: Uint8Array): Uint8Array {
  const sig = randomBytes(70);
  const out = Buffer.alloc(1 + 32 + 8 + 2 + 2 + 2 + sig.length);
  let p = 0;
  out[p++] = 0; // v1
  out.set(logId, p);
  p += 32;
  out.writeBigUInt64BE(1_795_000_000_000n, p);
  p += 8;
  out.writeUInt16BE(0, p); // no extensions
  p += 2;
  out[p++] = 4; // sha256
  out[p++] = 3; // ecdsa
  out.writeUInt16BE(sig.length, p);
  p += 2;
  out.set(sig, p);
  return new Uint8Array(out);
}

/** The TLS SignedCertificateTimestampList of `scts` (RFC 6962 §3.3), without the OCTET STRING. */
export function sctListTls(scts: Uint8Array[]): Uint8Array {
  const body = Buffer.concat(scts.flatMap((s) => [Buffer.from([s.length >> 8, s.length & 0xff]), Buffer.from(s)]));
  return new Uint8Array(Buffer.concat([Buffer.from([body.length >> 8, body.length & 0xff]), body]));
}

/** The SCT list extension with SCTs from `logs` distinct logs: `sctListExtensionDer`'s, or a local critical one. */
export function sctListExt(logs = 2, critical = false): Uint8Array {
  const scts = Array.from({ length: logs }, (_, i) => fakeSct(new Uint8Array(32).fill(i + 1)));
  return critical ? ext(OIDS.sctList, true, octets(sctListTls(scts))) : sctListExtensionDer(scts);
}

/** The dotted OID of a DER Extension. */
export function extOid(extDer: Uint8Array): string {
  const top = readWhole(extDer);
  return decodeOid(contentOf(extDer, children(extDer, top)[0]!));
}

/** `exts` with the extension `dotted` replaced by `replacement` in place (or removed when null). */
export function replaceExt(exts: Uint8Array[], dotted: string, replacement: Uint8Array | null): Uint8Array[] {
  const i = exts.findIndex((e) => extOid(e) === dotted);
  if (i < 0) throw new Error(`no extension ${dotted} to replace`);
  const out = [...exts];
  if (replacement === null) out.splice(i, 1);
  else out[i] = replacement;
  return out;
}

// ---- the fixture ----

export interface LintFixture {
  ca: IssuingCa;
  issuerDer: Uint8Array;
  /** The issue instant every leaf is built for. */
  at: Date;
  /** DV profiles with and without the subject CN. */
  profileCn: DvLeafProfile;
  profileNoCn: DvLeafProfile;
  ecSpki: Uint8Array;
  rsaSpki: Uint8Array;
}

function spkiOf(key: KeyObject): Uint8Array {
  return new Uint8Array(key.export({ type: 'spki', format: 'der' }));
}

/** A dev hierarchy (P-256 issuing CA) in a temp dir and subscriber keys, for leaves issued at `at`. */
export async function lintFixture(at = new Date('2026-11-23T03:00:00Z')): Promise<LintFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'shomei-lint-'));
  tempDirs.push(dir);
  const h = await loadOrCreateDevHierarchy(dir, { organization: 'Shomei Lint Test', now: at });
  const ca = describeIssuingCa(h.intermediate.der, h.intermediateSigner);
  return {
    ca,
    issuerDer: h.intermediate.der,
    at,
    profileCn: dvLeafProfile(ca, { includeCommonName: true, caIssuersUrl: CA_ISSUERS_URL }),
    profileNoCn: dvLeafProfile(ca, { includeCommonName: false, caIssuersUrl: CA_ISSUERS_URL }),
    ecSpki: spkiOf(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey),
    rsaSpki: spkiOf(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey),
  };
}

export interface LeafOptions {
  kind?: 'precertificate' | 'certificate';
  names?: string[];
  includeCommonName?: boolean;
  spki?: Uint8Array;
  notBefore?: Date;
  notAfter?: Date;
  /** Edit the extension list (the profile's, with CRL DP and poison, or + SCT list). */
  extensions?: (exts: Uint8Array[]) => Uint8Array[];
  /** Raw DER Name replacing the subject / issuer. */
  subject?: Uint8Array;
  issuer?: Uint8Array;
  /** Raw DER serialNumber content octets (bypasses encodeTbs's own checks). */
  serial?: Uint8Array;
  /** Whole DER AlgorithmIdentifiers for tbsCertificate.signature and Certificate.signatureAlgorithm. */
  tbsAlgorithm?: Uint8Array;
  outerAlgorithm?: Uint8Array;
  /** Final surgery on the TBSCertificate fields (whole DER elements, in order). */
  tbsFields?: (fields: Uint8Array[]) => Uint8Array[];
}

/** The issuer's own signature AlgorithmIdentifier (ecdsa-with-SHA256 for the P-256 dev intermediate). */
export function issuerAlgorithm(fx: LintFixture): Uint8Array {
  return signatureAlgorithmDer(fx.ca.signer.signatureAlgorithmOid);
}

const lintKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;

/** Build and sign (with a throwaway key) a DV leaf, broken as `o` says. */
export function buildLeaf(fx: LintFixture, o: LeafOptions = {}): Uint8Array {
  const kind = o.kind ?? 'certificate';
  const validity = computeValidity(fx.at, { validityDays: 90, backdateSeconds: 3600, timeZone: 'Asia/Tokyo' });
  const profile = o.includeCommonName === false ? fx.profileNoCn : fx.profileCn;
  const fields = profile.fields({
    serial: minimalUnsignedIntegerContent(randomBytes(16)),
    spki: o.spki ?? fx.ecSpki,
    names: o.names ?? ['www.example.com', 'example.com'],
    notBefore: o.notBefore ?? validity.notBefore,
    notAfter: o.notAfter ?? validity.notAfter,
    crlUrl: CRL_URL,
    precertificate: kind === 'precertificate',
  });
  // The final certificate: the poison's place taken by the SCT list (RFC 6962 §3.1).
  let exts = kind === 'precertificate' ? [...fields.extensions] : [...fields.extensions, sctListExt()];
  if (o.extensions) exts = o.extensions(exts);
  const tbsAlg = o.tbsAlgorithm ?? issuerAlgorithm(fx);
  let tbs = encodeTbs(
    { ...fields, extensions: exts, subject: o.subject ?? fields.subject, issuer: o.issuer ?? fields.issuer },
    tbsAlg,
  );
  if (o.serial !== undefined || o.tbsFields !== undefined) {
    let parts = children(tbs, readWhole(tbs)).map((t) => bytesOf(tbs, t));
    if (o.serial !== undefined) parts[1] = encodeTlv(0x02, o.serial);
    if (o.tbsFields) parts = o.tbsFields(parts);
    tbs = encodeConstructed(0x30, parts);
  }
  const signature = sign('sha256', tbs, { key: lintKey, dsaEncoding: 'der' });
  return encodeConstructed(0x30, [tbs, o.outerAlgorithm ?? tbsAlg, encodeBitString(signature)]);
}

/** Index of each TBSCertificate field in a v3 certificate. */
export const TBS = { version: 0, serial: 1, signature: 2, issuer: 3, validity: 4, subject: 5, spki: 6, extensions: 7 } as const;
