import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import { ShomeiError, isShomeiError } from '../core/errors.js';
import { isTransientDatabaseError } from '../sa/index.js';
import type { WfeContext } from './context.js';
import { problemStatus, toProblem } from './problem.js';
import { registerAcmeRoutes } from './routes.js';
import { installMaintenanceGate } from './maintenance-gate.js';

export interface WfeServerOptions {
  https?: { key: string; cert: string };
}

/** Map Fastify's own request errors (body limit, content type, bad JSON) to our error kinds. */
function fromFastifyError(e: FastifyError): ShomeiError {
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ShomeiError('payloadTooLarge', 'Request body is too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ShomeiError('unsupportedMediaType', 'Content-Type must be application/jose+json');
    default:
      if (e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500) {
        return new ShomeiError('malformed', e.message);
      }
      return new ShomeiError('serverInternal', 'Internal server error');
  }
}

/**
 * The ACME web front end: Fastify with only the `application/jose+json`
 * parser, a Replay-Nonce and Link rel="index" on every response, every error
 * as an RFC 8555 problem document, and one structured log line per request.
 */
export async function buildWfe(ctx: WfeContext, opts: WfeServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.logger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: ctx.config.acme.maxBodyBytes,
    return503OnClosing: true,
    ...(opts.https ? { https: opts.https } : {}),
  } as Parameters<typeof Fastify>[0]) as unknown as FastifyInstance;

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/jose+json', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.addContentTypeParser('*', (_req, _payload, done) =>
    done(new ShomeiError('unsupportedMediaType', 'Content-Type must be application/jose+json'), undefined),
  );

  // AT 18: first hook — during a maintenance window or emergency stop every ACME request gets 503.
  installMaintenanceGate(app, ctx.schedule, ctx.clock, ctx.config.maintenance.emergencyRetryAfterSeconds);

  app.addHook('onSend', async (req, reply, payload) => {
    if (!reply.hasHeader('Replay-Nonce')) reply.header('Replay-Nonce', ctx.nonces.issue());
    if (!reply.hasHeader('Link')) reply.header('Link', `<${ctx.urls.directory}>;rel="index"`);
    if (req.method === 'POST' && !reply.hasHeader('Cache-Control')) reply.header('Cache-Control', 'no-store');
    return payload;
  });

  app.addHook('onResponse', async (req, reply) => {
    const r = req as FastifyRequest & { acmeAccount?: string; acmeProblem?: string };
    ctx.logger.info(
      {
        method: req.method,
        url: req.url,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
        ...(r.acmeAccount ? { account: r.acmeAccount } : {}),
        ...(r.acmeProblem ? { problem: r.acmeProblem } : {}),
      },
      'acme request',
    );
  });

  app.setErrorHandler(async (err: FastifyError | ShomeiError | Error, req, reply) => {
    let e: ShomeiError;
    if (isShomeiError(err)) e = err;
    else if ((err as FastifyError).code?.startsWith('FST_')) e = fromFastifyError(err as FastifyError);
    else if ((err as FastifyError).statusCode === 400 || (err as FastifyError).statusCode === 413 || (err as FastifyError).statusCode === 415) {
      e = fromFastifyError(err as FastifyError);
    } else if (isTransientDatabaseError(err) || isTransientDatabaseError((err as { cause?: unknown }).cause)) {
      ctx.logger.warn({ err, url: req.url }, 'database temporarily unavailable');
      e = new ShomeiError('unavailable', 'The service is temporarily unavailable; please retry', { retryAfter: 1 });
    } else {
      ctx.logger.error({ err, url: req.url }, 'unhandled error');
      e = new ShomeiError('serverInternal', 'Internal server error');
    }
    const doc = toProblem(e);
    (req as FastifyRequest & { acmeProblem?: string }).acmeProblem = doc.type;
    if (e.retryAfter !== undefined) reply.header('Retry-After', String(e.retryAfter));
    reply.code(problemStatus(e.kind)).header('Content-Type', 'application/problem+json');
    return reply.send(Buffer.from(JSON.stringify(doc)));
  });

  app.setNotFoundHandler(async (req, reply) => {
    const doc = toProblem(new ShomeiError('notFound', `No ACME resource at ${req.url.slice(0, 200)}`));
    reply.code(404).header('Content-Type', 'application/problem+json');
    return reply.send(Buffer.from(JSON.stringify(doc)));
  });

  registerAcmeRoutes(app, ctx);
  await app.ready();
  return app;
}
