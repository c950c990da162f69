import type { FastifyInstance } from 'fastify';
import { ShomeiError } from '../core/errors.js';
import type { Handler, WfeContext } from './context.js';
import { account } from './handlers/account.js';
import { accountOrders } from './handlers/account-orders.js';
import { authorization } from './handlers/authorization.js';
import { certificate } from './handlers/certificate.js';
import { challenge } from './handlers/challenge.js';
import { directory } from './handlers/directory.js';
import { finalize } from './handlers/finalize.js';
import { keyChange } from './handlers/key-change.js';
import { newAccount } from './handlers/new-account.js';
import { newNonce } from './handlers/new-nonce.js';
import { newOrder } from './handlers/new-order.js';
import { order } from './handlers/order.js';
import { renewalInfo, renewalInfoNotPost } from './handlers/renewal-info.js';
import { revokeCert } from './handlers/revoke-cert.js';

/** Every POST resource of the ACME API (RFC 8555 §7.1). */
const POST_ROUTES: [string, Handler][] = [
  ['/acme/new-account', newAccount],
  ['/acme/new-order', newOrder],
  ['/acme/revoke-cert', revokeCert],
  ['/acme/key-change', keyChange],
  ['/acme/acct/:id', account],
  ['/acme/acct/:id/orders', accountOrders],
  ['/acme/order/:id', order],
  ['/acme/order/:id/finalize', finalize],
  ['/acme/authz/:id', authorization],
  ['/acme/chall/:id', challenge],
  ['/acme/cert/:serial', certificate],
];

/** RFC 8555 §6.3: only the directory and newNonce answer GET; the rest are POST(-as-GET) → 405. */
const methodNotAllowed: Handler = async (_ctx, _req, reply) => {
  reply.header('Allow', 'POST');
  throw new ShomeiError('methodNotAllowed', 'This resource is read with POST-as-GET (RFC 8555 §6.3)');
};

export function registerAcmeRoutes(app: FastifyInstance, ctx: WfeContext): void {
  const bind = (h: Handler) => (req: Parameters<Handler>[1], reply: Parameters<Handler>[2]) => h(ctx, req, reply);
  app.get('/acme/directory', bind(directory));
  app.get('/directory', async (_req, reply) => reply.redirect(ctx.urls.directory, 301));
  app.route({ method: ['GET', 'HEAD'], url: '/acme/new-nonce', exposeHeadRoute: false, handler: bind(newNonce) });
  // RFC 9773 §4.1: renewal information is an unauthenticated GET (HEAD answered by Fastify).
  app.get('/acme/renewal-info/:certId', bind(renewalInfo));
  app.post('/acme/renewal-info/:certId', bind(renewalInfoNotPost));
  for (const [path, h] of POST_ROUTES) {
    app.post(path, bind(h));
    app.get(path, bind(methodNotAllowed));
  }
}
