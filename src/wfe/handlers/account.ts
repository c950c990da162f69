import { ShomeiError } from '../../core/errors.js';
import { authenticated, type Handler } from '../context.js';
import { accountJson } from '../representations.js';

/**
 * RFC 8555 §7.3.2 / §7.3.6: POST-as-GET reads the account, a payload updates
 * `contact` or deactivates it. Only the account itself may address its URL.
 */
export const account: Handler = async (ctx, req) => {
  const r = await authenticated(ctx, req, 'kid');
  const acct = r.account;
  const { id } = req.params as { id: string };
  if (!acct || acct.id !== id) throw new ShomeiError('unauthorized', 'The request is not signed by this account');
  if (r.payload === null) return accountJson(acct, ctx.urls);
  if (typeof r.payload !== 'object' || Array.isArray(r.payload)) throw new ShomeiError('malformed', 'payload must be an object');
  const p = r.payload as { contact?: unknown; status?: unknown };
  const updated = await ctx.ra.updateAccount(acct, { contact: p.contact, status: p.status });
  return accountJson(updated, ctx.urls);
};
