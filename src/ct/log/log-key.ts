/**
 * The signing key of one built-in CT log: ECDSA P-256 (RFC 6962 §2.1.4),
 * generated on first start into `<dataDir>/ct/<name>.key` (PKCS#8 PEM, mode
 * 0600, directory 0700) and loaded afterwards. Key material is never logged.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign as nodeSign, type KeyObject } from 'node:crypto';
import { chmod, link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fromPem, toPem } from '../../ca/pem.js';
import { logIdOf } from '../rfc6962.js';

export interface LogKey {
  /** DER SubjectPublicKeyInfo. */
  spki: Uint8Array;
  /** SHA-256 of the SPKI (RFC 6962 §3.2). */
  logId: Uint8Array;
  /** ECDSA P-256 with SHA-256; DER ECDSA-Sig-Value (RFC 5246 §4.7 digitally-signed). */
  sign(data: Uint8Array): Uint8Array;
  /** Path of the key file. */
  path: string;
  /** True when this call generated the key. */
  created: boolean;
}

export function logKeyPath(dataDir: string, name: string): string {
  return join(dataDir, 'ct', `${name}.key`);
}

function fromPrivateKey(key: KeyObject, path: string, created: boolean): LogKey {
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error(`${path} is not an ECDSA P-256 key (RFC 6962 §2.1.4)`);
  }
  const spki = new Uint8Array(createPublicKey(key).export({ format: 'der', type: 'spki' }));
  return {
    spki,
    logId: logIdOf(spki),
    sign: (data) => new Uint8Array(nodeSign('sha256', data, { key, dsaEncoding: 'der' })),
    path,
    created,
  };
}

/**
 * Write a new key without ever exposing a half-written file: the PEM goes to
 * a private temporary file, then is hard-linked into place, which fails if
 * another process (a second worker) won the race — that process's key is
 * then loaded instead.
 */
async function createKeyFile(path: string): Promise<boolean> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = toPem('PRIVATE KEY', new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' })));
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  await writeFile(tmp, pem, { mode: 0o600, flag: 'wx' });
  try {
    await chmod(tmp, 0o600);
    await link(tmp, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    await unlink(tmp);
  }
}

/** Load the key of log `name`, generating it on first use. */
export async function loadOrCreateLogKey(dataDir: string, name: string): Promise<LogKey> {
  const dir = join(dataDir, 'ct');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') await chmod(dir, 0o700);
  const path = logKeyPath(dataDir, name);
  let created = false;
  try {
    await stat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    created = await createKeyFile(path);
  }
  const st = await stat(path);
  if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
    throw new Error(`${path} is accessible by group or others; chmod 600 it`);
  }
  const der = fromPem(await readFile(path, 'utf8'), 'PRIVATE KEY');
  const key = createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' });
  return fromPrivateKey(key, path, created);
}
