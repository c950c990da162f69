/** Helpers for the crl/ tests: a development CA and openssl over DER CRLs. */
import { generateKeyPairSync } from 'node:crypto';
import { loadOrCreateDevHierarchy, type DevHierarchy } from '../../../src/ca/dev-hierarchy.js';
import { describeIssuingCa, type IssuingCa } from '../../../src/ca/issuing-ca.js';
import { newSerialHex, serialHexToBytes } from '../../../src/ca/serial.js';
import { signCertificate } from '../../../src/ca/sign-certificate.js';
import { authorityKeyIdentifier, derOf, emptyNameDer } from '../../../src/ca/x509-extensions.js';
import { canonicalSerialHex } from '../../../src/core/serial-number.js';
import { openDatabase, StorageAuthority } from '../../../src/sa/index.js';
import { freshDatabaseUrl, testDbKind } from '../../support/database.js';
import { openssl, spkiOf, tempDir, writeTemp } from '../ca/fixtures.js';

export interface TestCa {
  hierarchy: DevHierarchy;
  issuingCa: IssuingCa;
  /** Hex subjectKeyIdentifier of the issuing CA (= certificates.issuer_key_id). */
  keyIdHex: string;
}

/** A fresh development hierarchy (P-384 root, P-256 issuing CA) in a temporary directory. */
export async function testCa(now = new Date()): Promise<TestCa> {
  const hierarchy = await loadOrCreateDevHierarchy(tempDir('shomei-crl-'), { organization: 'Shomei CRL Test', now });
  const issuingCa = describeIssuingCa(hierarchy.intermediate.der, hierarchy.intermediateSigner);
  return { hierarchy, issuingCa, keyIdHex: Buffer.from(issuingCa.keyIdentifier).toString('hex') };
}

/** `openssl crl -inform DER -text -noout`. */
export function crlText(der: Uint8Array): string {
  const r = openssl(['crl', '-inform', 'DER', '-text', '-noout', '-in', writeTemp(tempDir(), 'crl.der', der)]);
  if (r.status !== 0) throw new Error(`openssl crl failed: ${r.stderr}`);
  return r.stdout;
}

/** `openssl crl -verify -CAfile <issuing CA>`: status and output. */
export function crlVerify(der: Uint8Array, caPem: string): { status: number; output: string } {
  const dir = tempDir();
  const r = openssl(['crl', '-inform', 'DER', '-noout', '-verify', '-in', writeTemp(dir, 'crl.der', der), '-CAfile', writeTemp(dir, 'ca.pem', caPem)]);
  return { status: r.status, output: r.stdout + r.stderr };
}

/** The revoked-certificate blocks of `openssl crl -text`, by upper-case serial (as openssl prints it). */
export function revokedBlocks(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const revoked = text.split(/Revoked Certificates:\n/)[1]?.split(/\n\s*Signature Algorithm:/)[0] ?? '';
  for (const block of revoked.split(/\n?\s*Serial Number: /).slice(1)) {
    const [serial, ...rest] = block.split('\n');
    out.set(serial!.trim(), rest.join('\n'));
  }
  return out;
}

/** How openssl prints a serial: upper-case hex without the DER sign byte. */
export function opensslSerial(serialHex: string): string {
  return serialHex.replace(/^(00)+(?=..)/, '').toUpperCase();
}

/** openssl's colon-separated upper-case hex (key identifiers). */
export function colonHex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex').toUpperCase().match(/../g)!.join(':');
}

export interface TestStorage {
  sa: StorageAuthority;
  url: string;
  /**
   * A second instance on the same database. PostgreSQL: its own pool. SQLite:
   * the same handle — better-sqlite3 waits for a lock synchronously, so two
   * connections in one process would block each other's event loop (a real
   * second SQLite instance is another process).
   */
  second(): Promise<StorageAuthority>;
  close(): Promise<void>;
}

/** A fresh migrated database (SQLite, or PostgreSQL with SHOMEI_TEST_DB=postgres) with one account and order. */
export async function testStorage(): Promise<TestStorage> {
  const db = await freshDatabaseUrl();
  const sa = new StorageAuthority(openDatabase(db.url));
  await sa.migrate();
  const at = '2026-01-01T00:00:00.000Z';
  await sa.repos.insertAccount({ id: 'acct-crl', jwk_thumbprint: 'tp-crl', jwk: '{}', status: 'valid', contact: '[]', tos_agreed: 1,
    terms_version: null, eab_kid: null, created_at: at, updated_at: at });
  await sa.repos.insertOrder({ id: 'order-crl', account_id: 'acct-crl', status: 'valid', expires_at: at, identifiers: '[]', not_before: null, not_after: null, error: null, certificate_serial: null, replaces: null, created_at: at, updated_at: at });
  const others: StorageAuthority[] = [];
  return {
    sa,
    url: db.url,
    async second() {
      if (testDbKind() === 'sqlite') return sa;
      const o = new StorageAuthority(openDatabase(db.url));
      others.push(o);
      return o;
    },
    async close() {
      for (const o of others) await o.close();
      await sa.close();
      await db.cleanup();
    },
  };
}

/** A minimal certificate signed by `ca` whose only extension is its AKI (for rows that must be attributed by DER). */
export async function certificateDerOf(ca: IssuingCa, serialHex: string, notAfter: Date): Promise<Uint8Array> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return signCertificate(
    {
      serial: serialHexToBytes(serialHex),
      issuer: ca.subjectDer,
      subject: emptyNameDer(),
      notBefore: new Date(notAfter.getTime() - 86400_000),
      notAfter,
      spki: spkiOf(privateKey),
      extensions: [derOf(authorityKeyIdentifier(ca.keyIdentifier))],
    },
    ca.signer,
  );
}

export interface TestCertificate {
  /** Default: a fresh random serial. */
  serial?: string;
  issuerKeyId: string | null;
  shard: number | null;
  notAfter: Date;
  /** DER (base64) stored with the row; default empty. */
  der?: Uint8Array;
  revoked?: { at: Date; reason: number };
}

/** Store a certificate row (and optionally its revocation) directly through the repositories; returns its serial. */
export async function insertTestCertificate(sa: StorageAuthority, c: TestCertificate): Promise<string> {
  const serial = canonicalSerialHex(c.serial ?? newSerialHex());
  const notBefore = new Date(c.notAfter.getTime() - 90 * 86400_000).toISOString();
  await sa.repos.insertCertificate({
    serial,
    account_id: 'acct-crl',
    order_id: 'order-crl',
    der: c.der === undefined ? '' : Buffer.from(c.der).toString('base64'),
    names: '["crl.example"]',
    spki_sha256: serial,
    issued_at: notBefore,
    not_before: notBefore,
    not_after: c.notAfter.toISOString(),
    revoked_at: null,
    revocation_reason: null,
    subscriber_id: null,
    issuer_key_id: c.issuerKeyId,
    crl_shard: c.shard,
  });
  if (c.revoked !== undefined) await revokeTestCertificate(sa, serial, c.revoked.reason, c.revoked.at);
  return serial;
}

/** Revoke through the repository the RA uses (with its audit event). */
export async function revokeTestCertificate(sa: StorageAuthority, serial: string, reason: number, at: Date): Promise<void> {
  const done = await sa.transaction((tx) => tx.recordRevocation({ serial, reason, atIso: at.toISOString(), actor: 'admin:test' }));
  if (!done) throw new Error(`${serial} was already revoked`);
}
