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
  /** The subscriber the credentials were issued for (SPEC §4); null = plain admin EAB. */
  subscriber_id: string | null;
  /** Set when the CA declared the credentials compromised (accounts bound with them were deactivated). */
  compromised_at: string | null;
}

export interface AccountRow {
  id: string;
  /** RFC 7638 JWK thumbprint (SHA-256, base64url) — unique per key. */
  jwk_thumbprint: string;
  jwk: string;
  status: 'valid' | 'deactivated' | 'revoked';
  contact: string;
  tos_agreed: number;
  /** Version of the terms of service current when the account agreed (AT 21); null before issue 5. */
  terms_version: string | null;
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
  /** ARI (RFC 9773 §5): the CertID (`<AKI b64u>.<serial b64u>`) of the certificate this order replaces. */
  replaces: string | null;
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
  /** The subscriber whose account obtained it (through its EAB credentials); null for unbound accounts. */
  subscriber_id: string | null;
  /** Hex subjectKeyIdentifier of the issuing CA (= the certificate's AKI); null only before issue 4. */
  issuer_key_id: string | null;
  /** The CRL shard named in the certificate's CRL DP; null for certificates without one (listed on shard 0). */
  crl_shard: number | null;
}

export interface AuditEventRow {
  id: Generated<number>;
  at: string;
  actor: string;
  action: string;
  object_type: string;
  object_id: string;
  details: string;
  /** Position in the hash chain: 1, 2, 3, … without gaps (src/sa/audit-chain.ts). */
  seq: number;
  /** Where the change came from: acme, operator-api, admin, cli, system. */
  channel: string;
  prev_hash: string;
  hash: string;
}

/** The head of the audit hash chain (one row, id 1), and the anchor left by retention purges. */
export interface AuditChainRow {
  id: number;
  seq: number;
  head_hash: string;
  /** Events up to anchor_seq were purged after their retention period; anchor_hash is the hash of event anchor_seq. */
  anchor_seq: number;
  anchor_hash: string;
  updated_at: string;
}

/** `terminated` once a contract termination is effective (AR 19); suspensions live in operator_suspensions. */
export type OperatorStatus = 'active' | 'terminated';

export interface OperatorRow {
  id: string;
  name: string;
  representative: string;
  address: string | null;
  /** JSON: [{ name?, email, phone?, role?, locale? }] — every contact receives notices (docs/notifications.md). */
  contacts: string;
  /** Filed the ACME-edition handling application (supplementary provision 3). */
  acme_handling: number;
  /** Already designated for domain names: the contract fee is waived (AR 2). */
  domain_designated: number;
  /** The CA's own reseller desk (AR 5, AT 7). */
  ca_desk: number;
  status: OperatorStatus;
  designated_at: string;
  created_at: string;
  updated_at: string;
}

export interface OperatorApiKeyRow {
  id: string;
  operator_id: string;
  label: string | null;
  /** SHA-256 (hex) of the 256-bit secret; the secret itself is shown once and never stored. */
  secret_sha256: string;
  /** JSON array of CIDRs the key may be used from; empty = anywhere. */
  allowed_cidrs: string;
  /** SHA-256 (hex) of the DER client certificate the key is bound to, if any. */
  client_cert_sha256: string | null;
  created_at: string;
  created_by: string;
  revoked_at: string | null;
}

export interface AdminTokenRow {
  id: string;
  /** The staff member (actor in the audit trail). */
  name: string;
  secret_sha256: string;
  created_at: string;
  created_by: string;
  revoked_at: string | null;
}

export interface SubscriberRow {
  id: string;
  operator_id: string;
  name: string;
  /** JSON array of e-mail addresses for notices. */
  emails: string;
  phone: string | null;
  /** The operator's own reference for this customer. */
  external_ref: string | null;
  created_at: string;
  updated_at: string;
}

export type UsageFqdnStatus = 'applied' | 'active' | 'ended';

export interface UsageFqdnRow {
  id: string;
  subscriber_id: string;
  /** The managing operator (AT 7). */
  operator_id: string;
  /** A-label form, lower case; wildcards keep their `*.`. */
  fqdn: string;
  status: UsageFqdnStatus;
  /** Period chosen at application ('1m' | '1y'). */
  period: string;
  /** Period the next continuation uses. */
  continuation_period: string;
  applied_at: string;
  /** Local dates (CA time zone), YYYY-MM-DD. */
  start_date: string | null;
  expiry_date: string | null;
  termination_notice_at: string | null;
  termination_notice_by: string | null;
  ended_on: string | null;
  end_reason: string | null;
  updated_at: string;
  /** The expiry date for which the "ending soon" notice went out (once per expiry date). */
  ending_soon_notified_for: string | null;
}

export interface ConsentRecordRow {
  id: string;
  subscriber_id: string;
  operator_id: string;
  terms_version: string;
  cps_version: string;
  ct_disclosure_version: string;
  agreed_at: string;
  confirmation_method: string;
  confirmation_reference: string | null;
  recorded_at: string;
}

export interface FqdnApplicationRow {
  id: string;
  operator_id: string;
  subscriber_id: string;
  fqdn_input: string;
  fqdn: string | null;
  period: string;
  decision: 'accepted' | 'refused';
  /** JSON array of { code, detail }. */
  reasons: string;
  usage_fqdn_id: string | null;
  consent_id: string;
  decided_at: string;
}

export interface CertificateUsageFqdnRow {
  serial: string;
  usage_fqdn_id: string;
}

export type FeeKind = 'contract' | 'registration' | 'continuation';

export interface FeeLineRow {
  id: string;
  operator_id: string;
  kind: FeeKind;
  usage_fqdn_id: string | null;
  subscriber_id: string | null;
  fqdn: string | null;
  period: string | null;
  period_start: string | null;
  period_end: string | null;
  /** Local date the fee arose on; the statement month is taken from it. */
  accrual_date: string;
  unit_price: number;
  tax_rate_percent: number;
  tax: number;
  total: number;
  currency: string;
  created_at: string;
}

export interface PaymentRow {
  id: string;
  operator_id: string;
  amount: number;
  currency: string;
  received_on: string;
  reference: string | null;
  recorded_by: string;
  recorded_at: string;
}

export interface NotificationEventRow {
  id: string;
  kind: string;
  operator_id: string | null;
  subscriber_id: string | null;
  subject_type: string;
  subject_id: string;
  payload: string;
  created_at: string;
}

export type NotificationMessageStatus = 'pending' | 'sent' | 'dead';

/** The outbox: one e-mail per recipient of a notification event, written in the event's transaction. */
export interface NotificationMessageRow {
  id: string;
  event_id: string;
  kind: string;
  recipient: string;
  /** 'operator' (relays to its subscribers, AR 11), 'subscriber' (direct notice, AR 18) or 'ca' (the CA's own desk). */
  recipient_role: string;
  locale: string;
  status: NotificationMessageStatus;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  /** Rendered subject (set when sent). */
  subject: string | null;
  smtp_message_id: string | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
}

/** AR 16: contact attempts; an operator unreachable for 21+ days may get a correction notice. */
export interface OperatorContactAttemptRow {
  id: string;
  operator_id: string;
  attempted_at: string;
  method: string;
  outcome: 'reached' | 'unreachable';
  note: string | null;
  recorded_by: string;
  recorded_at: string;
}

export type CorrectionGround = 'material-breach' | 'unpaid-fees' | 'adverse-change' | 'contact-unreachable';
export type CorrectionNoticeStatus = 'open' | 'corrected' | 'suspended' | 'withdrawn';

/** AR 16: a correction notice with its correction period (≥ 30 days). */
export interface CorrectionNoticeRow {
  id: string;
  operator_id: string;
  ground: CorrectionGround;
  detail: string;
  issued_at: string;
  correction_days: number;
  /** ISO instant the correction period ends. */
  deadline: string;
  status: CorrectionNoticeStatus;
  resolved_at: string | null;
  resolved_by: string | null;
  resolution_note: string | null;
  created_by: string;
}

/** AR 16 (kind 'notice') and AR 17 (kind 'immediate'): in force from starts_at until ends_at / lifted_at. */
export interface OperatorSuspensionRow {
  id: string;
  operator_id: string;
  kind: 'notice' | 'immediate';
  notice_id: string | null;
  reason: string;
  starts_at: string;
  /** Null = until corrected (lifted by admin). */
  ends_at: string | null;
  lifted_at: string | null;
  lifted_by: string | null;
  lift_note: string | null;
  created_by: string;
  created_at: string;
  start_notified_at: string | null;
  end_notified_at: string | null;
}

/** AR 19 / AT 7: contract termination with its effective instant and the hand-over target. */
export interface OperatorTerminationRow {
  id: string;
  operator_id: string;
  effective_at: string;
  reason: string;
  /** Null = the CA's own reseller desk (AT 7). */
  successor_operator_id: string | null;
  status: 'scheduled' | 'effective';
  transferred_at: string | null;
  transferred_to: string | null;
  /** JSON: counts of what moved. */
  transfer_summary: string | null;
  created_by: string;
  created_at: string;
}

/** AR 19: a demand for the information needed to take over the brokering (deadline ≥ 10 days). */
export interface HandoverDemandRow {
  id: string;
  operator_id: string;
  termination_id: string | null;
  demanded_at: string;
  /** Local date (CA time zone). */
  deadline: string;
  items: string;
  status: 'open' | 'fulfilled' | 'lapsed';
  fulfilled_at: string | null;
  created_by: string;
}

/** AT 18: planned maintenance (announced) or an emergency stop (no notice; ends_at may be null). */
export interface MaintenanceWindowRow {
  id: string;
  kind: 'planned' | 'emergency';
  reason: string;
  starts_at: string;
  ends_at: string | null;
  cancelled_at: string | null;
  /** Ended early (resume). */
  ended_at: string | null;
  created_by: string;
  created_at: string;
}

export type PolicyDocumentKind = 'terms' | 'cps' | 'ct-disclosure';

/** AT 21: versioned terms, CP/CPS and CT-disclosure documents; the current one is the latest effective. */
export interface PolicyDocumentRow {
  id: string;
  kind: PolicyDocumentKind;
  version: string;
  url: string;
  sha256: string | null;
  effective_at: string;
  published_at: string;
  published_by: string;
}

export interface JobLeaseRow {
  name: string;
  holder: string;
  expires_at: string;
}

export interface JobProgressRow {
  name: string;
  last_completed: string;
  updated_at: string;
}

export type SerialStatus = 'allocated' | 'precertificate' | 'issued' | 'failed';

/** The issuance ledger: one row per serial, written before anything is signed with it. */
export interface SerialRow {
  serial: string;
  order_id: string;
  account_id: string;
  issuer_key_id: string;
  crl_shard: number;
  status: SerialStatus;
  /** Signed precertificate DER, base64 (once status ≥ precertificate). */
  precert_der: string | null;
  /** JSON array of the SCTs collected for it (base64 TLS-encoded SCTs with the log name). */
  scts: string | null;
  error: string | null;
  created_at: string;
  updated_at: string;
}

/** A key no certificate or account may use again (BR §4.9.1.1: keyCompromise). */
export interface BlockedKeyRow {
  spki_sha256: string;
  reason: 'keyCompromise' | 'admin';
  source_serial: string | null;
  blocked_at: string;
  actor: string;
}

export type RevocationJobSelector = 'serials' | 'usage_fqdn' | 'subscriber' | 'operator' | 'issuer';
export type RevocationJobStatus = 'pending' | 'running' | 'done' | 'failed' | 'cancelled';

/** An admin bulk revocation, processed in batches by the job runner and resumable. */
export interface RevocationJobRow {
  id: string;
  selector: RevocationJobSelector;
  /** JSON: serial list, or the id of the FQDN / subscriber / operator / issuer key. */
  target: string;
  reason: number;
  status: RevocationJobStatus;
  total: number | null;
  revoked: number;
  skipped: number;
  /** Where the next batch resumes (opaque to everything but the job). */
  cursor: string | null;
  error: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

/** The current CRL of one shard of one issuing CA. */
export interface CrlShardRow {
  issuer_key_id: string;
  shard: number;
  /** Decimal string; strictly increasing per shard. */
  crl_number: string;
  this_update: string;
  next_update: string;
  /** CRL DER, base64. */
  der: string;
  entries: number;
  generated_at: string;
  /** SHA-256 (hex) of what the CRL was built from (src/crl/shard-content.ts); null = unknown, regenerate. */
  content_sha256: string | null;
}

/** Head of one built-in CT log (src/ct/log/): its tree and latest signed tree head. */
export interface CtLogRow {
  name: string;
  tree_size: number;
  /** JSON array of hex hashes: the complete subtrees on the right edge, largest first. */
  frontier: string;
  /** MTH of the current tree, hex. */
  root_hash: string;
  /** Latest signed tree head (RFC 6962 §3.5), reused while the tree does not change. */
  sth_tree_size: number | null;
  /** Milliseconds since the epoch, decimal. */
  sth_timestamp: string | null;
  sth_root_hash: string | null;
  /** TLS DigitallySigned, base64. */
  sth_signature: string | null;
  created_at: string;
  updated_at: string;
}

/** One entry of a built-in CT log, in sequence order (RFC 6962 §3.4, §4.6). */
export interface CtLogEntryRow {
  log_name: string;
  idx: number;
  /** SHA-256(0x00 || leaf_input), hex. */
  leaf_hash: string;
  /** SHA-256 of the submitted (pre)certificate DER, hex: a resubmission gets the same SCT. */
  cert_sha256: string;
  /** RFC 6962 LogEntryType: 0 x509_entry, 1 precert_entry. */
  entry_type: number;
  /** SCT timestamp, milliseconds since the epoch, decimal. */
  timestamp: string;
  /** MerkleTreeLeaf, base64. */
  leaf_input: string;
  /** §4.6 extra_data, base64. */
  extra_data: string;
  /** The SCT's DER ECDSA signature, base64. */
  sct_signature: string;
  created_at: string;
}

/** A complete subtree hash (level ≥ 1) of a built-in CT log. */
export interface CtLogNodeRow {
  log_name: string;
  level: number;
  idx: number;
  hash: string;
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
  audit_chain: AuditChainRow;
  notification_messages: NotificationMessageRow;
  operator_contact_attempts: OperatorContactAttemptRow;
  correction_notices: CorrectionNoticeRow;
  operator_suspensions: OperatorSuspensionRow;
  operator_terminations: OperatorTerminationRow;
  handover_demands: HandoverDemandRow;
  maintenance_windows: MaintenanceWindowRow;
  policy_documents: PolicyDocumentRow;
  operators: OperatorRow;
  operator_api_keys: OperatorApiKeyRow;
  admin_tokens: AdminTokenRow;
  subscribers: SubscriberRow;
  usage_fqdns: UsageFqdnRow;
  consent_records: ConsentRecordRow;
  fqdn_applications: FqdnApplicationRow;
  certificate_usage_fqdns: CertificateUsageFqdnRow;
  fee_lines: FeeLineRow;
  payments: PaymentRow;
  notification_events: NotificationEventRow;
  job_leases: JobLeaseRow;
  job_progress: JobProgressRow;
  serials: SerialRow;
  blocked_keys: BlockedKeyRow;
  revocation_jobs: RevocationJobRow;
  crl_shards: CrlShardRow;
  ct_logs: CtLogRow;
  ct_log_entries: CtLogEntryRow;
  ct_log_nodes: CtLogNodeRow;
}
