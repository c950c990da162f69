import { authenticated, payloadObject, type Handler } from '../context.js';
import { orderJson } from '../representations.js';

/** RFC 8555 §7.4: finalize with a CSR; Location is the order URL. */
export const finalize: Handler = async (ctx, req, reply) => {
  const r = await authenticated(ctx, req, 'kid');
  const p = payloadObject(r.payload);
  const { id } = req.params as { id: string };
  const view = await ctx.ra.finalizeOrder(r.account!, id, { csr: p['csr'] });
  reply.header('Location', ctx.urls.order(view.order.id));
  if (view.status === 'processing') reply.header('Retry-After', String(ctx.config.acme.retryAfterSeconds));
  return orderJson(view, ctx.urls);
};
