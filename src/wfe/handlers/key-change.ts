import type { JWK } from 'jose';
import { ShomeiError } from '../../core/errors.js';
import { publicJwk } from '../../core/keys.js';
import { authenticated, requestUrl, type Handler } from '../context.js';
import { checkJwsAlg } from '../jws/check-jws-alg.js';
import { checkJwsKeyChoice } from '../jws/check-jws-key-choice.js';
import { decodePayload, parseFlattenedJws } from '../jws/parse-flattened-jws.js';
import { verifyJwsSignature } from '../jws/verify-jws-signature.js';
import { accountJson } from '../representations.js';

const sameKey = (a: JWK, b: JWK) => JSON.stringify(publicJwk(a)) === JSON.stringify(publicJwk(b));

/**
 * RFC 8555 §7.3.5 key rollover. The outer JWS is signed by the current key
 * (`kid`); its payload is an inner JWS signed by the new key (`jwk`), with the
 * same `url`, no nonce, and payload {account, oldKey}. Proves possession of
 * both keys, so neither a thief of the old key alone nor of the new key alone
 * can move the account.
 */
export const keyChange: Handler = async (ctx, req, reply) => {
  const outer = await authenticated(ctx, req, 'kid');
  const acct = outer.account;
  if (!acct) throw new ShomeiError('malformed', 'keyChange must be signed with kid');
  const inner = parseFlattenedJws(JSON.stringify(outer.payload));
  const alg = checkJwsAlg(inner.header);
  if (checkJwsKeyChoice(inner.header, 'jwk') !== 'jwk') throw new ShomeiError('malformed', 'inner JWS must use jwk');
  if (inner.header.url !== requestUrl(ctx, req)) throw new ShomeiError('malformed', 'inner JWS "url" must equal the outer "url"');
  if (inner.header.nonce !== undefined) throw new ShomeiError('malformed', 'inner JWS must not have a nonce');
  const newJwk = inner.header.jwk as JWK;
  await verifyJwsSignature(inner.jws, newJwk, alg);
  const p = decodePayload(inner.jws.payload) as { account?: unknown; oldKey?: unknown } | null;
  if (p === null || typeof p !== 'object') throw new ShomeiError('malformed', 'inner JWS payload must be {account, oldKey}');
  if (p.account !== ctx.urls.account(acct.id)) throw new ShomeiError('malformed', 'inner payload "account" must be the outer kid');
  if (p.oldKey === null || typeof p.oldKey !== 'object' || !sameKey(p.oldKey as JWK, outer.jwk)) {
    throw new ShomeiError('malformed', 'inner payload "oldKey" must be the current account key');
  }
  if (sameKey(newJwk, outer.jwk)) throw new ShomeiError('malformed', 'the new key is the same as the old key');
  try {
    const updated = await ctx.ra.changeAccountKey(acct, newJwk);
    return accountJson(updated, ctx.urls);
  } catch (e) {
    if (e instanceof ShomeiError && e.kind === 'conflict' && typeof e.extra?.['location'] === 'string') {
      reply.header('Location', ctx.urls.account(e.extra['location']));
      throw new ShomeiError('conflict', e.detail);
    }
    throw e;
  }
};
