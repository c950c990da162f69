// Shared set-up for the VA tests: a configuration pointing the VA at the
// loopback test DNS server and responders, and fresh key authorizations.
import { validateConfig } from '../../../src/config/load.js';
import type { Config } from '../../../src/config/schema.js';
import { randomId } from '../../../src/core/ids.js';

export interface VaTestPorts {
  dnsResolver: string;
  httpPort?: number;
  tlsAlpnPort?: number;
  timeoutMs?: number;
  allowPrivateAddresses?: boolean;
  caaIdentities?: string[];
}

export function vaConfig(p: VaTestPorts): Config {
  return validateConfig({
    acme: { caaIdentities: p.caaIdentities ?? ['shomei.test'] },
    va: {
      dnsResolver: p.dnsResolver,
      httpPort: p.httpPort ?? 80,
      tlsAlpnPort: p.tlsAlpnPort ?? 443,
      timeoutMs: p.timeoutMs ?? 2000,
      allowPrivateAddresses: p.allowPrivateAddresses ?? true,
    },
  });
}

/** A token and its key authorization (RFC 8555 §8.1 shape; the thumbprint is random here). */
export function challenge(): { token: string; keyAuthorization: string } {
  const token = randomId(32);
  return { token, keyAuthorization: `${token}.${randomId(32)}` };
}
