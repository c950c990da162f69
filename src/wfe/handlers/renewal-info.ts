import { ShomeiError } from '../../core/errors.js';
import type { RenewalInfo } from '../../ra/renewal-info.js';
import type { Handler } from '../context.js';

/** RFC 3339 in whole seconds (the windows are computed in whole seconds). */
const rfc3339 = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** RFC 9773 §4.2 RenewalInfo object. */
export function renewalInfoJson(info: RenewalInfo): { suggestedWindow: { start: string; end: string } } {
  return { suggestedWindow: { start: rfc3339(info.suggestedWindow.start), end: rfc3339(info.suggestedWindow.end) } };
}

/**
 * RFC 9773 §4.1–§4.2: `GET <renewalInfo>/<CertID>` — no authentication, no
 * JWS. 200 with the suggested window and a Retry-After saying when to ask
 * again; a malformed CertID is `malformed` (400), a certificate this CA did
 * not issue 404. Not cacheable by intermediaries beyond revalidation, so a
 * revocation moves the window at once; the client's polling rate is set by
 * Retry-After (§4.3).
 */
export const renewalInfo: Handler = async (ctx, req, reply) => {
  const { certId } = req.params as { certId: string };
  const info = await ctx.ra.getRenewalInfo(certId);
  reply.header('Retry-After', String(ctx.config.ari.retryAfterSeconds));
  reply.header('Cache-Control', 'public, max-age=0, no-cache');
  return renewalInfoJson(info);
};

/** RFC 9773 §4.1: renewal information is read with GET only (the drafts' POST update is gone). */
export const renewalInfoNotPost: Handler = async (_ctx, _req, reply) => {
  reply.header('Allow', 'GET, HEAD');
  throw new ShomeiError('methodNotAllowed', 'Renewal information is read with an unauthenticated GET (RFC 9773 §4.1)');
};
