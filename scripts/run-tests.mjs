#!/usr/bin/env node
// Runs the test suite with Node's own test runner (node:test) over TypeScript
// sources through tsx. Usage: node scripts/run-tests.mjs [dir-or-file ...]
// Default: type-check, then test/unit and test/integration.
//
// Database: SQLite by default (each test makes its own temp file through
// test/support/database.ts). SHOMEI_TEST_DB=postgres runs the same suites on
// one throwaway PostgreSQL started here (scripts/pg-harness.mjs) and passed to
// the test processes as SHOMEI_TEST_PG_URL; each test creates its own
// database in it. A SHOMEI_TEST_PG_URL already set is used as is instead.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startThrowawayPostgres } from './pg-harness.mjs';

const args = process.argv.slice(2);
const roots = args.length > 0 ? args : ['test/unit', 'test/integration'];

function collect(p, out) {
  const st = statSync(p);
  if (st.isDirectory()) {
    for (const e of readdirSync(p).sort()) collect(join(p, e), out);
  } else if (/\.test\.ts$/.test(p)) out.push(p);
  return out;
}

const dbKind = process.env.SHOMEI_TEST_DB || 'sqlite';
if (dbKind !== 'sqlite' && dbKind !== 'postgres') {
  console.error(`SHOMEI_TEST_DB must be "sqlite" or "postgres", not "${dbKind}"`);
  process.exit(2);
}

if (args.length === 0) {
  const tc = spawnSync('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit'], { stdio: 'inherit' });
  if (tc.status !== 0) process.exit(tc.status ?? 1);
}
const files = roots.flatMap((r) => collect(r, []));
if (files.length === 0) {
  console.error('no test files found under', roots.join(', '));
  process.exit(1);
}

// Signals: pass them on to the test run, then clean up and die by the same
// signal's exit code. (pg-harness also stops its server on signals and exit.)
let child;
let caught;
const SIGNAL_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
for (const sig of Object.keys(SIGNAL_CODES)) {
  process.on(sig, () => {
    caught ??= sig;
    if (child && child.exitCode === null) child.kill(sig);
    else process.exit(SIGNAL_CODES[sig]);
  });
}

const env = { ...process.env, SHOMEI_TEST_DB: dbKind };
let pg;
if (dbKind === 'postgres' && process.env.SHOMEI_TEST_PG_URL) {
  console.log(`shomei tests: database = postgres (external SHOMEI_TEST_PG_URL=${process.env.SHOMEI_TEST_PG_URL})`);
} else if (dbKind === 'postgres') {
  const t0 = performance.now();
  try {
    pg = await startThrowawayPostgres();
  } catch (err) {
    console.error(`shomei tests: could not start a throwaway PostgreSQL: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  }
  env.SHOMEI_TEST_PG_URL = pg.url;
  const ms = Math.round(performance.now() - t0);
  console.log(`shomei tests: database = postgres (throwaway ${pg.version} at 127.0.0.1:${pg.port}, started in ${ms} ms)`);
} else {
  console.log('shomei tests: database = sqlite (a temp file per test)');
}

const concurrency = process.env.SHOMEI_TEST_CONCURRENCY ?? '2';
let status;
try {
  status = await new Promise((resolve) => {
    child = spawn(
      process.execPath,
      ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files],
      { stdio: 'inherit', env },
    );
    child.on('error', (err) => {
      console.error(`shomei tests: could not run node --test: ${err.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? (SIGNAL_CODES[signal] ?? 1) : 1)));
  });
} finally {
  await pg?.stop();
}
process.exit(caught ? SIGNAL_CODES[caught] : status);
