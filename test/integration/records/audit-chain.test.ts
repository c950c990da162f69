import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openDatabase, StorageAuthority, type Db } from '../../../src/sa/index.js';
import { AUDIT_GENESIS_HASH } from '../../../src/sa/audit-chain.js';
import { MAX_LISTED_PROBLEMS, verifyAuditChain, type AuditVerification } from '../../../src/records/audit-verify.js';
import { freshDatabaseUrl, testDbKind } from '../../support/database.js';
import { runShomeiCli } from '../../support/cli-runner.js';

const T0 = Date.parse('2026-11-24T00:00:00Z');
const at = (i: number) => new Date(T0 + i * 1000).toISOString();

interface Chain {
  db: Db;
  sa: StorageAuthority;
  url: string;
}

/** A fresh database with `n` chained audit events (seq 1…n), closed and dropped after `fn`. */
async function withChain(n: number, fn: (c: Chain) => Promise<void>, poolSize?: number): Promise<void> {
  const fresh = await freshDatabaseUrl();
  const db = openDatabase(fresh.url, poolSize === undefined ? {} : { poolSize });
  const sa = new StorageAuthority(db);
  try {
    await sa.migrate();
    for (let i = 1; i <= n; i++) {
      await sa.repos.appendAudit({ at: at(i), actor: 'admin:alice', action: 'test.event', objectType: 'thing', objectId: `t${i}`, details: { i } });
    }
    await fn({ db, sa, url: fresh.url });
  } finally {
    await sa.close();
    await fresh.cleanup();
  }
}

/** Play the attacker with DDL rights: take the database guards away first. */
async function dropGuards(db: Db): Promise<void> {
  if (db.dialect === 'postgres') await sql`alter table audit_events disable trigger audit_events_guard`.execute(db.kysely);
  else {
    await sql`drop trigger audit_events_no_update`.execute(db.kysely);
    await sql`drop trigger audit_events_no_delete`.execute(db.kysely);
  }
}

const problemSeqs = (v: AuditVerification) => v.problems.map((p) => p.seq);

describe(`audit chain verification on ${testDbKind()}`, () => {
  test('a clean chain verifies from the genesis to the head', async () => {
    await withChain(25, async ({ sa }) => {
      const v = await verifyAuditChain(sa.repos);
      const chain = await sa.repos.getAuditChain();
      assert.deepEqual(v, { ok: true, events: 25, firstSeq: 1, lastSeq: 25, anchorSeq: 0, headSeq: 25, headHash: chain?.head_hash, problems: [], truncated: false });
      const rows = await sa.repos.listAuditAfter(0, 100);
      assert.equal(rows[0]?.prev_hash, AUDIT_GENESIS_HASH);
      assert.equal(rows[24]?.hash, chain?.head_hash);
    });
  });

  test('an empty chain verifies', async () => {
    await withChain(0, async ({ sa }) => {
      const v = await verifyAuditChain(sa.repos);
      assert.equal(v.ok, true);
      assert.equal(v.events, 0);
      assert.equal(v.headHash, AUDIT_GENESIS_HASH);
    });
  });

  test('changing the details of one event is found at that event', async () => {
    await withChain(20, async ({ db, sa }) => {
      await dropGuards(db);
      await sql`update audit_events set details = ${JSON.stringify({ i: 700 })} where seq = 7`.execute(db.kysely);
      const v = await verifyAuditChain(sa.repos);
      assert.equal(v.ok, false);
      assert.deepEqual(problemSeqs(v), [7]);
      assert.match(v.problems[0]?.problem ?? '', /altered/);
    });
  });

  test('an event altered with its hash recomputed breaks the link of the next one', async () => {
    await withChain(12, async ({ db, sa }) => {
      await dropGuards(db);
      const { auditEventHash } = await import('../../../src/sa/audit-chain.js');
      const row = (await sa.repos.listAuditAfter(4, 1))[0];
      assert.ok(row);
      const details = JSON.stringify({ i: 'forged' });
      const hash = auditEventHash(row.prev_hash, { seq: 5, at: row.at, actor: row.actor, channel: row.channel, action: row.action, object_type: row.object_type, object_id: row.object_id, details });
      await sql`update audit_events set details = ${details}, hash = ${hash} where seq = 5`.execute(db.kysely);
      const v = await verifyAuditChain(sa.repos);
      assert.deepEqual(problemSeqs(v), [6]);
      assert.match(v.problems[0]?.problem ?? '', /prev_hash does not link to event 5/);
    });
  });

  test('deleting a middle event is found at its position', async () => {
    await withChain(20, async ({ db, sa }) => {
      await dropGuards(db);
      await sql`delete from audit_events where seq = 10`.execute(db.kysely);
      const v = await verifyAuditChain(sa.repos);
      assert.equal(v.ok, false);
      assert.deepEqual(v.problems, [{ seq: 10, problem: 'event 10 is missing' }]);
      assert.equal(v.events, 19);
    });
  });

  test('deleting the last event is found against the head', async () => {
    await withChain(20, async ({ db, sa }) => {
      await dropGuards(db);
      await sql`delete from audit_events where seq = 20`.execute(db.kysely);
      const v = await verifyAuditChain(sa.repos);
      assert.equal(v.ok, false);
      assert.deepEqual(v.problems, [{ seq: 20, problem: 'event 20 (the head) is missing' }]);
      assert.equal(v.lastSeq, 19);
    });
  });

  test('reordering two events is found at the first of them', async () => {
    await withChain(20, async ({ db, sa }) => {
      await dropGuards(db);
      await sql`update audit_events set seq = -1 where seq = 12`.execute(db.kysely);
      await sql`update audit_events set seq = 12 where seq = 13`.execute(db.kysely);
      await sql`update audit_events set seq = 13 where seq = -1`.execute(db.kysely);
      const v = await verifyAuditChain(sa.repos);
      assert.equal(v.ok, false);
      assert.equal(v.problems[0]?.seq, 12);
      assert.ok(problemSeqs(v).every((s) => s === 12 || s === 13 || s === 14), JSON.stringify(v.problems));
    });
  });

  test('problems are listed up to the cap, and the cap is said', async () => {
    await withChain(30, async ({ db, sa }) => {
      await dropGuards(db);
      await sql`update audit_events set details = '{}'`.execute(db.kysely);
      const v = await verifyAuditChain(sa.repos);
      assert.equal(v.ok, false);
      assert.equal(v.problems.length, MAX_LISTED_PROBLEMS);
      assert.equal(v.truncated, true);
      assert.deepEqual(problemSeqs(v), Array.from({ length: MAX_LISTED_PROBLEMS }, (_, i) => i + 1));
    });
  });

  test('the database refuses to change an audit event or delete one inside its retention period', async () => {
    await withChain(5, async ({ db, sa }) => {
      await assert.rejects(sql`update audit_events set details = '{}' where seq = 2`.execute(db.kysely), /cannot be changed/);
      await assert.rejects(sql`delete from audit_events where seq = 2`.execute(db.kysely), /cannot be deleted/);
      // Below the anchor (moved by the retention purge) deletion is allowed.
      const purged = await sa.transaction((tx) => tx.purgeAuditPrefix(at(3), 100));
      assert.deepEqual(purged, { purged: 2, anchorSeq: 2 });
      const v = await verifyAuditChain(sa.repos);
      assert.deepEqual([v.ok, v.anchorSeq, v.firstSeq, v.events], [true, 2, 3, 3]);
      await assert.rejects(sql`delete from audit_events where seq = 3`.execute(db.kysely), /cannot be deleted/);
      assert.equal((await sa.repos.listAuditAfter(0, 10)).length, 3);
    });
  });

  test('a rolled-back transaction leaves no gap in the chain', async () => {
    await withChain(3, async ({ sa }) => {
      await assert.rejects(
        sa.transaction(async (tx) => {
          await tx.appendAudit({ at: at(4), actor: 'system', action: 'test.rolled-back', objectType: 'thing', objectId: 'x' });
          throw new Error('boom');
        }),
        /boom/,
      );
      await sa.repos.appendAudit({ at: at(5), actor: 'system', action: 'test.kept', objectType: 'thing', objectId: 'y' });
      const rows = await sa.repos.listAuditAfter(0, 10);
      assert.deepEqual(rows.map((r) => [r.seq, r.action]), [[1, 'test.event'], [2, 'test.event'], [3, 'test.event'], [4, 'test.kept']]);
      assert.equal((await verifyAuditChain(sa.repos)).ok, true);
    });
  });

  test('many concurrent transactions on separate connections never fork the chain', async () => {
    await withChain(
      0,
      async ({ sa }) => {
        const N = 60;
        const outcomes = await Promise.allSettled(
          Array.from({ length: N }, (_, i) =>
            sa.transaction(async (tx) => {
              await tx.insertEabKey({ kid: `kid-${i}`, hmac_key_sealed: 'x', label: null, created_at: at(i), revoked_at: null, subscriber_id: null, compromised_at: null });
              await tx.appendAudit({ at: at(i), actor: 'admin:alice', action: 'eab.created', objectType: 'eab', objectId: `kid-${i}` });
              // Work after the append keeps the head locked while other transactions queue on it.
              await tx.getEabKey(`kid-${i}`);
              if (i % 7 === 3) throw new Error(`rolled back ${i}`);
            }),
          ),
        );
        const committed = outcomes.filter((o) => o.status === 'fulfilled').length;
        assert.equal(committed, N - Array.from({ length: N }, (_, i) => i).filter((i) => i % 7 === 3).length);
        const rows = await sa.repos.listAuditAfter(0, 1000);
        assert.deepEqual(rows.map((r) => r.seq), Array.from({ length: committed }, (_, i) => i + 1));
        assert.equal(new Set(rows.map((r) => r.prev_hash)).size, committed, 'no two events share a predecessor');
        const v = await verifyAuditChain(sa.repos);
        assert.deepEqual([v.ok, v.events, v.headSeq], [true, committed, committed]);
        // Each audited change is the one that committed.
        assert.deepEqual(rows.map((r) => r.object_id).sort(), (await sa.repos.listEabKeys()).map((k) => k.kid).sort());
      },
      testDbKind() === 'postgres' ? 12 : undefined,
    );
  });
});


const shomei = (args: string[], env: NodeJS.ProcessEnv) => runShomeiCli(env, args);

describe(`shomei audit verify on ${testDbKind()}`, () => {
  test('exit code 0 on an intact chain, 1 with the position when broken', async () => {
    const data = mkdtempSync(join(tmpdir(), 'shomei-audit-cli-'));
    try {
      await withChain(8, async ({ db, url }) => {
        const env = { ...process.env, SHOMEI_DATABASE_URL: url, SHOMEI_LOG_LEVEL: 'warn' };
        const good = await shomei(['audit', 'verify', '--data', data, '--json'], env);
        assert.equal(good.status, 0, good.stderr);
        const v = JSON.parse(good.stdout) as AuditVerification;
        assert.deepEqual([v.ok, v.events, v.lastSeq], [true, 8, 8]);
        const text = await shomei(['audit', 'verify', '--data', data], env);
        assert.equal(text.status, 0, text.stderr);
        assert.match(text.stdout, /^OK: 8 audit events checked/);

        await dropGuards(db);
        await sql`delete from audit_events where seq = 4`.execute(db.kysely);
        const bad = await shomei(['audit', 'verify', '--data', data], env);
        assert.equal(bad.status, 1, bad.stderr);
        assert.match(bad.stdout, /^BROKEN: 7 audit events checked/);
        assert.match(bad.stdout, /seq 4: event 4 is missing/);
      });
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });
});
