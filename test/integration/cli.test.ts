import { after, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eabJws, httpsRequest, newAccountKey, RawAcme } from '../support/raw-acme.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const baseEnv = {
  ...process.env,
  SHOMEI_ACME_PORT: '0',
  SHOMEI_ARTEFACTS_PORT: '0',
  SHOMEI_OPERATOR_API_PORT: '0',
  SHOMEI_ADMIN_API_PORT: '0',
  // These suites bind accounts with plain admin EAB credentials.
  SHOMEI_REGISTRY_ALLOW_UNBOUND_ACCOUNTS: 'true',
  SHOMEI_LOG_LEVEL: 'warn',
};

function shomei(args: string[], env: NodeJS.ProcessEnv = baseEnv) {
  return spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { env, encoding: 'utf8', timeout: 60_000 });
}

/** The `shomei` command as a user runs it: help, validation, start/stop, EAB minting. */
describe('shomei command line', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), 'shomei-cli-'));
    dirs.push(d);
    return d;
  };
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  test('--help documents every verb, and each verb its options', () => {
    const top = shomei(['--help']);
    assert.equal(top.status, 0);
    for (const verb of ['start', 'eab']) assert.match(top.stdout, new RegExp(`\\b${verb}\\b`));
    assert.match(shomei(['--version']).stdout.trim(), /^\d+\.\d+\.\d+$/);
    const create = shomei(['eab', 'create', '--help']);
    assert.match(create.stdout, /--json/);
    assert.match(create.stdout, /--data/);
    assert.match(shomei(['start', '--help']).stdout, /--config/);
  });

  test('an invalid configuration stops start-up naming the field', () => {
    const r = shomei(['start', '--data', tmp()], { ...baseEnv, SHOMEI_VA_DNS_RESOLVER: 'nope' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /va\.dnsResolver/);
  });

  test('start prints the directory and root path, serves ACME, mints EAB against the same data, stops on SIGTERM', async () => {
    const data = tmp();
    const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['--import', 'tsx', MAIN, 'start', '--data', data], { env: baseEnv });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 30_000;
      while (!/Designate an operator/.test(stderr) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const directory = /ACME directory:\s+(\S+)/.exec(stderr)?.[1];
      const rootPath = /Root certificate:\s+(\S+)/.exec(stderr)?.[1];
      assert.ok(directory && rootPath, stderr);
      assert.equal(rootPath, join(data, 'ca', 'root.pem'));
      const dir = await httpsRequest(directory, { ca: readFileSync(rootPath, 'utf8') });
      assert.equal(dir.status, 200);
      assert.equal((dir.json()['meta'] as Record<string, unknown>)['externalAccountRequired'], true);

      const made = shomei(['eab', 'create', '--json', '--data', data]);
      assert.equal(made.status, 0, made.stderr);
      const creds = JSON.parse(made.stdout) as { kid: string; hmacKey: string };
      assert.deepEqual(Object.keys(creds).sort(), ['hmacKey', 'kid']);
      assert.equal(Buffer.from(creds.hmacKey, 'base64url').length, 32);
      assert.equal(made.stdout.trim().split('\n').length, 1, 'nothing but the JSON on stdout');

      const list = shomei(['eab', 'list', '--json', '--data', data]);
      assert.ok(list.stdout.includes(creds.kid));
      assert.ok(!list.stdout.includes(creds.hmacKey), 'the HMAC key is never listed');

      // Secrets at rest: sealed in the database, key files private.
      for (const f of readdirSync(data).filter((n) => n.startsWith('shomei.db'))) {
        const bytes = readFileSync(join(data, f));
        assert.ok(!bytes.includes(creds.hmacKey) && !bytes.includes(Buffer.from(creds.hmacKey, 'base64url')), `${f} holds the HMAC key in clear`);
      }
      assert.equal(statSync(join(data, 'secrets', 'master.key')).mode & 0o777, 0o600);
      for (const f of readdirSync(join(data, 'ca')).filter((n) => n.includes('key'))) {
        assert.equal(statSync(join(data, 'ca', f)).mode & 0o077, 0, `${f} is readable by others`);
      }
      assert.ok(!stderr.includes(creds.hmacKey));
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0, stderr);
  });

  test('with workers = 2 the processes share ports and database: nonces and accounts work across them', async () => {
    const data = tmp();
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'start', '--data', data], { env: { ...baseEnv, SHOMEI_WORKERS: '2' } });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 30_000;
      while (!/Designate an operator/.test(stderr) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      assert.match(stderr, /2 worker processes/);
      const directory = /ACME directory:\s+(\S+)/.exec(stderr)?.[1] as string;
      const acme = await new RawAcme(directory, readFileSync(join(data, 'ca', 'root.pem'), 'utf8')).init();
      const creds = JSON.parse(shomei(['eab', 'create', '--json', '--data', data]).stdout) as { kid: string; hmacKey: string };
      const k = await newAccountKey();
      const url = acme.directory['newAccount'] as string;
      const made = await acme.signed(url, k, { termsOfServiceAgreed: true, externalAccountBinding: eabJws(k.jwk, creds.kid, creds.hmacKey, url) }, { jwk: k.jwk });
      assert.equal(made.status, 201, made.body);
      const kid = made.headers['location'] as string;
      // Round-robin spreads these over both workers; each nonce comes from whichever answered last.
      for (let i = 0; i < 8; i++) {
        const r = await acme.signed(acme.directory['newOrder'] as string, k, { identifiers: [{ type: 'dns', value: `w${i}.example.com` }] }, { kid });
        assert.equal(r.status, 201, r.body);
      }
      // Concurrent writers in two processes on one SQLite file: every order is created, none fails.
      const burst = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          acme.signed(acme.directory['newOrder'] as string, k, { identifiers: [{ type: 'dns', value: `c${i}.example.com` }, { type: 'dns', value: `d${i}.example.com` }] }, { kid }),
        ),
      );
      assert.deepEqual(burst.map((r) => r.status).filter((st) => st !== 201), [], burst.find((r) => r.status !== 201)?.body);
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0, stderr);
    const left = spawnSync('pgrep', ['-f', data]);
    assert.equal(left.stdout.toString().trim(), '', 'no worker left running');
  });
});
