import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { CertificateAuthority } from '../ca/types.js';

/** Routes another component serves on the artefacts listener (CRL shards, the built-in CT logs). */
export type ArtefactRoutes = (app: FastifyInstance) => void;

/**
 * The plain-HTTP listener for CA artefacts: issuer certificates (AIA
 * caIssuers, RFC 5280 §4.2.2.1 — served over HTTP so no TLS is needed to
 * build a path), CRL shards and the built-in CT logs, registered by their
 * components through `routes`. Public, cacheable, no nonces.
 */
export async function buildArtefactServer(
  ca: () => CertificateAuthority,
  logger: Logger,
  routes: readonly ArtefactRoutes[] = [],
): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: logger, logController: new LogController({ disableRequestLogging: true }) }) as unknown as FastifyInstance;
  const cache = 'public, max-age=86400';
  app.get('/issuer/intermediate.der', async (_req, reply) =>
    reply.header('Content-Type', 'application/pkix-cert').header('Cache-Control', cache).send(Buffer.from(ca().intermediateDer())),
  );
  app.get('/issuer/intermediate.pem', async (_req, reply) =>
    reply.header('Content-Type', 'application/x-pem-file').header('Cache-Control', cache).send(ca().intermediatePem()),
  );
  app.get('/issuer/root.der', async (_req, reply) =>
    reply.header('Content-Type', 'application/pkix-cert').header('Cache-Control', cache).send(Buffer.from(ca().rootDer())),
  );
  app.get('/issuer/root.pem', async (_req, reply) =>
    reply.header('Content-Type', 'application/x-pem-file').header('Cache-Control', cache).send(ca().rootPem()),
  );
  for (const register of routes) register(app);
  app.setNotFoundHandler(async (_req, reply) => reply.code(404).header('Content-Type', 'text/plain').send('not found\n'));
  await app.ready();
  return app;
}
