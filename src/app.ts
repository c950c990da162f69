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
import { buildApiServer } from './api-kit/server.js';
import { adminApiRoutes, ADMIN_API_PREFIX } from './admin/api/api.js';
import type { AdminPrincipal } from './admin/api/context.js';
import { JobRunner } from './jobs/job-runner.js';
import { usageLifecycleJob } from './jobs/usage-lifecycle-job.js';
import { operatorApiRoutes, operatorAuthenticator, OPERATOR_API_PREFIX } from './operator-api/api.js';
import type { OperatorPrincipal } from './registry/operator-keys.js';
import { Registry } from './registry/registry.js';
import { SCHEMAS } from './operator-api/schemas.js';

export interface ShomeiInstance {
  config: Config;
  urls: AcmeUrls;
  sa: StorageAuthority;
  ca: LocalCertificateAuthority;
  ra: RegistrationAuthority;
  registry: Registry;
  jobs: JobRunner;
  /** Base URLs of the operator API (`…/operator/v1`) and the admin API (`…/admin/v1`). */
  operatorApiUrl: string;
  adminApiUrl: string;
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
  const config: Config = { ...input, acme: { ...input.acme }, artefacts: { ...input.artefacts }, operatorApi: { ...input.operatorApi } };
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

    const registry = new Registry({ config, clock, sa, box, logger });
    const jobs = new JobRunner(
      { sa, clock, logger, intervalSeconds: config.jobs.intervalSeconds, leaseSeconds: config.jobs.leaseSeconds },
      [usageLifecycleJob({ registry, sa, clock, timeZone: config.timeZone })],
    );
    const https = { key: tls.keyPem, cert: tls.fullChainPem };
    const operatorCtx = { registry, directoryUrl: () => ctx.urls.directory, issuerChainPem: () => ca.intermediatePem() };
    const operatorApi = await buildApiServer<OperatorPrincipal>({
      prefix: OPERATOR_API_PREFIX,
      routes: operatorApiRoutes(operatorCtx, () => config.operatorApi.baseUrl),
      logger,
      https,
      maxBodyBytes: config.acme.maxBodyBytes,
      schemas: SCHEMAS,
      authenticate: operatorAuthenticator(operatorCtx),
      // AR 4 / SPEC §11: every authenticated operator call is audited with the key id.
      onCall: (p, call) =>
        sa.repos.appendAudit({
          at: clock.now().toISOString(),
          actor: `operator:${p.operator.id}/key:${p.keyId}`,
          action: 'operator-api.call',
          objectType: 'operator',
          objectId: p.operator.id,
          details: { keyId: p.keyId, method: call.method, route: call.route, url: call.url, status: call.status },
        }),
    });
    await operatorApi.listen({ host: config.operatorApi.host, port: config.operatorApi.port });
    closers.push(() => operatorApi.close());
    if (!config.operatorApi.explicitBaseUrl) config.operatorApi.baseUrl = `https://localhost:${boundPort(operatorApi)}`;

    let adminBase = '';
    const adminApi = await buildApiServer<AdminPrincipal>({
      prefix: ADMIN_API_PREFIX,
      routes: adminApiRoutes({ registry, sa, jobs }, () => adminBase),
      logger,
      https,
      maxBodyBytes: config.acme.maxBodyBytes,
      schemas: SCHEMAS,
      authenticate: (caller) => registry.authenticateAdmin(caller.token),
    });
    await adminApi.listen({ host: config.adminApi.host, port: config.adminApi.port });
    closers.push(() => adminApi.close());
    adminBase = `https://localhost:${boundPort(adminApi)}`;

    if (config.jobs.enabled) {
      jobs.start();
      closers.push(() => jobs.stop());
    }
    return {
      config,
      urls: ctx.urls,
      sa,
      ca,
      ra,
      registry,
      jobs,
      operatorApiUrl: `${config.operatorApi.baseUrl}${OPERATOR_API_PREFIX}`,
      adminApiUrl: `${adminBase}${ADMIN_API_PREFIX}`,
      box,
      stop: stopAll,
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
