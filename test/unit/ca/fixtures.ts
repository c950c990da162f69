/** Helpers for the ca/ tests: CSR construction, hand-made RSA keys, openssl. */
import { spawnSync } from 'node:child_process';
import { checkPrimeSync, createPrivateKey, createPublicKey, randomBytes, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Attributes, CertificationRequest, CertificationRequestInfo } from '@peculiar/asn1-csr';
import {
  AlgorithmIdentifier,
  Certificate,
  Attribute,
  Extension,
  Extensions,
  GeneralName,
  Name,
  SubjectAlternativeName,
  SubjectPublicKeyInfo,
  id_ce_subjectAltName,
} from '@peculiar/asn1-x509';
import { OctetString } from '@peculiar/asn1-schema';
import { validateConfig } from '../../../src/config/load.js';
import type { Config, ConfigInput } from '../../../src/config/schema.js';
import { distinguishedName, OID_CN } from '../../../src/ca/x509-extensions.js';

const tempDirs: string[] = [];
process.once('exit', () => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

/** A fresh temporary directory, removed when the test process exits (it may hold CA keys). */
export function tempDir(prefix = 'shomei-ca-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(d);
  return d;
}

export function testConfig(dataDir: string, input: ConfigInput = {}): Config {
  return validateConfig({ ...input, dataDir });
}

export function spkiOf(key: KeyObject): Uint8Array {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return new Uint8Array(pub.export({ type: 'spki', format: 'der' }));
}

export interface CsrOptions {
  /** Private key that signs the request. */
  key: KeyObject;
  /** SPKI to put in the request instead of the signing key's. */
  spki?: Uint8Array;
  dnsNames?: string[];
  extraSans?: GeneralName[];
  cn?: string;
  /** Signature hash (default sha256; null for Ed25519). */
  hash?: string | null;
  /** signatureAlgorithm OID (default: from the key type and hash). */
  sigOid?: string;
}

const SIG_OIDS: Record<string, Record<string, string>> = {
  rsa: { sha1: '1.2.840.113549.1.1.5', sha256: '1.2.840.113549.1.1.11', sha384: '1.2.840.113549.1.1.12' },
  ec: { sha1: '1.2.840.10045.4.1', sha256: '1.2.840.10045.4.3.2', sha384: '1.2.840.10045.4.3.3', sha512: '1.2.840.10045.4.3.4' },
};

/** A PKCS#10 request signed with node:crypto, so any key type (even refused ones) can be used. */
export function makeCsr(o: CsrOptions): Uint8Array {
  const sans = [...(o.dnsNames ?? []).map((dNSName) => new GeneralName({ dNSName })), ...(o.extraSans ?? [])];
  const attributes = new Attributes();
  if (sans.length > 0) {
    const exts = new Extensions([
      new Extension({ extnID: id_ce_subjectAltName, critical: false, extnValue: new OctetString(AsnConvert.serialize(new SubjectAlternativeName(sans))) }),
    ]);
    attributes.push(new Attribute({ type: '1.2.840.113549.1.9.14', values: [AsnConvert.serialize(exts)] }));
  }
  const info = new CertificationRequestInfo({
    version: 0,
    subject: o.cn === undefined ? new Name([]) : distinguishedName([[OID_CN, o.cn]]),
    subjectPKInfo: AsnConvert.parse(o.spki ?? spkiOf(o.key), SubjectPublicKeyInfo),
    attributes,
  });
  const infoDer = new Uint8Array(AsnConvert.serialize(info));
  const hash = o.hash === undefined ? 'sha256' : o.hash;
  const signature = sign(hash, infoDer, o.key);
  const kind = o.key.asymmetricKeyType === 'ec' ? 'ec' : 'rsa';
  const sigOid = o.sigOid ?? SIG_OIDS[kind]?.[hash ?? ''] ?? '1.3.101.112';
  const params = kind === 'rsa' && o.sigOid === undefined ? { parameters: new Uint8Array([5, 0]).buffer } : {};
  const csr = new CertificationRequest({
    certificationRequestInfo: info,
    signatureAlgorithm: new AlgorithmIdentifier({ algorithm: sigOid, ...params }),
    signature: new Uint8Array(signature).buffer,
  });
  return new Uint8Array(AsnConvert.serialize(csr));
}

function b64u(n: bigint): string {
  let hex = n.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  return Buffer.from(hex, 'hex').toString('base64url');
}

function modInv(a: bigint, m: bigint): bigint {
  let [r0, r1] = [a % m, m];
  let [s0, s1] = [1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  if (r0 !== 1n) throw new Error('not invertible');
  return ((s0 % m) + m) % m;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** An RSA private key built from chosen primes (for weak-key tests). */
export function rsaKeyFromPrimes(p: bigint, q: bigint, e = 65537n): KeyObject {
  const n = p * q;
  const lambda = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
  const d = modInv(e, lambda);
  return createPrivateKey({
    format: 'jwk',
    key: {
      kty: 'RSA',
      n: b64u(n),
      e: b64u(e),
      d: b64u(d),
      p: b64u(p),
      q: b64u(q),
      dp: b64u(d % (p - 1n)),
      dq: b64u(d % (q - 1n)),
      qi: b64u(modInv(q, p)),
    },
  });
}

export function nextPrime(from: bigint): bigint {
  let c = from % 2n === 0n ? from + 1n : from;
  while (!checkPrimeSync(c)) c += 2n;
  return c;
}

export function randomBigInt(bits: number): bigint {
  const bytes = randomBytes(Math.ceil(bits / 8));
  return BigInt(`0x${bytes.toString('hex')}`) >> BigInt(bytes.length * 8 - bits);
}

export function gcdBig(a: bigint, b: bigint): bigint {
  return gcd(a, b);
}

export function openssl(args: string[], input?: string): { status: number; stdout: string; stderr: string } {
  const r = spawnSync('openssl', args, { encoding: 'utf8', input });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function writeTemp(dir: string, name: string, content: string | Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let r = 1n;
  let b = base % mod;
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) r = (r * b) % mod;
    b = (b * b) % mod;
  }
  return r;
}

/** A prime of the Infineon (ROCA) form k·M + (65537^a mod M) in [1.5·2^1023, 2^1024). */
export function rocaStylePrime(M: bigint): bigint {
  const lo = (3n << 1022n) / M + 1n;
  const hi = ((1n << 1024n) - M) / M - 1n;
  for (;;) {
    const k = lo + (randomBigInt(1024) % (hi - lo));
    const p = k * M + modPow(65537n, randomBigInt(62), M);
    if (checkPrimeSync(p)) return p;
  }
}

/** A random prime in [1.5·2^1023, 2^1024), so products of two are exactly 2048 bits. */
export function prime1024(): bigint {
  for (;;) {
    const c = (3n << 1022n) + (randomBigInt(1024) % (1n << 1022n));
    const p = nextPrime(c);
    if (p < 1n << 1024n) return p;
  }
}

/** `openssl verify` of leaf → intermediate → root at time `at`; returns openssl's status and output. */
export function opensslVerify(
  dir: string,
  pems: { root: string; intermediate: string; leaf: string },
  at: Date,
  purpose = 'sslserver',
): { status: number; output: string } {
  const root = writeTemp(dir, 'verify-root.pem', pems.root);
  const inter = writeTemp(dir, 'verify-intermediate.pem', pems.intermediate);
  const leaf = writeTemp(dir, 'verify-leaf.pem', pems.leaf);
  const r = openssl([
    'verify',
    '-x509_strict',
    '-purpose',
    purpose,
    '-attime',
    String(Math.floor(at.getTime() / 1000)),
    '-CAfile',
    root,
    '-untrusted',
    inter,
    leaf,
  ]);
  return { status: r.status, output: r.stdout + r.stderr };
}

/** `openssl x509 -text -noout` of a PEM. */
export function opensslText(dir: string, pem: string): string {
  const r = openssl(['x509', '-text', '-noout', '-in', writeTemp(dir, 'text.pem', pem)]);
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
}

/** Parse a certificate with @peculiar/asn1-x509 (no reflect polyfill needed, unlike @peculiar/x509). */
export function parseCert(der: Uint8Array): Certificate {
  return AsnConvert.parse(der, Certificate);
}

/** The extension `oid` of `cert`, parsed as `type`, with its criticality; undefined when absent. */
export function certExtension<T>(
  cert: Certificate,
  oid: string,
  type: new () => T,
): { critical: boolean; value: T } | undefined {
  const e = cert.tbsCertificate.extensions?.find((x) => x.extnID === oid);
  return e === undefined ? undefined : { critical: e.critical, value: AsnConvert.parse(e.extnValue, type) };
}

export function hex(b: ArrayBuffer | Uint8Array): string {
  return Buffer.from(b instanceof Uint8Array ? b : new Uint8Array(b)).toString('hex');
}
