import cluster from 'node:cluster';
import { startShomei } from '../app.js';
import { createLogger } from '../core/logger.js';
import type { Config } from '../config/schema.js';
import { startBanner } from './banner.js';
import { runPrimary, tellPrimaryReady } from './cluster-primary.js';

/**
 * `shomei start`: run until SIGTERM/SIGINT, then drain and close. With
 * `workers > 1` this process becomes the cluster primary and forks workers
 * that each run the whole CA on the shared ports and database.
 */
export async function runStart(config: Config): Promise<void> {
  if (config.workers > 1 && cluster.isPrimary) return runPrimary(config);
  const logger = createLogger(config.log.level);
  const inst = await startShomei(config, { logger });
  if (cluster.isWorker) tellPrimaryReady(inst.config, inst.ca.rootPath());
  else process.stderr.write(startBanner(inst.config, inst.ca.rootPath(), 1) + '\n');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    inst
      .stop()
      .then(() => {
        logger.info('stopped');
        process.exit(0);
      })
      .catch((err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
