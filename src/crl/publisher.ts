/**
 * The CRL component's front door (DESIGN: `crl/` — build, sign via `ca`,
 * publish over HTTP): what app.ts and the CLI wire in.
 */
import type { Logger } from 'pino';
import type { ArtefactRoutes } from '../artefacts/server.js';
import type { IssuingCa } from '../ca/issuing-ca.js';
import { crlDistributionPointsDer } from '../ca/x509-extensions.js';
import type { Clock } from '../core/clock.js';
import type { Config } from '../config/schema.js';
import { crlJob } from '../jobs/crl-job.js';
import type { Job } from '../jobs/job-runner.js';
import type { StorageAuthority } from '../sa/index.js';
import { regenerateShards, type CrlRunReport, type RegenerateOptions } from './generator.js';
import { crlRoutes } from './routes.js';
import { crlShardFor, crlShardUrl } from './shard-url.js';

export interface CrlPublisherDeps {
  /** Read lazily: `artefacts.baseUrl` may be resolved after the listener is bound. */
  config: Config;
  sa: StorageAuthority;
  clock: Clock;
  logger: Logger;
  issuingCa: () => IssuingCa;
}

/** Where a new certificate of the current issuer is listed, and the extension that says so. */
export interface CrlDistributionPoint {
  /** Hex subjectKeyIdentifier of the issuing CA: `certificates.issuer_key_id`. */
  issuerKeyId: string;
  /** `certificates.crl_shard`. */
  shard: number;
  /** The http:// URL, byte-identical to the shard CRL's issuingDistributionPoint. */
  url: string;
  /** DER Extension cRLDistributionPoints (non-critical) for the leaf. */
  extensionDer: Uint8Array;
}

export interface CrlPublisher {
  /**
   * Generate every shard of the current issuer that has no CRL yet, so every
   * CRL DP URL answers (MRSP §5.2: no CDP may point to a non-operational
   * service). Rejects when a shard could not be generated: start-up should stop.
   */
  ensureShards(): Promise<CrlRunReport>;
  /** Regenerate the shards that need it now (every shard with `force`). */
  regenerate(opts?: RegenerateOptions): Promise<CrlRunReport>;
  /** Register on the artefacts listener: `buildArtefactServer(ca, logger, [publisher.routes])`. */
  readonly routes: ArtefactRoutes;
  /** The scheduled job (runs at most every `crl.regenerateSeconds`). */
  job(): Job;
  /** The shard, URL and CRL DP extension for a new certificate with this serial. */
  distributionPointFor(serialHex: string): CrlDistributionPoint;
}

export function createCrlPublisher(deps: CrlPublisherDeps): CrlPublisher {
  const regenerate = (opts: RegenerateOptions = {}) => regenerateShards(deps, opts);
  return {
    async ensureShards() {
      const report = await regenerateShards(deps, { onlyMissing: true });
      if (report.failed.length > 0) {
        throw new Error(`CRL shards could not be generated: ${report.failed.map((f) => `shard ${f.shard}: ${f.error}`).join('; ')}`);
      }
      return report;
    },
    regenerate,
    routes: crlRoutes({ sa: deps.sa, clock: deps.clock, config: deps.config }),
    job: () => crlJob({ regenerate, sa: deps.sa, clock: deps.clock, config: deps.config }),
    distributionPointFor(serialHex) {
      const issuerKeyId = Buffer.from(deps.issuingCa().keyIdentifier).toString('hex');
      const shard = crlShardFor(serialHex, deps.config.crl.shards);
      const url = crlShardUrl(deps.config.artefacts.baseUrl, issuerKeyId, shard);
      return { issuerKeyId, shard, url, extensionDer: crlDistributionPointsDer(url) };
    },
  };
}
