import { ShomeiError } from '../../core/errors.js';
import { authenticated, type Handler } from '../context.js';
import { authorizationJson } from '../representations.js';

/** RFC 8555 §7.5: POST-as-GET an authorization, or deactivate it (§7.5.2). */
export const authorization: Handler = async (ctx, req, reply) => {
  const r = await authenticated(ctx, req, 'kid');
  const { id } = req.params as { id: string };
  const view = await ctx.ra.getAuthorization(id, r.account!.id);
  if (r.payload === null) {
    // RFC 8555 §7.5.1: a client polling a validation in progress is told when to come back.
    if (view.status === 'pending' && view.challenges.some((c) => c.status === 'processing')) {
      reply.header('Retry-After', String(ctx.config.acme.retryAfterSeconds));
    }
    return authorizationJson(view, ctx.urls);
  }
  const p = r.payload as { status?: unknown };
  if (typeof p !== 'object' || Array.isArray(p) || p.status !== 'deactivated') {
    throw new ShomeiError('malformed', 'The only update to an authorization is {"status": "deactivated"}');
  }
  return authorizationJson(await ctx.ra.deactivateAuthorization(view, r.account!), ctx.urls);
};
