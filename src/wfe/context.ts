import type { Logger } from 'pino';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../core/clock.js';
import { ShomeiError } from '../core/errors.js';
import type { SecretBox } from '../core/secret-box.js';
import type { Config } from '../config/schema.js';
import type { CertificateAuthority } from '../ca/types.js';
import type { RegistrationAuthority } from '../ra/registration-authority.js';
import type { StorageAuthority } from '../sa/index.js';
import { authenticate, type AuthenticatedRequest } from './jws/authenticate.js';
import type { KeyChoice } from './jws/check-jws-key-choice.js';
import type { NonceService } from './nonce-service.js';
import type { ServiceSchedule } from './maintenance-gate.js';
import type { AcmeUrls } from './urls.js';

export interface WfeContext {
  config: Config;
  urls: AcmeUrls;
  ra: RegistrationAuthority;
  sa: StorageAuthority;
  ca: CertificateAuthority;
  nonces: NonceService;
  /** Maintenance windows and the current terms (AT 18, AT 21), cached for `maintenance.cacheMs`. */
  schedule: ServiceSchedule;
  box: SecretBox;
  clock: Clock;
  logger: Logger;
}

/** The full URL the client addressed (public base URL + path and query). */
export function requestUrl(ctx: WfeContext, req: FastifyRequest): string {
  return ctx.config.acme.baseUrl + req.url;
}

/** Run the JWS checks for a POST; remembers the account for the request log line. */
export async function authenticated(ctx: WfeContext, req: FastifyRequest, keys: KeyChoice): Promise<AuthenticatedRequest> {
  const r = await authenticate(ctx, req.body, requestUrl(ctx, req), keys);
  if (r.account) (req as FastifyRequest & { acmeAccount?: string }).acmeAccount = r.account.id;
  return r;
}

export type Handler = (ctx: WfeContext, req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/** The payload as an object (RFC 8555 resources take JSON objects); POST-as-GET gives `{}` only where allowed. */
export function payloadObject(payload: unknown): Record<string, unknown> {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new ShomeiError('malformed', 'JWS payload must be a JSON object');
  }
  return payload as Record<string, unknown>;
}
