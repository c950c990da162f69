import { z } from 'zod';

/**
 * The one typed configuration. Every field has a safe default so that
 * `shomei start` with no file runs the embedded default: SQLite in the data
 * directory, a generated development CA, loopback listeners.
 * Documented field by field in docs/configuration.md — keep them in step.
 */

const hostPort = z
  .string()
  .regex(/^(\[[0-9a-fA-F:.]+\]|[^\s:]+):\d{1,5}$/, 'expected host:port (IPv6 in brackets)');

const port = z.number().int().min(0).max(65535);

const tld = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'expected a lower-case TLD (A-label) without dots');

/** BR §6.3.2 maximum validity (days) for a certificate issued at `at`. */
export function brMaxValidityDays(at: Date): number {
  if (at < new Date('2026-03-15T00:00:00Z')) return 398;
  if (at < new Date('2027-03-15T00:00:00Z')) return 200;
  if (at < new Date('2029-03-15T00:00:00Z')) return 100;
  return 47;
}

/** BR §4.2.1 maximum reuse of domain validation data (days) at `at`. */
export function brMaxDcvReuseDays(at: Date): number {
  if (at < new Date('2026-03-15T00:00:00Z')) return 398;
  if (at < new Date('2027-03-15T00:00:00Z')) return 200;
  if (at < new Date('2029-03-15T00:00:00Z')) return 100;
  return 10;
}

export const configSchema = z
  .object({
    /** Where the embedded default keeps its database, keys and generated files. */
    dataDir: z.string().min(1).default('./data'),
    /** IANA time zone that defines "date" for validity and usage periods (SPEC §2). */
    timeZone: z
      .string()
      .default('Asia/Tokyo')
      .refine((tz) => {
        try {
          new Intl.DateTimeFormat('en', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      }, 'unknown IANA time zone'),
    /**
     * Processes serving ACME (node:cluster). 1 = one process. More share the
     * listening ports and the database, like instances behind a load balancer.
     */
    workers: z.number().int().min(1).max(64).default(1),
    log: z
      .object({
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
      })
      .strict()
      .default({}),
    acme: z
      .object({
        /** Address the HTTPS ACME listener binds to. */
        host: z.string().min(1).default('127.0.0.1'),
        port: port.default(14000),
        /** Public base URL clients use (no trailing slash). Default: https://localhost:<port>. */
        baseUrl: z.string().url().optional(),
        /** Extra DNS names for the ACME listener's TLS certificate (besides localhost). */
        tlsNames: z.array(z.string()).default([]),
        termsOfService: z.string().url().default('https://shomei.test/terms/v1'),
        website: z.string().url().default('https://shomei.test/'),
        /** CAA issuer domain names that authorise this CA (RFC 8659 / BR §3.2.2.8). */
        caaIdentities: z.array(z.string().min(1)).min(1).default(['shomei.test']),
        /** Largest request body accepted, in bytes. */
        maxBodyBytes: z.number().int().min(1024).max(10 * 1024 * 1024).default(64 * 1024),
        /** How long a pending order (and its pending authorizations) lives. */
        orderLifetimeHours: z.number().min(1).max(24 * 30).default(168),
        /**
         * How long a valid authorization may be reused for new orders. Capped at
         * run time by the BR §4.2.1 reuse limit in force.
         */
        authzReuseDays: z.number().min(0).max(398).default(30),
        /** Seconds for Retry-After on processing orders. */
        retryAfterSeconds: z.number().int().min(1).max(3600).default(1),
        /** Nonce lifetime (seconds). */
        nonceLifetimeSeconds: z.number().int().min(10).max(86400).default(3600),
        /** Page size of the account orders list (RFC 8555 §7.1.2.1). */
        ordersPageSize: z.number().int().min(1).max(1000).default(50),
      })
      .strict()
      .default({}),
    /** Plain-HTTP listener for CA artefacts: issuer certificates, CRLs, the built-in CT logs. */
    artefacts: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: port.default(14080),
        /** Public base URL put into AIA and CRL DP (and of the built-in CT logs). Default: http://localhost:<port>. */
        baseUrl: z.string().url().optional(),
      })
      .strict()
      .default({}),
    database: z
      .object({
        /**
         * `sqlite:<path>` (relative to dataDir unless absolute) or a
         * `postgres://` / `postgresql://` URL.
         */
        url: z
          .string()
          .default('sqlite:shomei.db')
          .refine((u) => /^(sqlite:.+|postgres(ql)?:\/\/.+)$/.test(u), 'expected sqlite:<path> or postgres://…'),
        /** PostgreSQL pool size. */
        poolSize: z.number().int().min(1).max(200).default(10),
        /**
         * SQLite durability: `full` syncs the WAL at every commit (survives power
         * loss); `normal` only survives a crash of the process (faster).
         */
        sqliteSynchronous: z.enum(['full', 'normal']).default('full'),
      })
      .strict()
      .default({}),
    ca: z
      .object({
        /** Last valid day = issue date + validityDays (CA time zone), SPEC §2. Capped by the BR maximum. */
        validityDays: z.number().int().min(1).max(398).default(90),
        /** Backdating of notBefore in seconds to absorb client clock skew (BR: within 48 h). */
        backdateSeconds: z.number().int().min(0).max(3600).default(0),
        /** Subject CN = first SAN when it fits in 64 characters (BR: NOT RECOMMENDED but allowed). */
        includeCommonName: z.boolean().default(true),
        /** Distinguished name prefix of the generated development hierarchy. */
        devOrganization: z.string().min(1).default('Shomei Development CA'),
      })
      .strict()
      .default({}),
    va: z
      .object({
        /** Port http-01 validation connects to (80 in production). */
        httpPort: port.default(80),
        /** Port tls-alpn-01 validation connects to (443 in production). */
        tlsAlpnPort: port.default(443),
        /** DNS resolver as host:port; empty = the system resolvers. */
        dnsResolver: z.union([hostPort, z.literal('')]).default(''),
        /** Per-attempt timeout in milliseconds (HTTP, TLS and DNS each). */
        timeoutMs: z.number().int().min(100).max(60000).default(10000),
        /**
         * Allow validation traffic to loopback/private/reserved addresses.
         * Off in production (policy); on for loopback tests.
         */
        allowPrivateAddresses: z.boolean().default(false),
        /** Re-check CAA at finalize when the check is older than this (BR: 8 h). */
        caaRecheckHours: z.number().min(0).max(8).default(8),
      })
      .strict()
      .default({}),
    secrets: z
      .object({
        /**
         * File holding the 32-byte master key (base64) that seals EAB HMAC keys.
         * Default: <dataDir>/secrets/master.key, created on first start. All
         * instances sharing one database must share this key.
         */
        masterKeyFile: z.string().min(1).optional(),
      })
      .strict()
      .default({}),
    eab: z
      .object({
        /** MAC algorithms accepted for EAB (RFC 8555 §7.3.4). */
        algorithms: z.array(z.enum(['HS256', 'HS384', 'HS512'])).min(1).default(['HS256', 'HS384', 'HS512']),
      })
      .strict()
      .default({}),
    /** Naming policy shared by usage-FQDN screening and ACME orders. */
    policy: z
      .object({
        /** TLDs treated as delegated although not ICANN TLDs (e.g. `test` for test setups). Empty in production. */
        additionalTlds: z.array(tld).default([]),
        /** High-risk / blocked names: each blocks that name and every name below it, for applications and orders. */
        blockedNames: z.array(z.string().min(1)).default([]),
      })
      .strict()
      .default({}),
    /** The agency channel (SPEC §3–§5): operators, subscribers, usage FQDNs. */
    registry: z
      .object({
        /** TLDs usage FQDNs may use; empty = every ICANN TLD (plus policy.additionalTlds). */
        tldAllowList: z.array(tld).default([]),
        /** TLDs refused for usage FQDNs. */
        tldBlockList: z.array(tld).default([]),
        /**
         * Let ACME accounts bound with plain admin EAB credentials (`shomei eab
         * create`, no subscriber) order any name, as in a generic ACME CA. Off:
         * only subscribers' accounts may order, and only their usage FQDNs' names.
         */
        allowUnboundAccounts: z.boolean().default(false),
        /** Reason code of the revocations that follow the end of a usage FQDN (SPEC §5.4; 5 = cessationOfOperation). */
        endOfUsageRevocationReason: z.union([z.literal(0), z.literal(1), z.literal(3), z.literal(4), z.literal(5), z.literal(9)]).default(5),
      })
      .strict()
      .default({}),
    /** Fees owed by operators (SPEC §9). Amounts in whole units of `currency`. */
    fees: z
      .object({
        currency: z.string().regex(/^[A-Z]{3}$/).default('JPY'),
        /** One-time contract fee at designation (AR 2), waived for operators already designated for domain names. */
        contractFee: z.number().int().min(0).default(250000),
        /** Fee per chargeable 1-month period (registration or continuation). */
        monthlyPeriodFee: z.number().int().min(0).default(500),
        /** Fee per chargeable 1-year period (registration or continuation). */
        yearlyPeriodFee: z.number().int().min(0).default(5000),
        /** Consumption tax in percent, applied per line and rounded down. */
        taxRatePercent: z.number().int().min(0).max(100).default(10),
      })
      .strict()
      .default({}),
    /** The operator REST API (HTTPS; client certificates optional, checked per API key). */
    operatorApi: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: port.default(14001),
        /** Public base URL operators use. Default: https://localhost:<port>. */
        baseUrl: z.string().url().optional(),
      })
      .strict()
      .default({}),
    /** The CA staff API (HTTPS, admin tokens). Keep it on an internal address. */
    adminApi: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: port.default(14002),
      })
      .strict()
      .default({}),
    /** Certificate Transparency (RFC 6962; WEBPKI.md §4): where precertificates go and how many SCTs a certificate needs. */
    ct: z
      .object({
        /** Submit precertificates and embed SCTs. Off only for private test deployments: no browser accepts such certificates. */
        enabled: z.boolean().default(true),
        /**
         * Run the built-in RFC 6962 logs (on this database, served by the
         * artefacts listener under `/ct/<name>/`). The embedded default runs two
         * with distinct operators so certificates carry two SCTs out of the box.
         */
        builtinLogs: z
          .array(
            z
              .object({
                name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected a lower-case log name'),
                operator: z.string().min(1),
              })
              .strict(),
          )
          .default([
            { name: 'shomei-dev-a', operator: 'Shomei Dev Log Operator A' },
            { name: 'shomei-dev-b', operator: 'Shomei Dev Log Operator B' },
          ]),
        /** Maximum merge delay the built-in logs promise, in seconds (RFC 6962 §3). */
        builtinMmdSeconds: z.number().int().min(1).max(86400).default(86400),
        /** External logs (a log list): base URL (…/ct/v1/ is appended), base64 DER public key, operator, temporal shard window. */
        logs: z
          .array(
            z
              .object({
                name: z.string().min(1),
                url: z.string().url(),
                key: z.string().min(1),
                operator: z.string().min(1),
                /** Temporal shard: the log accepts certificates whose notAfter is in [startInclusive, endExclusive). */
                startInclusive: z.string().datetime().optional(),
                endExclusive: z.string().datetime().optional(),
              })
              .strict(),
          )
          .default([]),
        /** Fewest SCTs a certificate must embed. */
        minScts: z.number().int().min(1).max(10).default(2),
        /** Fewest distinct log operators among them. */
        minDistinctOperators: z.number().int().min(1).max(10).default(2),
        /** Per-log timeout for add-pre-chain / add-chain. */
        submitTimeoutMs: z.number().int().min(100).max(120_000).default(10_000),
      })
      .strict()
      .default({}),
    /** Certificate revocation lists (BR §4.9.7, §7.2; WEBPKI.md §3). */
    crl: z
      .object({
        /** Number of CRL shards per issuing CA; fixed per certificate at issuance (its CRL DP). */
        shards: z.number().int().min(1).max(1024).default(4),
        /** How often changed shards are regenerated, in seconds (a revocation is on its CRL within this). */
        regenerateSeconds: z.number().int().min(10).max(3600).default(300),
        /** A shard is re-signed at least this often even when nothing changed, in hours (≤ 24). */
        maxAgeHours: z.number().min(0.01).max(24).default(24),
        /** nextUpdate − thisUpdate, in hours (BR §4.9.7: at most 10 days). */
        nextUpdateHours: z.number().min(1).max(240).default(168),
      })
      .strict()
      .default({}),
    /** ACME Renewal Information (RFC 9773). */
    ari: z
      .object({
        /** Retry-After on renewalInfo responses, in seconds. */
        retryAfterSeconds: z.number().int().min(60).max(86400 * 7).default(21600),
        /** Usage FQDNs ending within this many days move their certificates' window into the past. */
        usageEndingDays: z.number().int().min(0).max(365).default(30),
      })
      .strict()
      .default({}),
    /** E-mail notifications (SPEC §10; AR 11, AR 18, AT 20): the outbox and its SMTP delivery. */
    notifications: z
      .object({
        /** SMTP relay; an empty host keeps messages queued in the outbox (visible to admins) without sending. */
        smtp: z
          .object({
            host: z.string().default(''),
            port: port.default(587),
            /** Implicit TLS (port 465); otherwise STARTTLS is used when the server offers it. */
            secure: z.boolean().default(false),
            /** Refuse to send unless the connection is TLS-protected (STARTTLS required). */
            requireTls: z.boolean().default(false),
            user: z.string().default(''),
            /** File holding the SMTP password (kept out of the configuration and the logs). */
            passwordFile: z.string().default(''),
            /** Accept self-signed relay certificates (loopback tests only). */
            allowInvalidCertificates: z.boolean().default(false),
            timeoutMs: z.number().int().min(100).max(120_000).default(15_000),
          })
          .strict()
          .default({}),
        /** The From header of every notice. */
        from: z.string().min(3).default('Shomei CA <noreply@shomei.test>'),
        /** Language of notices to recipients without one of their own ('ja' or 'en'). */
        defaultLocale: z.enum(['ja', 'en']).default('ja'),
        /** Delivery attempts before a message goes to the dead-letter state. */
        maxAttempts: z.number().int().min(1).max(50).default(8),
        /** First retry delay in seconds; doubled per attempt up to backoffMaxSeconds. */
        backoffBaseSeconds: z.number().int().min(1).max(86400).default(60),
        backoffMaxSeconds: z.number().int().min(1).max(7 * 86400).default(6 * 3600),
        /** Messages sent per delivery run. */
        batchSize: z.number().int().min(1).max(1000).default(50),
        /** Notify subscribers directly where AR 18 allows (termination, suspension), besides their operator. */
        directSubscriberNotices: z.boolean().default(true),
        /** "Usage FQDN ending soon" goes out this many days before an expiry date that will not be continued. */
        endingSoonDays: z.number().int().min(1).max(90).default(14),
      })
      .strict()
      .default({}),
    /** Operator governance (SPEC §8; AR 16–19). */
    governance: z
      .object({
        /** Correction period given when the admin names none, in days (AR 16: at least 30). */
        defaultCorrectionDays: z.number().int().min(30).max(365).default(30),
        /** Suspend operators whose correction period ended uncorrected from the scheduled job (otherwise an admin does). */
        autoSuspend: z.boolean().default(false),
        /** Days without reaching an operator's contact after which it is flagged unreachable (AR 16). */
        unreachableDays: z.number().int().min(1).max(365).default(21),
        /** Shortest notice for a hand-over demand, in days (AR 19: at least 10). */
        handoverMinDays: z.number().int().min(10).max(365).default(10),
      })
      .strict()
      .default({}),
    /** Maintenance windows and emergency stops (AT 18). */
    maintenance: z
      .object({
        /** Retry-After during an emergency stop without a planned end, in seconds. */
        emergencyRetryAfterSeconds: z.number().int().min(1).max(86400).default(600),
        /** How long a process trusts its view of the maintenance schedule, in milliseconds. */
        cacheMs: z.number().int().min(0).max(60_000).default(2000),
      })
      .strict()
      .default({}),
    /** Records retention (SPEC §11; AR 10; BR 5.4.3, 5.5.2). */
    records: z
      .object({
        /** Years audit events, consent records and the CA's records are kept (at least 7). */
        retentionYears: z.number().int().min(7).max(100).default(7),
        /** Days delivered notification messages are kept in the outbox. */
        sentMessageDays: z.number().int().min(1).max(3650).default(400),
      })
      .strict()
      .default({}),
    /** Scheduled work (usage-period day boundaries), one runner at a time across instances. */
    jobs: z
      .object({
        /** Run the scheduler in this process. */
        enabled: z.boolean().default(true),
        /** How often the scheduler wakes up. */
        intervalSeconds: z.number().int().min(1).max(3600).default(60),
        /** How long a runner holds the database lease without renewing it. */
        leaseSeconds: z.number().int().min(10).max(3600).default(300),
      })
      .strict()
      .default({}),
  })
  .strict();

export type ConfigInput = z.input<typeof configSchema>;
export type ParsedConfig = z.output<typeof configSchema>;

/**
 * The configuration after defaults that depend on other fields are filled in.
 * `acme.baseUrl` / `artefacts.baseUrl` are always set once the listeners are
 * bound (port 0 is resolved to the real port by `app.ts`).
 */
export interface Config extends ParsedConfig {
  acme: ParsedConfig['acme'] & { baseUrl: string; explicitBaseUrl: boolean };
  operatorApi: ParsedConfig['operatorApi'] & { baseUrl: string; explicitBaseUrl: boolean };
  artefacts: ParsedConfig['artefacts'] & { baseUrl: string; explicitBaseUrl: boolean };
}
