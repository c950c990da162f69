import { ShomeiError } from '../../core/errors.js';
import { authenticated, type Handler } from '../context.js';
import { orderJson } from '../representations.js';

/** RFC 8555 §7.4: POST-as-GET an order; `Retry-After` while processing. */
export const order: Handler = async (ctx, req, reply) => {
  const r = await authenticated(ctx, req, 'kid');
  if (r.payload !== null) throw new ShomeiError('malformed', 'Orders are read with POST-as-GET (empty payload)');
  const { id } = req.params as { id: string };
  const view = await ctx.ra.getOrder(id, r.account!.id);
  if (view.status === 'processing') reply.header('Retry-After', String(ctx.config.acme.retryAfterSeconds));
  return orderJson(view, ctx.urls);
};
