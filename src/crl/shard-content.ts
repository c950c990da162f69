/**
 * What a CRL shard lists, read from the database, and a digest of it that
 * tells the generator whether the published CRL is still current.
 *
 * BR §7.2 (revokedCertificates): an entry stays until it has appeared on at
 * least one CRL issued after the certificate's expiry; BR §4.10.1: never
 * removed before expiry. So a CRL lists every revoked certificate of the
 * shard whose notAfter is after the *previous* CRL's thisUpdate: a
 * certificate that expired since then is listed one last time, and dropped
 * from the CRL after that.
 */
import { createHash } from 'node:crypto';
import { children, contentOf, expectTag, readWhole } from '../ca/der.js';
import type { Repositories } from '../sa/index.js';
import type { CrlEntry } from './build-crl.js';

export interface ShardEntry extends CrlEntry {
  /** Canonical serial hex. */
  serialHex: string;
  notAfter: Date;
  /** revoked_at exactly as stored (the digest uses it, not the second-rounded CRL time). */
  revokedAtIso: string;
}

const OID_AKI_CONTENT = Buffer.from('551d23', 'hex'); // 2.5.29.35

/** keyIdentifier of a certificate's authorityKeyIdentifier, hex; undefined when it has none or does not parse. */
export function authorityKeyIdHexOf(certDer: Uint8Array): string | undefined {
  try {
    const cert = expectTag(readWhole(certDer), 0x30, 'Certificate');
    const tbs = expectTag(children(certDer, cert)[0], 0x30, 'tbsCertificate');
    const extsWrapper = children(certDer, tbs).find((t) => t.tag === 0xa3);
    if (extsWrapper === undefined) return undefined;
    const exts = expectTag(children(certDer, extsWrapper)[0], 0x30, 'extensions');
    for (const ext of children(certDer, exts)) {
      const [oid, ...rest] = children(certDer, ext);
      if (oid === undefined || !OID_AKI_CONTENT.equals(contentOf(certDer, expectTag(oid, 0x06, 'extnID')))) continue;
      const value = expectTag(rest[rest.length - 1], 0x04, 'extnValue');
      const inner = contentOf(certDer, value);
      const aki = expectTag(readWhole(inner), 0x30, 'AuthorityKeyIdentifier');
      const keyId = children(inner, aki).find((t) => t.tag === 0x80);
      return keyId === undefined ? undefined : Buffer.from(contentOf(inner, keyId)).toString('hex');
    }
    return undefined;
  } catch {
    return undefined;
  }
}

/** Certificates never change, so the AKI of a legacy row is read from its DER once per process. */
const legacyIssuerCache = new Map<string, string | undefined>();

function legacyIssuerOf(serial: string, derB64: string): string | undefined {
  if (!legacyIssuerCache.has(serial)) legacyIssuerCache.set(serial, authorityKeyIdHexOf(Buffer.from(derB64, 'base64')));
  return legacyIssuerCache.get(serial);
}

/**
 * The revoked certificates of `shard` of `issuerKeyId` whose notAfter is
 * after `notAfterAfter`. Certificates stored without an issuer (before
 * `issuer_key_id` existed, so also without a CRL DP) belong to shard 0 of
 * the issuer named by their AKI.
 */
export async function readShardEntries(
  repos: Pick<Repositories, 'listRevokedForCrlShard' | 'listRevokedWithoutIssuer'>,
  issuerKeyId: string,
  shard: number,
  notAfterAfter: Date,
): Promise<ShardEntry[]> {
  const notAfterAfterIso = notAfterAfter.toISOString();
  const rows = await repos.listRevokedForCrlShard({ issuerKeyId, shard, notAfterAfterIso });
  if (shard === 0) {
    for (const r of await repos.listRevokedWithoutIssuer(notAfterAfterIso)) {
      if (legacyIssuerOf(r.serial, r.der) === issuerKeyId) rows.push(r);
    }
  }
  return rows.map((r) => ({
    serialHex: r.serial,
    revokedAt: new Date(r.revoked_at),
    revokedAtIso: r.revoked_at,
    reason: r.revocation_reason,
    notAfter: new Date(r.not_after),
  }));
}

/**
 * SHA-256 over the shard URL and the entries that are still unexpired at
 * `at` (serial, revocation time, reason), independent of order. Equal
 * digests at generation and later mean: same URL, no new or changed
 * revocation, and no listed certificate expired in between — so nothing
 * would change but thisUpdate.
 */
export function shardContentDigest(url: string, entries: readonly ShardEntry[], at: Date): string {
  const lines = entries
    .filter((e) => e.notAfter.getTime() > at.getTime())
    .map((e) => `${e.serialHex} ${e.revokedAtIso} ${e.reason}`)
    .sort();
  return createHash('sha256').update(`${url}\n${lines.join('\n')}`).digest('hex');
}
