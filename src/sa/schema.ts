/**
 * Row types of every table (Kysely `Database`). Timestamps are ISO-8601 UTC
 * strings (`2026-11-21T05:00:00.000Z`) so they sort and compare the same way
 * on SQLite and PostgreSQL; booleans are 0/1 integers; JSON is stored as text.
 */
import type { Generated } from 'kysely';

/** A nonce that has been redeemed (nonces themselves are stateless, MAC'd values). */
export interface UsedNonceRow {
  value: string;
  expires_at: string;
}

export interface EabKeyRow {
  kid: string;
  /** AES-256-GCM sealed HMAC key (core/secret-box.ts), never the key itself. */
  hmac_key_sealed: string;
  label: string | null;
  created_at: string;
  revoked_at: string | null;
}

export interface AccountRow {
  id: string;
  /** RFC 7638 JWK thumbprint (SHA-256, base64url) — unique per key. */
  jwk_thumbprint: string;
  jwk: string;
  status: 'valid' | 'deactivated' | 'revoked';
  contact: string;
  tos_agreed: number;
  eab_kid: string | null;
  created_at: string;
  updated_at: string;
}

export interface OrderRow {
  id: string;
  account_id: string;
  /** Stored lifecycle state; pending/ready are refined from authorizations on read. */
  status: 'pending' | 'ready' | 'processing' | 'valid' | 'invalid';
  expires_at: string;
  identifiers: string;
  not_before: string | null;
  not_after: string | null;
  error: string | null;
  certificate_serial: string | null;
  created_at: string;
  updated_at: string;
}

export interface AuthorizationRow {
  id: string;
  account_id: string;
  /** Base domain (no `*.`). */
  identifier: string;
  wildcard: number;
  status: 'pending' | 'valid' | 'invalid' | 'deactivated' | 'revoked';
  expires_at: string;
  created_at: string;
  validated_at: string | null;
  validated_method: string | null;
}

export interface OrderAuthorizationRow {
  order_id: string;
  authz_id: string;
  position: number;
}

export interface ChallengeRow {
  id: string;
  authz_id: string;
  type: 'http-01' | 'dns-01' | 'tls-alpn-01';
  token: string;
  status: 'pending' | 'processing' | 'valid' | 'invalid';
  /** When validation started (set with the move to processing). */
  processing_since: string | null;
  validated_at: string | null;
  error: string | null;
  records: string | null;
}

export interface CertificateRow {
  serial: string;
  account_id: string;
  order_id: string;
  /** Leaf DER, base64. */
  der: string;
  names: string;
  spki_sha256: string;
  issued_at: string;
  not_before: string;
  not_after: string;
  revoked_at: string | null;
  revocation_reason: number | null;
}

export interface AuditEventRow {
  id: Generated<number>;
  at: string;
  actor: string;
  action: string;
  object_type: string;
  object_id: string;
  details: string;
}

export interface Database {
  used_nonces: UsedNonceRow;
  eab_keys: EabKeyRow;
  accounts: AccountRow;
  orders: OrderRow;
  authorizations: AuthorizationRow;
  order_authorizations: OrderAuthorizationRow;
  challenges: ChallengeRow;
  certificates: CertificateRow;
  audit_events: AuditEventRow;
}
