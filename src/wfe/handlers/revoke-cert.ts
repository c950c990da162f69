import { sha256Hex, jwkToSpki } from '../../core/keys.js';
import { authenticated, payloadObject, type Handler } from '../context.js';

/**
 * RFC 8555 §7.6: revoke by the issuing account / an authorized account (`kid`)
 * or by the certificate's key (`jwk`). Reasons limited to 0, 1, 3, 4, 5 (SPEC §7).
 */
export const revokeCert: Handler = async (ctx, req, reply) => {
  const r = await authenticated(ctx, req, 'either');
  const p = payloadObject(r.payload);
  const payload = { certificate: p['certificate'], reason: p['reason'] };
  if (r.account) await ctx.ra.revokeCertificate(payload, { kind: 'account', account: r.account });
  else await ctx.ra.revokeCertificate(payload, { kind: 'certificate-key', spkiSha256: sha256Hex(jwkToSpki(r.jwk)) });
  reply.code(200);
  return reply.send();
};
