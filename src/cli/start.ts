import { startShomei } from '../app.js';
import { createLogger } from '../core/logger.js';
import type { Config } from '../config/schema.js';

/** `shomei start`: run until SIGTERM/SIGINT, then drain and close. */
export async function runStart(config: Config): Promise<void> {
  const logger = createLogger(config.log.level);
  const inst = await startShomei(config, { logger });
  const banner = [
    '',
    'Shomei is running.',
    `  ACME directory:   ${inst.urls.directory}`,
    `  Root certificate: ${inst.ca.rootPath()}   (trust this to talk to the ACME endpoint)`,
    `  CA artefacts:     ${inst.config.artefacts.baseUrl}/issuer/intermediate.der`,
    `  Database:         ${config.database.url.startsWith('sqlite:') ? config.database.url : 'postgres (from configuration)'}`,
    `  Mint EAB:         npx shomei eab create${config.dataDir === process.cwd() + '/data' ? '' : ` --data ${config.dataDir}`}`,
    '',
  ];
  process.stderr.write(banner.join('\n') + '\n');
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
