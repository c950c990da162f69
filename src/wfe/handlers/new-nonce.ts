import type { Handler } from '../context.js';

/**
 * RFC 8555 §7.2: HEAD → 200, GET → 204, both with a fresh Replay-Nonce (added
 * by the response hook) and Cache-Control: no-store.
 */
export const newNonce: Handler = async (_ctx, req, reply) => {
  reply.header('Cache-Control', 'no-store');
  reply.code(req.method === 'HEAD' ? 200 : 204);
  return reply.send();
};
