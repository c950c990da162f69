/**
 * The validation authority: builds the ValidationAuthority of `types.ts` from
 * the `va` and `acme.caaIdentities` configuration. One DNS resolver serves
 * challenges and CAA so both see the same view of the DNS.
 */
import type { Config } from '../config/schema.js';
import { isShomeiError, ShomeiError } from '../core/errors.js';
import type { AddressPolicy } from './address-policy.js';
import { checkCaa } from './caa.js';
import { validateDns01 } from './dns-01.js';
import { createDnsResolver, type DnsResolver } from './dns-resolver.js';
import { validateHttp01 } from './http-01.js';
import { validateTlsAlpn01 } from './tls-alpn-01.js';
import type { CaaCheckRequest, ChallengeValidationRequest, ValidationAuthority, ValidationRecord } from './types.js';

/** The slice of a pino logger the VA uses. */
export interface VaLogger {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
}

export interface ValidationAuthorityDeps {
  logger?: VaLogger;
  /** Replaces the resolver built from `va.dnsResolver` (tests, future multi-perspective). */
  resolver?: DnsResolver;
}

const silent: VaLogger = { info: () => {}, warn: () => {} };

export function createValidationAuthority(config: Config, deps: ValidationAuthorityDeps = {}): ValidationAuthority {
  const { va } = config;
  const log = deps.logger ?? silent;
  const resolver = deps.resolver ?? createDnsResolver({ resolver: va.dnsResolver, timeoutMs: va.timeoutMs });
  const policy: AddressPolicy = { allowPrivateAddresses: va.allowPrivateAddresses };
  const identities = config.acme.caaIdentities;

  async function run(req: ChallengeValidationRequest): Promise<ValidationRecord[]> {
    switch (req.type) {
      case 'http-01':
        return validateHttp01(
          { resolver, policy, httpPort: va.httpPort, tlsAlpnPort: va.tlsAlpnPort, timeoutMs: va.timeoutMs },
          req,
        );
      case 'dns-01':
        return validateDns01({ resolver }, req);
      case 'tls-alpn-01':
        return validateTlsAlpn01({ resolver, policy, tlsAlpnPort: va.tlsAlpnPort, timeoutMs: va.timeoutMs }, req);
    }
  }

  return {
    async validate(req) {
      const started = Date.now();
      try {
        const records = await run(req);
        log.info({ type: req.type, domain: req.domain, records, ms: Date.now() - started }, 'validation succeeded');
        return records;
      } catch (e) {
        const err = isShomeiError(e)
          ? e
          : new ShomeiError('serverInternal', `${req.type} validation of ${req.domain} failed unexpectedly`, { cause: e });
        log.warn(
          { type: req.type, domain: req.domain, kind: err.kind, detail: err.detail, ms: Date.now() - started },
          'validation failed',
        );
        throw err;
      }
    },

    async checkCaa(req: CaaCheckRequest) {
      try {
        const set = await checkCaa(resolver, identities, req);
        log.info({ name: req.name, method: req.method, caaOwner: set?.owner ?? null, records: set?.records ?? [] }, 'CAA permits issuance');
      } catch (e) {
        if (isShomeiError(e)) {
          // BR §3.2.2.8: document issuance that CAA prevented.
          log.warn({ name: req.name, kind: e.kind, detail: e.detail }, 'CAA check refused issuance');
        }
        throw e;
      }
    },
  };
}
