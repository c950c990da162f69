/**
 * RFC 6962 §4 HTTP API of one built-in log, under `/ct/<name>/ct/v1/` on the
 * artefacts listener. Every parameter is checked strictly here before the
 * log sees it; bad input is answered 400 with a JSON body
 * `{ "success": false, "error_message": "…" }` (the shape of the reference
 * log server), an unknown leaf hash 404, a busy database 503 with
 * Retry-After, and only a bug 500 (with a generic message; the detail goes to
 * the log).
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { ShomeiError, isShomeiError } from '../../core/errors.js';
import { isTransientDatabaseError } from '../../sa/index.js';
import { base64Strict, sctToJson, toBase64 } from '../rfc6962.js';
import type { CtLog } from './ct-log.js';
import { MAX_CHAIN_LENGTH } from './submission-chain.js';

/** Largest add-chain / add-pre-chain body (a chain of MAX_CHAIN_LENGTH ordinary certificates fits easily). */
export const MAX_SUBMISSION_BYTES = 256 * 1024;

const bad = (detail: string): ShomeiError => new ShomeiError('malformed', detail);

type Query = Record<string, unknown>;

/** A decimal parameter (§4: "in decimal"): digits only, no sign, no leading zeros, a safe integer. */
export function decimalParam(q: Query, name: string): number {
  const v = q[name];
  if (v === undefined) throw bad(`missing parameter ${name}`);
  if (typeof v !== 'string') throw bad(`parameter ${name} must be given once`);
  if (!/^(0|[1-9][0-9]{0,15})$/.test(v)) throw bad(`parameter ${name} must be a non-negative decimal integer`);
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw bad(`parameter ${name} is too large`);
  return n;
}

/** A base64 SHA-256 hash parameter. A '+' sent unescaped arrives as a space and is put back. */
export function hashParam(q: Query, name: string): Uint8Array {
  const v = q[name];
  if (v === undefined) throw bad(`missing parameter ${name}`);
  if (typeof v !== 'string') throw bad(`parameter ${name} must be given once`);
  const h = base64Strict(v.replace(/ /g, '+'), `parameter ${name}`, 'malformed');
  if (h.length !== 32) throw bad(`parameter ${name} must be a base64 SHA-256 hash`);
  return h;
}

/** §4.1 request body: `{ "chain": [ base64 DER, … ] }`. */
export function chainBody(body: unknown): Uint8Array[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw bad('the body must be a JSON object');
  const chain = (body as Record<string, unknown>)['chain'];
  if (!Array.isArray(chain)) throw bad('chain must be an array of base64 certificates');
  if (chain.length === 0) throw bad('chain is empty');
  if (chain.length > MAX_CHAIN_LENGTH) throw bad(`chain has more than ${MAX_CHAIN_LENGTH} certificates`);
  return chain.map((c, i) => {
    const der = base64Strict(c, `chain[${i}]`, 'malformed');
    if (der.length === 0) throw bad(`chain[${i}] is empty`);
    return der;
  });
}

function errorReply(reply: FastifyReply, status: number, message: string, retryAfter?: number): FastifyReply {
  if (retryAfter !== undefined) reply.header('Retry-After', String(retryAfter));
  return reply.code(status).header('Cache-Control', 'no-store').type('application/json').send({ success: false, error_message: message });
}

function handleError(logger: Logger, logName: string) {
  return (err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply): FastifyReply => {
    if (isShomeiError(err)) {
      if (err.kind === 'malformed') return errorReply(reply, 400, err.detail);
      if (err.kind === 'notFound') return errorReply(reply, 404, err.detail);
      if (err.kind === 'unavailable') return errorReply(reply, 503, err.detail, err.retryAfter ?? 1);
    }
    if (isTransientDatabaseError(err)) return errorReply(reply, 503, 'the log is busy; retry', 1);
    // Fastify's own 4xx (unparsable JSON, body too large, wrong media type).
    const status = (err as FastifyError).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) return errorReply(reply, status, err.message);
    logger.error({ err, ctLog: logName, url: req.url }, 'ct log request failed');
    return errorReply(reply, 500, 'internal error');
  };
}

const json = (reply: FastifyReply, body: unknown, cache = 'no-cache'): FastifyReply =>
  reply.header('Cache-Control', cache).type('application/json').send(body);

/** Register the §4 endpoints of `log` on `app`. */
export function registerCtLogRoutes(app: FastifyInstance, log: CtLog, logger: Logger): void {
  void app.register(
    async (scope) => {
      scope.setErrorHandler(handleError(logger, log.name));

      // §4.1 add-chain, §4.2 add-pre-chain.
      const submit = (kind: 'x509' | 'precert') => async (req: FastifyRequest, reply: FastifyReply) =>
        json(reply, sctToJson(await log.submit(kind, chainBody(req.body))), 'no-store');
      scope.post('/add-chain', { bodyLimit: MAX_SUBMISSION_BYTES }, submit('x509'));
      scope.post('/add-pre-chain', { bodyLimit: MAX_SUBMISSION_BYTES }, submit('precert'));

      // §4.3 get-sth.
      scope.get('/get-sth', async (_req, reply) => {
        const sth = await log.sth();
        return json(reply, {
          tree_size: sth.treeSize,
          timestamp: Number(sth.timestampMs),
          sha256_root_hash: toBase64(sth.rootHash),
          tree_head_signature: toBase64(sth.signature),
        });
      });

      // §4.4 get-sth-consistency.
      scope.get('/get-sth-consistency', async (req, reply) => {
        const q = req.query as Query;
        const proof = await log.consistency(decimalParam(q, 'first'), decimalParam(q, 'second'));
        return json(reply, { consistency: proof.map(toBase64) }, 'public, max-age=86400');
      });

      // §4.5 get-proof-by-hash.
      scope.get('/get-proof-by-hash', async (req, reply) => {
        const q = req.query as Query;
        const p = await log.proofByHash(hashParam(q, 'hash'), decimalParam(q, 'tree_size'));
        return json(reply, { leaf_index: p.leafIndex, audit_path: p.auditPath.map(toBase64) }, 'public, max-age=86400');
      });

      // §4.6 get-entries.
      scope.get('/get-entries', async (req, reply) => {
        const q = req.query as Query;
        const entries = await log.entries(decimalParam(q, 'start'), decimalParam(q, 'end'));
        return json(reply, { entries: entries.map((e) => ({ leaf_input: toBase64(e.leafInput), extra_data: toBase64(e.extraData) })) });
      });

      // §4.7 get-roots.
      scope.get('/get-roots', async (_req, reply) => json(reply, { certificates: log.roots().map(toBase64) }));

      // §4.8 get-entry-and-proof.
      scope.get('/get-entry-and-proof', async (req, reply) => {
        const q = req.query as Query;
        const e = await log.entryAndProof(decimalParam(q, 'leaf_index'), decimalParam(q, 'tree_size'));
        return json(
          reply,
          { leaf_input: toBase64(e.leafInput), extra_data: toBase64(e.extraData), audit_path: e.auditPath.map(toBase64) },
          'public, max-age=86400',
        );
      });
    },
    { prefix: `/ct/${log.name}/ct/v1` },
  );
}
