import { ShomeiError } from '../../core/errors.js';
import { thumbprint } from '../../ra/accounts.js';
import { authenticated, payloadObject, type Handler } from '../context.js';
import { verifyExternalAccountBinding } from '../jws/verify-eab.js';
import { accountJson } from '../representations.js';

/**
 * RFC 8555 §7.3: create an account (EAB required, §7.3.4), or find the
 * account of this key (`onlyReturnExisting`, or the key is already known → 200).
 */
export const newAccount: Handler = async (ctx, req, reply) => {
  const r = await authenticated(ctx, req, 'jwk');
  const p = payloadObject(r.payload);
  const existing = await ctx.sa.repos.getAccountByThumbprint(await thumbprint(r.jwk));
  if (existing) {
    if (existing.status !== 'valid') throw new ShomeiError('unauthorized', `Account is ${existing.status}`);
    reply.code(200).header('Location', ctx.urls.account(existing.id));
    return accountJson(existing, ctx.urls);
  }
  if (p['onlyReturnExisting'] === true) throw new ShomeiError('accountDoesNotExist', 'No account exists with this key');
  const eabKid = await verifyExternalAccountBinding(p['externalAccountBinding'], r.jwk, ctx.urls.newAccount, {
    sa: ctx.sa,
    box: ctx.box,
    algorithms: ctx.config.eab.algorithms,
  });
  const { account, created } = await ctx.ra.createAccount({
    jwk: r.jwk,
    contact: p['contact'],
    termsOfServiceAgreed: p['termsOfServiceAgreed'],
    eabKid,
  });
  reply.code(created ? 201 : 200).header('Location', ctx.urls.account(account.id));
  return accountJson(account, ctx.urls);
};
