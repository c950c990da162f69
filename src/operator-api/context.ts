import type { Registry } from '../registry/registry.js';
import type { OperatorPrincipal } from '../registry/operator-keys.js';
import type { Actor } from '../registry/types.js';

export interface OperatorApiContext {
  registry: Registry;
  /** The ACME directory URL subscribers point their clients at. */
  directoryUrl(): string;
  /**
   * PEM of the issuing intermediate(s), appended to a certificate fetched as
   * application/pem-certificate-chain (RFC 8555 §9.1: end-entity first, then
   * its issuers). Without it only the end-entity certificate is sent.
   */
  issuerChainPem?(): string;
}

export function operatorActor(p: OperatorPrincipal): Actor {
  return { kind: 'operator', operatorId: p.operator.id, keyId: p.keyId };
}

export function limitOf(q: Record<string, unknown>): number | undefined {
  return typeof q['limit'] === 'number' ? q['limit'] : undefined;
}

export function stringOf(q: Record<string, unknown>, k: string): string | undefined {
  return typeof q[k] === 'string' ? q[k] : undefined;
}
