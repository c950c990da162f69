import { authenticated, payloadObject, type Handler } from '../context.js';
import { orderJson } from '../representations.js';

/** RFC 8555 §7.4: create an order; 201 with the order URL in Location. */
export const newOrder: Handler = async (ctx, req, reply) => {
  const r = await authenticated(ctx, req, 'kid');
  const p = payloadObject(r.payload);
  const view = await ctx.ra.createOrder(r.account!, {
    identifiers: p['identifiers'],
    notBefore: p['notBefore'],
    notAfter: p['notAfter'],
    replaces: p['replaces'],
  });
  reply.code(201).header('Location', ctx.urls.order(view.order.id));
  return orderJson(view, ctx.urls);
};
