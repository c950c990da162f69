import { ShomeiError } from '../../core/errors.js';
import type { FastifyReply } from 'fastify';
import { authenticated, type Handler, type WfeContext } from '../context.js';
import { challengeJson } from '../representations.js';

/** RFC 8555 §7.5.1: while validating, tell the client when to poll again. */
function retryWhileProcessing(ctx: WfeContext, reply: FastifyReply, status: string): void {
  if (status === 'processing') reply.header('Retry-After', String(ctx.config.acme.retryAfterSeconds));
}

/**
 * RFC 8555 §7.5.1: POST `{}` to start validation; POST-as-GET reads it.
 * Link rel="up" points to the authorization.
 */
export const challenge: Handler = async (ctx, req, reply) => {
  const r = await authenticated(ctx, req, 'kid');
  const { id } = req.params as { id: string };
  const acct = r.account!;
  if (r.payload === null) {
    const { challenge: ch, authz } = await ctx.ra.getChallenge(id, acct.id);
    reply.header('Link', [`<${ctx.urls.directory}>;rel="index"`, `<${ctx.urls.authz(authz.id)}>;rel="up"`]);
    retryWhileProcessing(ctx, reply, ch.status);
    return challengeJson(ch, ctx.urls);
  }
  if (typeof r.payload !== 'object' || Array.isArray(r.payload)) {
    throw new ShomeiError('malformed', 'A challenge response is the JSON object {}');
  }
  const { challenge: ch, authz } = await ctx.ra.respondToChallenge(acct, id);
  reply.header('Link', [`<${ctx.urls.directory}>;rel="index"`, `<${ctx.urls.authz(authz.id)}>;rel="up"`]);
  retryWhileProcessing(ctx, reply, ch.status);
  return challengeJson(ch, ctx.urls);
};
