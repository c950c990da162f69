import { after, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CrlRunReport } from '../../src/crl/generator.js';
import { openDatabase, StorageAuthority } from '../../src/sa/index.js';
import { freshDatabaseUrl, testDbKind, type FreshDatabase } from '../support/database.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

function shomei(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

/** `shomei crl generate [--force]` against a data directory and database, as CA staff run it. */
describe(`shomei crl generate on ${testDbKind()}`, () => {
  const data = mkdtempSync(join(tmpdir(), 'shomei-crl-cli-'));
  let db: FreshDatabase | undefined;
  after(async () => {
    await db?.cleanup();
    rmSync(data, { recursive: true, force: true });
  });

  test('publishes missing shards, then only what changed, everything with --force; audited with the staff actor', async () => {
    db = await freshDatabaseUrl();
    const env = { ...process.env, SHOMEI_DATABASE_URL: db.url, SHOMEI_ARTEFACTS_BASE_URL: 'http://crl.test', SHOMEI_LOG_LEVEL: 'warn' };
    const first = await shomei(['crl', 'generate', '--data', data, '--json'], env);
    assert.equal(first.status, 0, first.stderr);
    const r1 = JSON.parse(first.stdout) as CrlRunReport;
    assert.match(r1.issuerKeyId, /^[0-9a-f]{40}$/);
    assert.deepEqual(r1.published.map((p) => [p.shard, p.cause, p.url]), [0, 1, 2, 3].map((s) => [s, 'missing', `http://crl.test/crl/${r1.issuerKeyId.slice(0, 16)}/${s}.crl`]));

    const second = await shomei(['crl', 'generate', '--data', data], env);
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stdout, new RegExp(`^issuer ${r1.issuerKeyId}: 0 published, 4 already current, 0 failed\\n$`));

    const forced = await shomei(['crl', 'generate', '--data', data, '--force', '--actor', 'alice'], env);
    assert.equal(forced.status, 0, forced.stderr);
    assert.match(forced.stdout, /4 published, 0 already current/);
    for (const p of r1.published) assert.match(forced.stdout, new RegExp(`\\n  ${p.shard}\\s+\\d+\\s+0\\s+\\S+\\s+\\S+\\s+forced\\s+${p.url.replace(/[.]/g, '\\.')}`));

    const sa = new StorageAuthority(openDatabase(db.url));
    try {
      const audit = (await sa.repos.listAudit('crl_shard')).filter((e) => e.action === 'crl.published');
      assert.equal(audit.length, 8);
      // The first two runs: the default actor ($USER or "cli"); the forced one: --actor alice.
      for (const e of audit.slice(0, 4)) assert.match(e.actor, /^admin:.+/);
      assert.deepEqual(audit.slice(4).map((e) => e.actor), Array(4).fill('admin:alice'));
      for (let shard = 0; shard < 4; shard++) {
        const numbers = audit.filter((e) => (JSON.parse(e.details) as { shard: number }).shard === shard).map((e) => BigInt((JSON.parse(e.details) as { crlNumber: string }).crlNumber));
        assert.equal(numbers.length, 2);
        assert.ok(numbers[1]! > numbers[0]!);
      }
    } finally {
      await sa.close();
    }
  });

  test('refuses to guess the CRL URL when the artefacts port is chosen at start-up', async () => {
    const r = await shomei(['crl', 'generate', '--data', data], { ...process.env, SHOMEI_ARTEFACTS_PORT: '0', SHOMEI_LOG_LEVEL: 'warn' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /set artefacts\.baseUrl/);
  });
});
