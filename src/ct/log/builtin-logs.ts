/**
 * The built-in RFC 6962 logs of the embedded default (config
 * `ct.builtinLogs`): each with its own P-256 key under `<dataDir>/ct/`, its
 * tree on the project's database, and its §4 API on the artefacts listener
 * under `/ct/<name>/ct/v1/`; the log list describing them at
 * `/ct/log-list.json`.
 */
import type { Logger } from 'pino';
import type { ArtefactRoutes } from '../../artefacts/server.js';
import type { Config } from '../../config/schema.js';
import type { Clock } from '../../core/clock.js';
import type { StorageAuthority } from '../../sa/index.js';
import { toBase64 } from '../rfc6962.js';
import type { CtLogDescriptor } from '../types.js';
import { CtLog } from './ct-log.js';
import { registerCtLogRoutes } from './http-api.js';
import { buildLogList } from './log-list.js';
import { loadOrCreateLogKey } from './log-key.js';

export type { CtLogDescriptor } from '../types.js';

export interface BuiltinCtLogs {
  /** Fastify routes for every built-in log; pass to buildArtefactServer(…, [logs.routes]). */
  routes: ArtefactRoutes;
  /** Descriptors once the artefacts base URL is known. */
  descriptors(artefactsBaseUrl: string): CtLogDescriptor[];
  /** Log-list JSON (Google log list v3 shape) describing these logs, for monitors such as certspotter. */
  logListJson(artefactsBaseUrl: string): unknown;
  /** The logs themselves (tests, admin tooling). */
  logs: readonly CtLog[];
}

/** `<base>/ct/<name>/` — the base URL a client appends `ct/v1/…` to. */
export function builtinLogUrl(artefactsBaseUrl: string, name: string): string {
  return `${artefactsBaseUrl.replace(/\/+$/, '')}/ct/${name}/`;
}

export async function openBuiltinLogs(opts: {
  config: Config;
  sa: StorageAuthority;
  clock: Clock;
  logger: Logger;
  /** DER roots the logs accept chains to. */
  acceptedRoots: () => Uint8Array[];
}): Promise<BuiltinCtLogs> {
  const { config, sa, clock, logger } = opts;
  const names = config.ct.builtinLogs.map((l) => l.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new Error(`ct.builtinLogs: the log name ${dup} is used twice`);
  const logs: CtLog[] = [];
  for (const l of config.ct.builtinLogs) {
    const key = await loadOrCreateLogKey(config.dataDir, l.name);
    if (key.created) logger.info({ ctLog: l.name, logId: toBase64(key.logId), keyFile: key.path }, 'generated CT log key');
    const log = new CtLog({
      name: l.name,
      operator: l.operator,
      mmdSeconds: config.ct.builtinMmdSeconds,
      key,
      sa,
      clock,
      logger,
      acceptedRoots: opts.acceptedRoots,
    });
    await log.init();
    logs.push(log);
  }
  const openedAt = clock.now();
  const descriptors = (base: string): CtLogDescriptor[] =>
    logs.map((l) => ({
      name: l.name,
      url: builtinLogUrl(base, l.name),
      operator: l.operator,
      publicKeySpki: l.spki,
      logId: l.logId,
      mmdSeconds: l.mmdSeconds,
    }));
  const logListJson = (base: string): unknown => buildLogList(descriptors(base), clock.now(), openedAt);
  return {
    logs,
    descriptors,
    logListJson,
    routes: (app) => {
      for (const l of logs) registerCtLogRoutes(app, l, logger);
      // The base URL is read per request: app.ts fills it in once the listener is bound.
      app.get('/ct/log-list.json', async (_req, reply) =>
        reply.header('Cache-Control', 'no-cache').type('application/json').send(logListJson(config.artefacts.baseUrl)),
      );
    },
  };
}
