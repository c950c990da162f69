import cluster, { type Worker } from 'node:cluster';
import { masterKeyPath, openStorage } from '../app.js';
import { createCertificateAuthority } from '../ca/authority.js';
import { createLogger } from '../core/logger.js';
import { SecretBox } from '../core/secret-box.js';
import type { Config } from '../config/schema.js';
import { startBanner } from './banner.js';

interface ReadyMessage {
  type: 'shomei-ready';
  acmeBaseUrl: string;
  artefactsBaseUrl: string;
  rootPath: string;
}

function isReady(m: unknown): m is ReadyMessage {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'shomei-ready';
}

/** A worker tells the primary it listens (and on which URLs, for port 0). */
export function tellPrimaryReady(c: Config, rootPath: string): void {
  const msg: ReadyMessage = { type: 'shomei-ready', acmeBaseUrl: c.acme.baseUrl, artefactsBaseUrl: c.artefacts.baseUrl, rootPath };
  process.send?.(msg);
}

/**
 * The cluster primary: prepares what workers must not race for (master key,
 * migrations, the development CA), forks the workers, prints the banner once
 * they all listen, replaces a worker that dies, and on SIGTERM/SIGINT lets
 * every worker drain before exiting.
 */
export async function runPrimary(config: Config): Promise<void> {
  const logger = createLogger(config.log.level);
  SecretBox.fromFile(masterKeyPath(config));
  const sa = await openStorage(config);
  await sa.close();
  await createCertificateAuthority(config);

  let stopping = false;
  let ready = 0;
  let stop: (signal: string, exitCode?: number) => void;
  const fork = (): Worker => {
    const w = cluster.fork();
    let listening = false;
    w.on('message', (m: unknown) => {
      if (!isReady(m)) return;
      listening = true;
      ready += 1;
      if (ready === config.workers) {
        const shown: Config = {
          ...config,
          acme: { ...config.acme, baseUrl: m.acmeBaseUrl },
          artefacts: { ...config.artefacts, baseUrl: m.artefactsBaseUrl },
        };
        process.stderr.write(startBanner(shown, m.rootPath, config.workers) + '\n');
      }
    });
    w.on('exit', (code, signal) => {
      if (stopping) return;
      if (!listening) {
        // A worker that cannot start will not start when forked again: stop, don't loop.
        logger.fatal({ worker: w.id, code, signal }, 'worker failed to start');
        stop('startup failure', 1);
        return;
      }
      logger.error({ worker: w.id, code, signal }, 'worker died; starting a new one');
      fork();
    });
    return w;
  };
  for (let i = 0; i < config.workers; i++) fork();

  stop = (signal: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down workers');
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
    let left = workers.length;
    if (left === 0) process.exit(exitCode);
    for (const w of workers) {
      w.once('exit', () => {
        left -= 1;
        if (left === 0) process.exit(exitCode);
      });
      w.process.kill('SIGTERM');
    }
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
