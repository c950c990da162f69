/**
 * Serving CRL shards on the artefacts listener (plain HTTP, BR §7.1.2.11.2):
 * `GET|HEAD /crl/<issuer>/<shard>.crl` from the `crl_shards` table.
 *
 * Caching: `Cache-Control: public, max-age=N` with N = the regeneration
 * cycle (`crl.regenerateSeconds`), cut to the time left until nextUpdate.
 * A cache in front (CDN) therefore serves a CRL at most one cycle older than
 * the newest, so a revocation reaches relying parties within about two
 * cycles, and never serves a CRL past its nextUpdate. `ETag` is the CRL
 * number (one number is published once per shard), `Last-Modified` the
 * thisUpdate; conditional requests are answered 304.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ArtefactRoutes } from '../artefacts/server.js';
import type { Clock } from '../core/clock.js';
import type { Config } from '../config/schema.js';
import type { CrlShardRow, StorageAuthority } from '../sa/index.js';
import { parseCrlShardPath } from './shard-url.js';

export interface CrlRoutesDeps {
  sa: StorageAuthority;
  clock: Clock;
  /** Read per request: `crl.regenerateSeconds`. */
  config: Pick<Config, 'crl'>;
}

/** RFC 5280 §4.2.1.13 / RFC 2585 §4.1: a DER CRL over HTTP. */
export const CRL_CONTENT_TYPE = 'application/pkix-crl';

/** Seconds a cache may keep `row` at `now`: one regeneration cycle, never past nextUpdate. */
export function crlMaxAgeSeconds(row: Pick<CrlShardRow, 'next_update'>, now: Date, regenerateSeconds: number): number {
  const untilNext = Math.floor((new Date(row.next_update).getTime() - now.getTime()) / 1000);
  return Math.max(0, Math.min(regenerateSeconds, untilNext));
}

function etagOf(row: CrlShardRow): string {
  return `"${row.crl_number}"`;
}

/** RFC 9110 §13.1.2 (If-None-Match, weak comparison) and §13.1.3 (If-Modified-Since, only without If-None-Match). */
function notModified(req: FastifyRequest, row: CrlShardRow): boolean {
  const inm = req.headers['if-none-match'];
  if (inm !== undefined) {
    const tags = inm.split(',').map((t) => t.trim().replace(/^W\//, ''));
    return tags.includes('*') || tags.includes(etagOf(row));
  }
  const ims = req.headers['if-modified-since'];
  if (ims === undefined) return false;
  const since = Date.parse(ims);
  return Number.isFinite(since) && new Date(row.this_update).getTime() <= since;
}

export function crlRoutes(deps: CrlRoutesDeps): ArtefactRoutes {
  return (app) => {
    // Fastify answers HEAD with this handler too (exposeHeadRoutes), without the body.
    app.get('/crl/:issuer/:file', async (req: FastifyRequest, reply: FastifyReply) => {
      const where = parseCrlShardPath(req.url);
      const row = where === undefined ? undefined : await deps.sa.repos.findCrlShardByIssuerPrefix(where.issuerId, where.shard);
      if (row === undefined) return reply.code(404).header('Content-Type', 'text/plain').send('not found\n');
      const maxAge = crlMaxAgeSeconds(row, deps.clock.now(), deps.config.crl.regenerateSeconds);
      reply
        .header('Cache-Control', maxAge > 0 ? `public, max-age=${maxAge}` : 'public, max-age=0, must-revalidate')
        .header('ETag', etagOf(row))
        .header('Last-Modified', new Date(row.this_update).toUTCString());
      if (notModified(req, row)) return reply.code(304).send();
      return reply.header('Content-Type', CRL_CONTENT_TYPE).send(Buffer.from(row.der, 'base64'));
    });
  };
}
