// The built-in RFC 6962 logs audited by an independent monitor: SSLMate's
// certspotter (Debian package, 0.16). Real (pre)certificates from the dev CA
// are submitted to both logs over HTTP; certspotter then reads the logs
// through the log list served at /ct/log-list.json, from index 0. For every
// STH it verifies the signature with the log key from the list and rebuilds
// the Merkle tree from get-entries to compare with the STH root; it parses
// every entry (leaf_input + extra_data) and reports the certificates whose
// names are on its watch list. The test asserts that every name was reported
// from both logs, that both logs' STHs were verified up to their full size,
// and that nothing was malformed or failed verification.
//
// certspotter polls each log once at start and then every 5 minutes, so all
// submissions happen before it starts. It runs until killed: it is stopped
// (SIGTERM, by its own process id) once everything was reported, or after a
// generous deadline.
import { after, before, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCtLogFixture, type CtLogFixture } from '../support/ct-log-fixture.js';

const DEADLINE_MS = 120_000;
const certspotterPath = ['/usr/bin/certspotter', '/usr/local/bin/certspotter'].find((p) => existsSync(p));

let fx: CtLogFixture;
let work: string;

before(async () => {
  // Real time: certspotter refuses STHs timestamped in its future.
  fx = await startCtLogFixture();
  work = mkdtempSync(join(tmpdir(), 'shomei-certspotter-'));
});
after(async () => {
  await fx.close();
  rmSync(work, { recursive: true, force: true });
});

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');

async function submit(logUrl: string, kind: 'add-chain' | 'add-pre-chain', chain: Uint8Array[]): Promise<void> {
  const res = await fetch(`${logUrl}ct/v1/${kind}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ chain: chain.map(b64) }),
  });
  assert.equal(res.status, 200, `${logUrl} ${kind}: ${await res.text()}`);
}

interface Run {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  stoppedEarly: boolean;
}

/** Run certspotter until `done(stdout)` holds (then SIGTERM it) or the deadline passes. */
function runCertspotter(args: string[], env: NodeJS.ProcessEnv, done: (stdout: string) => boolean): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(certspotterPath!, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let stoppedEarly = false;
    const stop = () => {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
    };
    const timer = setTimeout(stop, DEADLINE_MS);
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
      if (!stoppedEarly && done(stdout)) {
        stoppedEarly = true;
        // Let it finish writing the entry's files and state before stopping it.
        setTimeout(stop, 1000);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code, signal, stoppedEarly });
    });
  });
}

test('certspotter 0.16 verifies both built-in logs and reports every logged name', { skip: certspotterPath === undefined && 'certspotter is not installed (scripts/install-test-deps.sh)' }, async () => {
  const version = spawnSync(certspotterPath!, ['-version'], { encoding: 'utf8' });
  const tag = randomBytes(4).toString('hex');
  const precertNames = [`pre1-${tag}.ct-interop.test`, `pre2-${tag}.ct-interop.test`];
  const certNames = [`cert1-${tag}.ct-interop.test`, `cert2-${tag}.ct-interop.test`];
  const descriptors = fx.logs.descriptors(fx.baseUrl);
  assert.equal(descriptors.length, 2);

  // Unrelated entries first, so the watched ones sit inside a tree of some size.
  for (let i = 0; i < 5; i++) {
    const c = await fx.issue([`noise${i}-${tag}.unwatched.test`], { precert: i % 2 === 0 });
    for (const d of descriptors) await submit(d.url, i % 2 === 0 ? 'add-pre-chain' : 'add-chain', c.chain);
  }
  for (const n of precertNames) {
    const p = await fx.issue([n], { precert: true });
    for (const d of descriptors) await submit(d.url, 'add-pre-chain', p.chain);
  }
  for (const n of certNames) {
    const c = await fx.issue([n, `www.${n}`]);
    for (const d of descriptors) await submit(d.url, 'add-chain', c.chain.slice(0, 2));
  }
  const sizes = await Promise.all(
    descriptors.map(async (d) => ((await (await fetch(`${d.url}ct/v1/get-sth`)).json()) as { tree_size: number }).tree_size),
  );
  assert.deepEqual(sizes, [9, 9]);

  // The log list as served by the artefacts listener.
  const listRes = await fetch(`${fx.baseUrl}/ct/log-list.json`);
  assert.equal(listRes.status, 200);
  const logList = join(work, 'log-list.json');
  writeFileSync(logList, await listRes.text());
  const watchlist = join(work, 'watchlist');
  writeFileSync(watchlist, [...precertNames, ...certNames].join('\n') + '\n');
  const stateDir = join(work, 'state');
  const configDir = join(work, 'config');

  const names = [...precertNames, ...certNames];
  // Each name is reported once per log.
  const reportedEverywhere = (out: string) => names.every((n) => out.split(n).length - 1 >= descriptors.length);
  const run = await runCertspotter(
    ['-logs', logList, '-watchlist', watchlist, '-state_dir', stateDir, '-stdout', '-verbose', '-no_save'],
    // No e-mail, no hooks from the machine's own configuration.
    { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: work, CERTSPOTTER_CONFIG_DIR: configDir, CERTSPOTTER_STATE_DIR: stateDir },
    reportedEverywhere,
  );
  const transcript = `certspotter ${version.stdout.trim()}\n--- stdout ---\n${run.stdout}\n--- stderr ---\n${run.stderr}`;

  assert.ok(run.stoppedEarly, `certspotter did not report every name within ${DEADLINE_MS} ms\n${transcript}`);
  for (const n of names) {
    assert.ok(run.stdout.split(n).length - 1 >= descriptors.length, `${n} not reported by both logs\n${transcript}`);
  }
  assert.doesNotMatch(run.stdout, /unwatched\.test/, 'only watched names are reported');
  // No verification, parsing or fetching problem of any kind. (The only "error" it may print is
  // its own shutdown after our SIGTERM: "task for log … stopped with error context canceled".)
  const problems = run.stderr.split('\n').filter((l) => /error|does not match|invalid|malformed|failed/i.test(l) && !/stopped with error context canceled$/.test(l));
  assert.deepEqual(problems, [], transcript);
  assert.match(run.stderr, /downloading entries from .*shomei-dev-a\/ in range \[0, 9\)/, 'read from index 0');
  assert.doesNotMatch(run.stdout, /error|does not match|invalid|malformed|failed/i, transcript);

  // Its state: for each log, the STH it verified covers the whole tree, and no entry was malformed.
  const logsDir = join(stateDir, 'logs');
  const logDirs = readdirSync(logsDir);
  assert.equal(logDirs.length, 2, transcript);
  for (const d of logDirs) {
    const state = JSON.parse(readFileSync(join(logsDir, d, 'state.json'), 'utf8')) as { verified_sth?: { tree_size?: number } };
    assert.equal(state.verified_sth?.tree_size, 9, `${d}: ${JSON.stringify(state)}\n${transcript}`);
    const malformed = join(logsDir, d, 'malformed_entries');
    assert.deepEqual(existsSync(malformed) ? readdirSync(malformed) : [], [], `${d}: malformed entries`);
    const unverified = join(logsDir, d, 'unverified_sths');
    assert.deepEqual(existsSync(unverified) ? readdirSync(unverified) : [], [], `${d}: STHs left unverified`);
  }
});
