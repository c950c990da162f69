import { ShomeiError } from '../../core/errors.js';
import { authenticated, type Handler } from '../context.js';

/**
 * RFC 8555 §7.1.2.1: the account's orders, newest first, paged with
 * `Link: rel="next"`. The cursor is the last order of the previous page.
 */
export const accountOrders: Handler = async (ctx, req, reply) => {
  const r = await authenticated(ctx, req, 'kid');
  const { id } = req.params as { id: string };
  if (!r.account || r.account.id !== id) throw new ShomeiError('unauthorized', 'The request is not signed by this account');
  if (r.payload !== null) throw new ShomeiError('malformed', 'The orders list is read with POST-as-GET (empty payload)');
  const { cursor } = req.query as { cursor?: string };
  let before: { createdAt: string; id: string } | undefined;
  if (cursor !== undefined) {
    const m = /^(\d{4}-\d\d-\d\dT[\d:.]+Z)~([A-Za-z0-9_-]{1,64})$/.exec(cursor);
    if (!m) throw new ShomeiError('malformed', 'invalid cursor');
    before = { createdAt: m[1] as string, id: m[2] as string };
  }
  const limit = ctx.config.acme.ordersPageSize;
  const rows = await ctx.sa.repos.listOrdersForAccount(id, {
    limit: limit + 1,
    notExpiredAfter: ctx.clock.now().toISOString(),
    ...(before ? { before } : {}),
  });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  if (rows.length > limit && last) {
    reply.header('Link', [`<${ctx.urls.directory}>;rel="index"`, `<${ctx.urls.accountOrders(id, `${last.created_at}~${last.id}`)}>;rel="next"`]);
  }
  return { orders: page.map((o) => ctx.urls.order(o.id)) };
};
