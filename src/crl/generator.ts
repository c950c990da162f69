/**
 * Generate CRL shards: decide which shards of the current issuing CA need a
 * new CRL, build and sign it, and publish it with a compare-and-set on the
 * CRL number (safe with several instances on one database).
 *
 * Timing (BR §4.9.7; WEBPKI.md §1.11): a shard is re-signed when its
 * content changed (a revocation, a changed reason, a listed certificate
 * that expired, a changed URL), when it is `crl.maxAgeHours` old (≤ 24 h;
 * also never later than half its nextUpdate window), and when it does not
 * exist yet. The job looks every `crl.regenerateSeconds`.
 */
import type { Logger } from 'pino';
import type { IssuingCa } from '../ca/issuing-ca.js';
import type { Clock } from '../core/clock.js';
import type { Config } from '../config/schema.js';
import type { CrlShardRow, StorageAuthority } from '../sa/index.js';
import { buildCrl } from './build-crl.js';
import { readShardEntries, shardContentDigest } from './shard-content.js';
import { crlShardUrl } from './shard-url.js';

export interface CrlGeneratorDeps {
  /** Read at every run: `artefacts.baseUrl` (shard URLs) and `crl.*`. */
  config: Config;
  sa: StorageAuthority;
  clock: Clock;
  logger: Logger;
  /** The issuing CA whose shards are generated (the one new certificates name in their CRL DP). */
  issuingCa: () => IssuingCa;
}

export type RegenerationCause = 'missing' | 'forced' | 'changed' | 'age';

export interface PublishedCrl {
  issuerKeyId: string;
  shard: number;
  url: string;
  crlNumber: string;
  thisUpdate: string;
  nextUpdate: string;
  entries: number;
  cause: RegenerationCause;
}

export interface CrlRunReport {
  issuerKeyId: string;
  published: PublishedCrl[];
  /** Shards whose CRL was already current. */
  current: number[];
  failed: { shard: number; error: string }[];
  /** True when the job lease was lost and the run stopped early. */
  stopped: boolean;
}

export interface RegenerateOptions {
  /** Re-sign every shard, changed or not. */
  force?: boolean;
  /** Only generate shards that have no CRL yet (start-up). */
  onlyMissing?: boolean;
  /** Audit actor (default `system`). */
  actor?: string;
  /** Called before each shard; false (the job lease was lost) stops the run. */
  renewLease?: () => Promise<boolean>;
}

/** A CRL built on state another instance changed first is thrown away and rebuilt; this many tries. */
const PUBLISH_ATTEMPTS = 3;
const HOUR_MS = 3600 * 1000;

/** X.509 times have whole seconds; thisUpdate is stored exactly as encoded. */
function wholeSeconds(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}

/**
 * BR §7.2.2: strictly increasing. One more than the last, and at least the
 * thisUpdate in Unix milliseconds, so numbers keep increasing even after the
 * database is restored from a backup (as Boulder does with its timestamps).
 */
export function nextCrlNumber(previous: string | undefined, thisUpdate: Date): bigint {
  const fromClock = BigInt(thisUpdate.getTime());
  if (previous === undefined) return fromClock;
  if (!/^[0-9]+$/.test(previous)) throw new Error(`stored CRL number ${JSON.stringify(previous)} is not a decimal number`);
  const next = BigInt(previous) + 1n;
  return next > fromClock ? next : fromClock;
}

/** The longest a CRL stays unsigned: maxAgeHours, and never more than half its nextUpdate window. */
export function maxCrlAgeMs(crl: Config['crl']): number {
  return Math.min(crl.maxAgeHours, crl.nextUpdateHours / 2) * HOUR_MS;
}

/** Why `prev` must be replaced now, or undefined when it is current. */
export function regenerationCause(
  prev: Pick<CrlShardRow, 'this_update' | 'content_sha256'> | undefined,
  digest: string,
  now: Date,
  maxAgeMs: number,
  force: boolean,
): RegenerationCause | undefined {
  if (prev === undefined) return 'missing';
  if (force) return 'forced';
  if (prev.content_sha256 !== digest) return 'changed';
  if (now.getTime() - new Date(prev.this_update).getTime() >= maxAgeMs) return 'age';
  return undefined;
}

/** Generate one shard if it needs it; undefined when it was current. */
async function publishShard(
  deps: CrlGeneratorDeps,
  ca: IssuingCa,
  issuerKeyId: string,
  shard: number,
  opts: RegenerateOptions,
): Promise<PublishedCrl | undefined> {
  const { config, sa } = deps;
  for (let attempt = 1; attempt <= PUBLISH_ATTEMPTS; attempt++) {
    const prev = await sa.repos.getCrlShard(issuerKeyId, shard);
    if (opts.onlyMissing === true && prev !== undefined) return undefined;
    const now = wholeSeconds(deps.clock.now());
    const url = crlShardUrl(config.artefacts.baseUrl, issuerKeyId, shard);
    // Listed: every revoked certificate not yet expired at the previous CRL (see shard-content.ts).
    const since = prev === undefined ? new Date(0) : new Date(Math.min(new Date(prev.this_update).getTime(), now.getTime()));
    const entries = await readShardEntries(sa.repos, issuerKeyId, shard, since);
    const digest = shardContentDigest(url, entries, now);
    const cause = regenerationCause(prev, digest, now, maxCrlAgeMs(config.crl), opts.force === true);
    if (cause === undefined) return undefined;

    const crlNumber = nextCrlNumber(prev?.crl_number, now);
    const nextUpdate = new Date(now.getTime() + config.crl.nextUpdateHours * HOUR_MS);
    const der = await buildCrl({ ca, crlNumber, thisUpdate: now, nextUpdate, idpUrl: url, entries });
    const row: CrlShardRow = {
      issuer_key_id: issuerKeyId,
      shard,
      crl_number: crlNumber.toString(),
      this_update: now.toISOString(),
      next_update: nextUpdate.toISOString(),
      der: Buffer.from(der).toString('base64'),
      entries: entries.length,
      generated_at: deps.clock.now().toISOString(),
      content_sha256: digest,
    };
    const stored = await sa.transaction((tx) => tx.recordCrlPublication(row, prev?.crl_number ?? null, opts.actor ?? 'system'));
    if (stored) {
      return { issuerKeyId, shard, url, crlNumber: row.crl_number, thisUpdate: row.this_update, nextUpdate: row.next_update, entries: row.entries, cause };
    }
    deps.logger.info({ issuerKeyId, shard, attempt }, 'another instance published this CRL shard first; rebuilding on its state');
  }
  throw new Error(`CRL shard ${shard} kept changing under this instance (${PUBLISH_ATTEMPTS} attempts)`);
}

/** The shards to keep: 0..crl.shards−1 and any shard that already has a CRL (certificates name it even if the count shrank). */
async function shardsOf(deps: CrlGeneratorDeps, issuerKeyId: string): Promise<number[]> {
  const existing = await deps.sa.repos.listCrlShardNumbers(issuerKeyId);
  const all = new Set<number>(existing);
  for (let s = 0; s < deps.config.crl.shards; s++) all.add(s);
  return [...all].sort((a, b) => a - b);
}

/** Regenerate the current issuer's shards that need it (all with `force`, missing ones only with `onlyMissing`). */
export async function regenerateShards(deps: CrlGeneratorDeps, opts: RegenerateOptions = {}): Promise<CrlRunReport> {
  const ca = deps.issuingCa();
  const issuerKeyId = Buffer.from(ca.keyIdentifier).toString('hex');
  const report: CrlRunReport = { issuerKeyId, published: [], current: [], failed: [], stopped: false };
  for (const shard of await shardsOf(deps, issuerKeyId)) {
    if (opts.renewLease !== undefined && !(await opts.renewLease())) {
      report.stopped = true;
      break;
    }
    try {
      const published = await publishShard(deps, ca, issuerKeyId, shard, opts);
      if (published === undefined) report.current.push(shard);
      else {
        report.published.push(published);
        deps.logger.info(published, 'CRL shard published');
      }
    } catch (err) {
      // One broken shard must not hold back the others' revocations.
      deps.logger.error({ err, issuerKeyId, shard }, 'CRL shard generation failed');
      report.failed.push({ shard, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return report;
}
