import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { sql } from 'kysely';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, StorageAuthority, isUniqueViolation } from '../../../src/sa/index.js';
import { MIGRATIONS } from '../../../src/sa/migrate.js';
import { freshDatabaseUrl, testDbKind } from '../../support/database.js';

describe(`storage authority on ${testDbKind()}`, () => {
  let sa: StorageAuthority;
  let cleanup: () => Promise<void>;
  before(async () => {
    const db = await freshDatabaseUrl();
    cleanup = db.cleanup;
    sa = new StorageAuthority(openDatabase(db.url));
    assert.deepEqual(await sa.migrate(), MIGRATIONS.map((m) => m.name));
    assert.ok(MIGRATIONS.length >= 4);
  });
  after(async () => {
    await sa.close();
    await cleanup();
  });

  test('migrations are applied once', async () => {
    assert.deepEqual(await sa.migrate(), []);
  });

  test('a nonce use is recorded exactly once, even by concurrent callers', async () => {
    const exp = new Date(Date.now() + 60_000).toISOString();
    const results = await Promise.all(Array.from({ length: 8 }, () => sa.repos.recordNonceUses([{ value: 'n-concurrent', expiresAt: exp }])));
    assert.equal(results.filter((r) => r.has('n-concurrent')).length, 1);
    const batch = await sa.repos.recordNonceUses([{ value: 'n-concurrent', expiresAt: exp }, { value: 'n-new', expiresAt: exp }]);
    assert.deepEqual([...batch], ['n-new']);
  });

  test('used nonces past their lifetime are purged', async () => {
    assert.equal((await sa.repos.recordNonceUses([{ value: 'n-old', expiresAt: new Date(Date.now() - 1000).toISOString() }])).has('n-old'), true);
    assert.ok((await sa.repos.purgeUsedNonces(new Date().toISOString())) >= 1);
  });

  test('a failed transaction leaves nothing behind', async () => {
    const now = new Date().toISOString();
    await assert.rejects(
      sa.transaction(async (tx) => {
        await tx.insertEabKey({ kid: 'kid-rollback', hmac_key_sealed: 'x', label: null, created_at: now, revoked_at: null, subscriber_id: null, compromised_at: null });
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(await sa.repos.getEabKey('kid-rollback'), undefined);
  });

  test('a duplicate account key is a unique violation', async () => {
    const now = new Date().toISOString();
    await sa.repos.insertEabKey({ kid: 'kid-u', hmac_key_sealed: 'x', label: null, created_at: now, revoked_at: null, subscriber_id: null, compromised_at: null });
    const row = { id: 'acct-1', jwk_thumbprint: 'tp-1', jwk: '{}', status: 'valid' as const, contact: '[]', tos_agreed: 1,
    terms_version: null, eab_kid: 'kid-u', created_at: now, updated_at: now };
    await sa.repos.insertAccount(row);
    const err = await sa.repos.insertAccount({ ...row, id: 'acct-2' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(isUniqueViolation(err), `expected a unique violation, got ${String(err)}`);
  });

  test('revoking twice reports the second as already revoked', async () => {
    const now = new Date().toISOString();
    await sa.repos.insertOrder({ id: 'o-1', account_id: 'acct-1', status: 'valid', expires_at: now, identifiers: '[]', not_before: null, not_after: null, error: null, certificate_serial: 'ab', replaces: null, created_at: now, updated_at: now });
    await sa.repos.insertCertificate({ serial: 'ab', account_id: 'acct-1', order_id: 'o-1', der: '', names: '[]', spki_sha256: 'x', issued_at: now, not_before: now, not_after: now, revoked_at: null, revocation_reason: null, subscriber_id: null, issuer_key_id: null, crl_shard: null });
    assert.equal(await sa.repos.revokeCertificate('ab', 1, now), true);
    assert.equal(await sa.repos.revokeCertificate('ab', 4, now), false);
    assert.equal((await sa.repos.getCertificate('ab'))?.revocation_reason, 1);
  });

  test('an order leaves processing only once (compare-and-set)', async () => {
    const now = new Date().toISOString();
    await sa.repos.insertOrder({ id: 'o-2', account_id: 'acct-1', status: 'pending', expires_at: now, identifiers: '[]', not_before: null, not_after: null, error: null, certificate_serial: null, replaces: null, created_at: now, updated_at: now });
    const moves = await Promise.all([1, 2, 3].map(() => sa.repos.transitionOrder('o-2', ['pending', 'ready'], { status: 'processing' }, now)));
    assert.equal(moves.filter(Boolean).length, 1);
  });
});

describe('SQLite durability setting', () => {
  test('database.sqliteSynchronous: full (default) syncs every commit, normal does not; WAL either way', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sync-'));
    for (const [mode, want] of [[undefined, 2], ['full', 2], ['normal', 1]] as const) {
      const db = openDatabase(`sqlite:${join(dir, `${mode ?? 'default'}.db`)}`, mode === undefined ? {} : { sqliteSynchronous: mode });
      const r = await sql<{ synchronous: number }>`pragma synchronous`.execute(db.kysely);
      const j = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db.kysely);
      assert.equal(r.rows[0]?.synchronous, want, `mode ${String(mode)}`);
      assert.equal(j.rows[0]?.journal_mode, 'wal');
      // Nonce uses are written without a sync of their own; the level is restored afterwards.
      const sa = new StorageAuthority(db);
      await sa.migrate();
      const got = await sa.recordNonceUsesLazily([{ value: `n-${String(mode)}`, expiresAt: '2999-01-01T00:00:00.000Z' }]);
      assert.ok(got.has(`n-${String(mode)}`));
      assert.equal((await sa.recordNonceUsesLazily([{ value: `n-${String(mode)}`, expiresAt: '2999-01-01T00:00:00.000Z' }])).size, 0);
      const after = await sql<{ synchronous: number }>`pragma synchronous`.execute(db.kysely);
      assert.equal(after.rows[0]?.synchronous, want);
      await db.close();
    }
  });
});
