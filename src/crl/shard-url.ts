/**
 * Which CRL shard a certificate is listed on, and the URL of each shard.
 *
 * A certificate's shard is fixed when it is issued: its CRL Distribution
 * Point names the shard's URL, and the shard's CRL carries the very same URL
 * in its issuingDistributionPoint (BR §7.2.2.1: byte-identical). Both sides
 * therefore take the URL from `crlShardUrl` only.
 *
 *   http://<artefacts base>/crl/<first 16 hex of the issuer's key id>/<shard>.crl
 */
import { canonicalSerialHex } from '../core/serial-number.js';

/** Hex digits of the issuing CA's subjectKeyIdentifier used in the URL (64 bits: unique among one CA's issuers). */
export const CRL_ISSUER_ID_HEX = 16;

/** Highest shard number a URL may name (config allows up to 1024 shards). */
const MAX_SHARD = 1023;

function assertShard(shard: number, shards = MAX_SHARD + 1): void {
  if (!Number.isInteger(shard) || shard < 0 || shard >= shards) throw new Error(`CRL shard ${shard} is outside 0..${shards - 1}`);
}

/**
 * The shard of a certificate: its serial number modulo `shards`. Serials
 * carry ≥ 64 CSPRNG bits (BR §7.1.2.7), so the value is evenly spread and
 * the same certificate always lands on the same shard. `00ab…` (DER with a
 * sign byte) and `ab…` are the same serial and get the same shard.
 */
export function crlShardFor(serialHex: string, shards: number): number {
  if (!Number.isInteger(shards) || shards < 1 || shards > MAX_SHARD + 1) throw new Error(`CRL shard count ${shards} is outside 1..${MAX_SHARD + 1}`);
  const canonical = canonicalSerialHex(serialHex);
  if (!/^[0-9a-f]+$/.test(canonical)) throw new Error(`not a serial number: ${JSON.stringify(serialHex)}`);
  let rest = 0;
  for (const b of Buffer.from(canonical, 'hex')) rest = (rest * 256 + b) % shards;
  return rest;
}

/** The issuer part of a shard URL: the first 16 hex digits (lower case) of the issuer's key identifier. */
export function crlIssuerId(issuerKeyIdHex: string): string {
  const hex = issuerKeyIdHex.toLowerCase();
  if (!/^[0-9a-f]+$/.test(hex) || hex.length < CRL_ISSUER_ID_HEX) {
    throw new Error(`issuer key id must be at least ${CRL_ISSUER_ID_HEX} hex digits, got ${JSON.stringify(issuerKeyIdHex)}`);
  }
  return hex.slice(0, CRL_ISSUER_ID_HEX);
}

/**
 * The URL of one shard of one issuer. BR §7.1.2.11.2: CRL DP URIs are
 * `http` (CRLs are signed; fetching them must not depend on TLS), so any
 * other scheme is refused. The result is in WHATWG URL serialisation, so
 * the certificate's CRL DP and the CRL's IDP are the same bytes.
 */
export function crlShardUrl(artefactsBaseUrl: string, issuerKeyIdHex: string, shard: number): string {
  assertShard(shard);
  const base = new URL(artefactsBaseUrl);
  if (base.protocol !== 'http:') throw new Error(`CRL URLs must be http:// (BR §7.1.2.11.2), got ${artefactsBaseUrl}`);
  if (base.username !== '' || base.password !== '' || base.search !== '' || base.hash !== '') {
    throw new Error(`artefacts base URL must not carry credentials, a query or a fragment: ${artefactsBaseUrl}`);
  }
  const path = base.pathname.replace(/\/+$/, '');
  return new URL(`${base.origin}${path}/crl/${crlIssuerId(issuerKeyIdHex)}/${shard}.crl`).href;
}

/** What a request path on the artefacts listener names. */
export interface CrlShardLocation {
  /** The first 16 hex digits of the issuer's key identifier. */
  issuerId: string;
  shard: number;
}

const SHARD_PATH = /^\/crl\/([0-9a-f]{16})\/(0|[1-9][0-9]{0,3})\.crl$/;

/**
 * The reverse of `crlShardUrl` for the listener: `/crl/<issuer>/<shard>.crl`
 * (query string ignored). Only the canonical spelling is accepted (lower-case
 * hex, no leading zeros), so each CRL has exactly one URL.
 */
export function parseCrlShardPath(path: string): CrlShardLocation | undefined {
  const m = SHARD_PATH.exec(path.split('?')[0] ?? '');
  if (m === null) return undefined;
  const shard = Number(m[2]);
  if (shard > MAX_SHARD) return undefined;
  return { issuerId: m[1]!, shard };
}
