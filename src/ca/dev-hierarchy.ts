/**
 * The generated development hierarchy of the embedded default: a P-384 root
 * and a P-256 issuing intermediate, created on first start and reloaded after.
 *
 * Files in `dir` (0700): root.pem, intermediate.pem (certificates) and
 * root-key.pem, intermediate-key.pem (PKCS#8, 0600). Key material is never
 * logged (DESIGN.md "Secrets").
 */
import { createPrivateKey, createPublicKey, webcrypto } from 'node:crypto';
import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, KeyUsageFlags } from '@peculiar/asn1-x509';
import { fromPem, toPem } from './pem.js';
import { newSerialHex, serialHexToBytes } from './serial.js';
import { signCertificate } from './sign-certificate.js';
import { type EcdsaCurve, type Signer, generateEcdsaKeyPair, importEcdsaPkcs8, webCryptoEcdsaSigner } from './signer.js';
import {
  OID_CN,
  OID_KP_SERVER_AUTH,
  OID_O,
  OID_POLICY_DV,
  authorityKeyIdentifier,
  basicConstraints,
  certificatePolicies,
  derOf,
  distinguishedName,
  extKeyUsage,
  keyIdentifierOf,
  keyUsage,
  subjectKeyIdentifier,
} from './x509-extensions.js';

export interface DevHierarchyOptions {
  organization: string;
  now: Date;
  /** WebCrypto implementation used for the keys (default: Node's). */
  subtle?: webcrypto.SubtleCrypto;
}

export interface CaCertificateFile {
  path: string;
  der: Uint8Array;
  pem: string;
}

export interface DevHierarchy {
  dir: string;
  /** True when this call generated the hierarchy. */
  created: boolean;
  root: CaCertificateFile;
  intermediate: CaCertificateFile;
  rootSigner: Signer;
  intermediateSigner: Signer;
}

export const DEV_FILES = {
  root: 'root.pem',
  rootKey: 'root-key.pem',
  intermediate: 'intermediate.pem',
  intermediateKey: 'intermediate-key.pem',
} as const;

const ROOT_YEARS = 10;
const INTERMEDIATE_YEARS = 5;
/**
 * CA certificates start this much before generation, so a leaf signed right
 * away with the largest configured backdate (ca.backdateSeconds ≤ 3600)
 * still lies inside its issuer's validity (RFC 5280 §6.1.3).
 */
export const DEV_CA_BACKDATE_SECONDS = 3600;

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/** Write `data` to `path` with `mode`, never replacing an existing file. */
async function writeNew(path: string, data: string, mode: number): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, data, { mode, flag: 'wx' });
  await chmod(tmp, mode); // the umask may have narrowed or the fs widened it
  if (await exists(path)) throw new Error(`${path} appeared while the CA was being generated`);
  await rename(tmp, path);
}

function plusYears(from: Date, years: number): Date {
  const d = new Date(from);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return new Date(d.getTime() - 1000); // inclusive end (RFC 5280 §4.1.2.5)
}

async function newKey(curve: EcdsaCurve, subtle: webcrypto.SubtleCrypto) {
  const pair = await generateEcdsaKeyPair(curve, true, subtle);
  const pkcs8 = new Uint8Array(await subtle.exportKey('pkcs8', pair.privateKey));
  const spki = new Uint8Array(await subtle.exportKey('spki', pair.publicKey));
  // Sign with a non-extractable copy: the extractable handle is only for writing the file.
  const signingKey = await importEcdsaPkcs8(pkcs8, curve, subtle);
  return { pkcs8, spki, signer: webCryptoEcdsaSigner(signingKey, spki, subtle) };
}

async function create(dir: string, opts: DevHierarchyOptions, subtle: webcrypto.SubtleCrypto): Promise<void> {
  const notBefore = new Date(Math.floor(opts.now.getTime() / 1000) * 1000 - DEV_CA_BACKDATE_SECONDS * 1000);
  const root = await newKey('P-384', subtle);
  const inter = await newKey('P-256', subtle);
  const rootName = derOf(
    distinguishedName([
      [OID_O, opts.organization],
      [OID_CN, 'Shomei Development Root CA P-384'],
    ]),
  );
  const interName = derOf(
    distinguishedName([
      [OID_O, opts.organization],
      [OID_CN, 'Shomei Development Issuing CA P-256'],
    ]),
  );
  const rootKi = keyIdentifierOf(root.spki);
  const interKi = keyIdentifierOf(inter.spki);

  // BR §7.1.2.1 root profile: cA critical, keyCertSign + cRLSign critical, SKI.
  const rootDer = await signCertificate(
    {
      serial: serialHexToBytes(newSerialHex()),
      issuer: rootName,
      subject: rootName,
      notBefore,
      notAfter: plusYears(notBefore, ROOT_YEARS),
      spki: root.spki,
      extensions: [
        keyUsage(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign),
        basicConstraints(true),
        subjectKeyIdentifier(rootKi),
      ].map(derOf),
    },
    root.signer,
  );
  // BR §7.1.2.10 TLS subordinate CA: pathLen 0, EKU serverAuth, AKI/SKI, DV policy;
  // signed by the P-384 root, hence ecdsa-with-SHA384 (BR §7.1.3.2.2).
  const interDer = await signCertificate(
    {
      serial: serialHexToBytes(newSerialHex()),
      issuer: rootName,
      subject: interName,
      notBefore,
      notAfter: plusYears(notBefore, INTERMEDIATE_YEARS),
      spki: inter.spki,
      extensions: [
        keyUsage(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign),
        basicConstraints(true, 0),
        extKeyUsage([OID_KP_SERVER_AUTH]),
        subjectKeyIdentifier(interKi),
        authorityKeyIdentifier(rootKi),
        certificatePolicies([OID_POLICY_DV]),
      ].map(derOf),
    },
    root.signer,
  );
  // Keys first, certificates last: a half-written hierarchy never looks complete.
  await writeNew(join(dir, DEV_FILES.rootKey), toPem('PRIVATE KEY', root.pkcs8), 0o600);
  await writeNew(join(dir, DEV_FILES.intermediateKey), toPem('PRIVATE KEY', inter.pkcs8), 0o600);
  await writeNew(join(dir, DEV_FILES.root), toPem('CERTIFICATE', rootDer), 0o644);
  await writeNew(join(dir, DEV_FILES.intermediate), toPem('CERTIFICATE', interDer), 0o644);
}

async function loadPair(
  dir: string,
  certFile: string,
  keyFile: string,
  curve: EcdsaCurve,
  subtle: webcrypto.SubtleCrypto,
): Promise<{ cert: CaCertificateFile; signer: Signer }> {
  const certPath = join(dir, certFile);
  const keyPath = join(dir, keyFile);
  const st = await stat(keyPath);
  if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
    throw new Error(`${keyPath} is accessible by group or others; chmod 600 it`);
  }
  const pem = await readFile(certPath, 'utf8');
  const der = fromPem(pem, 'CERTIFICATE');
  const pkcs8 = fromPem(await readFile(keyPath, 'utf8'), 'PRIVATE KEY');
  const spki = new Uint8Array(AsnConvert.serialize(AsnConvert.parse(der, Certificate).tbsCertificate.subjectPublicKeyInfo));
  const fromKey = createPublicKey(createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' })).export({
    format: 'der',
    type: 'spki',
  });
  if (!fromKey.equals(Buffer.from(spki))) throw new Error(`${keyPath} does not match ${certPath}`);
  const key = await importEcdsaPkcs8(pkcs8, curve, subtle);
  return { cert: { path: certPath, der, pem: toPem('CERTIFICATE', der) }, signer: webCryptoEcdsaSigner(key, spki, subtle) };
}

/** Load the development hierarchy from `dir`, generating it on first use. */
export async function loadOrCreateDevHierarchy(dir: string, opts: DevHierarchyOptions): Promise<DevHierarchy> {
  const subtle = opts.subtle ?? webcrypto.subtle;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') await chmod(dir, 0o700);
  const present = await Promise.all(Object.values(DEV_FILES).map((f) => exists(join(dir, f))));
  let created = false;
  if (present.every((p) => !p)) {
    await create(dir, opts, subtle);
    created = true;
  } else if (!present.every((p) => p)) {
    const missing = Object.values(DEV_FILES).filter((_, i) => !present[i]);
    throw new Error(`incomplete development CA in ${dir}: missing ${missing.join(', ')}; remove the directory to regenerate`);
  }
  const root = await loadPair(dir, DEV_FILES.root, DEV_FILES.rootKey, 'P-384', subtle);
  const intermediate = await loadPair(dir, DEV_FILES.intermediate, DEV_FILES.intermediateKey, 'P-256', subtle);
  return {
    dir,
    created,
    root: root.cert,
    intermediate: intermediate.cert,
    rootSigner: root.signer,
    intermediateSigner: intermediate.signer,
  };
}
