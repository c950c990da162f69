/**
 * `ct.logs` (external RFC 6962 logs, e.g. taken from Chrome's
 * log_list.json) as log descriptors. Every mistake is a ConfigError naming
 * the field, at start-up, rather than an issuance failure later.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { ConfigError } from '../../config/load.js';
import type { Config } from '../../config/schema.js';
import { base64Strict, logIdOf } from '../rfc6962.js';
import type { CtLogDescriptor } from '../types.js';

/**
 * External logs do not state their MMD in `ct.logs`; use the bound the
 * Chrome program sets for RFC 6962 logs, 24 hours (Chrome log_policy.md).
 */
const EXTERNAL_LOG_MMD_SECONDS = 86_400;

/** RFC 6962 §2.1.4: a log key is ECDSA NIST P-256 or RSA of at least 2048 bits. */
function checkLogKey(key: KeyObject, field: string): void {
  const d = key.asymmetricKeyDetails;
  const ok =
    (key.asymmetricKeyType === 'ec' && d?.namedCurve === 'prime256v1') ||
    (key.asymmetricKeyType === 'rsa' && (d?.modulusLength ?? 0) >= 2048);
  if (!ok) throw new ConfigError(`${field}: a CT log key must be ECDSA P-256 or RSA ≥ 2048 bits (RFC 6962 §2.1.4)`);
}

function publicKeyOf(b64: string, field: string): Uint8Array {
  let spki: Uint8Array;
  let key: KeyObject;
  try {
    spki = base64Strict(b64.trim(), field);
    key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch {
    throw new ConfigError(`${field}: expected the log's DER SubjectPublicKeyInfo in base64`);
  }
  checkLogKey(key, field);
  return spki;
}

/** The log's base URL with a trailing '/', to which `ct/v1/<endpoint>` is appended (RFC 6962 §4). */
function baseUrlOf(raw: string, field: string): string {
  const u = new URL(raw);
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new ConfigError(`${field}: expected an http(s) URL`);
  if (/\/ct\/v1\/?$/.test(u.pathname)) throw new ConfigError(`${field}: give the log's base URL, without ct/v1/ (it is appended)`);
  return raw.endsWith('/') ? raw : `${raw}/`;
}

/** Descriptors for the external logs configured in `ct.logs`, in configuration order. */
export function externalLogDescriptors(config: Config): CtLogDescriptor[] {
  return config.ct.logs.map((l, i) => {
    const field = `ct.logs[${i}]`;
    const publicKeySpki = publicKeyOf(l.key, `${field}.key`);
    const d: CtLogDescriptor = {
      name: l.name,
      url: baseUrlOf(l.url, `${field}.url`),
      operator: l.operator,
      publicKeySpki,
      logId: logIdOf(publicKeySpki),
      mmdSeconds: EXTERNAL_LOG_MMD_SECONDS,
    };
    if (l.startInclusive !== undefined) d.startInclusive = new Date(l.startInclusive);
    if (l.endExclusive !== undefined) d.endExclusive = new Date(l.endExclusive);
    if (d.startInclusive !== undefined && d.endExclusive !== undefined && d.startInclusive >= d.endExclusive) {
      throw new ConfigError(`${field}: startInclusive must be before endExclusive`);
    }
    return d;
  });
}
