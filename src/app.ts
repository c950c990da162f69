import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { systemClock, type Clock } from './core/clock.js';
import { SecretBox } from './core/secret-box.js';
import type { Config } from './config/schema.js';
import { createCertificateAuthority, type LocalCertificateAuthority } from './ca/authority.js';
import { issueServerCertificate } from './ca/tls-server-cert.js';
import { buildArtefactServer } from './artefacts/server.js';
import { RegistrationAuthority } from './ra/registration-authority.js';
import { openDatabase, StorageAuthority } from './sa/index.js';
import { createValidationAuthority } from './va/authority.js';
import type { ValidationAuthority } from './va/types.js';
import type { WfeContext } from './wfe/context.js';
import { NonceService } from './wfe/nonce-service.js';
import { buildWfe } from './wfe/server.js';
import { AcmeUrls } from './wfe/urls.js';

export interface ShomeiInstance {
  config: Config;
  urls: AcmeUrls;
  sa: StorageAuthority;
  ca: LocalCertificateAuthority;
  ra: RegistrationAuthority;
  box: SecretBox;
  /** Stop accepting requests, let in-flight requests and validations finish, close the database. */
  stop(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  logger: Logger;
  /** Replace the VA (unit-level tests of the front end only; end-to-end suites use the real one). */
  va?: ValidationAuthority;
}

export function masterKeyPath(config: Config): string {
  return config.secrets.masterKeyFile ?? join(config.dataDir, 'secrets', 'master.key');
}

/** Open the database and run migrations (also used by CLI verbs that need no listener). */
export async function openStorage(config: Config): Promise<StorageAuthority> {
  const sa = new StorageAuthority(openDatabase(config.database.url, { poolSize: config.database.poolSize, sqliteSynchronous: config.database.sqliteSynchronous }));
  try {
    await sa.migrate();
  } catch (e) {
    await sa.close();
    throw e;
  }
  return sa;
}

function boundPort(app: FastifyInstance): number {
  return (app.server.address() as AddressInfo).port;
}

/** Start the CA: storage, keys, the artefacts listener and the ACME listener. */
export async function startShomei(input: Config, opts: StartOptions): Promise<ShomeiInstance> {
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger;
  const config: Config = { ...input, acme: { ...input.acme }, artefacts: { ...input.artefacts } };
  const box = SecretBox.fromFile(masterKeyPath(config));
  const sa = await openStorage(config);
  const closers: (() => Promise<void>)[] = [() => sa.close()];
  const stopAll = async () => {
    for (const c of closers.reverse()) await c().catch((err: unknown) => logger.error({ err }, 'shutdown step failed'));
  };
  try {
    let ca: LocalCertificateAuthority | undefined;
    const artefacts = await buildArtefactServer(() => {
      if (!ca) throw new Error('CA not ready');
      return ca;
    }, logger);
    await artefacts.listen({ host: config.artefacts.host, port: config.artefacts.port });
    closers.push(() => artefacts.close());
    if (!config.artefacts.explicitBaseUrl) config.artefacts.baseUrl = `http://localhost:${boundPort(artefacts)}`;

    ca = await createCertificateAuthority(config, { clock });
    const va = opts.va ?? createValidationAuthority(config, { logger });
    const tls = await issueServerCertificate(ca, [config.acme.host, ...config.acme.tlsNames].filter((h) => h !== '0.0.0.0' && h !== '::'), clock.now());

    const urls = new AcmeUrls(config.acme.baseUrl);
    const ra = new RegistrationAuthority({ config, clock, sa, va, ca, logger, accountUri: (id) => ctx.urls.account(id) });
    const nonces = new NonceService(sa, clock, config.acme.nonceLifetimeSeconds, box.deriveKey('acme nonces v1'));
    const ctx: WfeContext = { config, urls, ra, sa, ca, nonces, box, clock, logger };
    const wfe = await buildWfe(ctx, { https: { key: tls.keyPem, cert: tls.fullChainPem } });
    await wfe.listen({ host: config.acme.host, port: config.acme.port });
    closers.push(async () => {
      await wfe.close();
      await ra.drain();
    });
    if (!config.acme.explicitBaseUrl) {
      config.acme.baseUrl = `https://localhost:${boundPort(wfe)}`;
      ctx.urls = new AcmeUrls(config.acme.baseUrl);
    }
    return { config, urls: ctx.urls, sa, ca, ra, box, stop: stopAll };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
