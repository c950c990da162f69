#!/usr/bin/env node
// Throwaway PostgreSQL for tests: a private cluster in a temp dir, listening on
// 127.0.0.1 at a free port, tuned for speed over durability, gone after stop().
//
//   import { startThrowawayPostgres } from './pg-harness.mjs';
//   const pg = await startThrowawayPostgres(); // pg.url = postgres://shomei@127.0.0.1:PORT/postgres
//   await pg.stop();
//
// Run by hand: `node scripts/pg-harness.mjs` starts one and prints its URL
// until Ctrl-C; `--once` starts, prints the start time and stops.
//
// PostgreSQL refuses to run as root. As root the cluster belongs to the
// `postgres` system user (from the Debian package; else a `shomei-test` system
// user is created) and initdb/pg_ctl run through `runuser -u`.
//
// Clean-up: stop() on demand; otherwise on process exit and on SIGINT/SIGTERM/
// SIGHUP of this process; and a detached watchdog stops the server if this
// process dies without running its handlers (SIGKILL, OOM).
import { execFile, spawn, spawnSync } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SUPERUSER = 'shomei';
const START_TIMEOUT_S = 60;
const STOP_TIMEOUT_S = 20;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Newest PostgreSQL server bin dir; SHOMEI_PG_BINDIR overrides. */
export function findPostgresBinDir() {
  const override = process.env.SHOMEI_PG_BINDIR;
  if (override) {
    if (!existsSync(join(override, 'postgres'))) throw new Error(`SHOMEI_PG_BINDIR=${override} has no postgres binary`);
    return override;
  }
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((v) => /^\d+(\.\d+)?$/.test(v))
        .filter((v) => ['postgres', 'initdb', 'pg_ctl'].every((b) => existsSync(join(base, v, 'bin', b))))
        .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))
    : [];
  if (versions.length === 0) {
    throw new Error(
      'no PostgreSQL server binaries under /usr/lib/postgresql/*/bin; ' +
        'run `bash scripts/install-test-deps.sh` as root (installs the Debian package postgresql)',
    );
  }
  return join(base, versions[0], 'bin');
}

/** Resolves to a TCP port on 127.0.0.1 that was free a moment ago. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/** The system user that owns the cluster when we are root. */
function clusterOwner() {
  for (const name of ['postgres', 'shomei-test']) {
    const r = spawnSync('id', ['-u', name], { encoding: 'utf8' });
    if (r.status === 0) {
      const g = spawnSync('id', ['-g', name], { encoding: 'utf8' });
      return { name, uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
    }
  }
  const add = spawnSync(
    'useradd',
    ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', 'shomei-test'],
    { encoding: 'utf8' },
  );
  if (add.status !== 0) throw new Error(`useradd shomei-test failed: ${add.stderr || add.error}`);
  return clusterOwner();
}

/** A temp base dir the cluster owner can reach (a root-only TMPDIR would not do). */
function makeBaseDir(owner) {
  const candidates = [tmpdir(), '/tmp'];
  for (const parent of candidates) {
    if (owner && spawnSync('runuser', ['-u', owner.name, '--', 'test', '-x', parent]).status !== 0) continue;
    return mkdtempSync(join(parent, 'shomei-pg-'));
  }
  throw new Error(`no temp dir reachable by user ${owner?.name}: tried ${candidates.join(', ')}`);
}

/** argv for running a PostgreSQL program as the cluster owner. */
function asOwner(owner, program, args) {
  return owner ? ['runuser', ['-u', owner.name, '--', program, ...args]] : [program, args];
}

function run(owner, program, args, cwd) {
  const [cmd, argv] = asOwner(owner, program, args);
  return new Promise((resolve, reject) => {
    execFile(cmd, argv, { cwd, encoding: 'utf8', maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) reject(Object.assign(new Error(`${program} failed: ${stderr || stdout || err.message}`), { cause: err }));
      else resolve(stdout);
    });
  });
}

const live = new Set();

/** Synchronous stop, safe in 'exit' handlers: pg_ctl fast stop, SIGKILL if that fails, remove the dir. */
function stopSync(inst) {
  if (!live.delete(inst)) return;
  if (inst.watchdogPid) {
    try {
      process.kill(inst.watchdogPid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  if (inst.started) {
    const [cmd, argv] = asOwner(inst.owner, inst.pgCtl, ['stop', '-D', inst.dataDir, '-m', 'fast', '-w', '-t', String(STOP_TIMEOUT_S)]);
    const r = spawnSync(cmd, argv, { cwd: inst.baseDir, stdio: 'ignore' });
    if (r.status !== 0) killPostmaster(inst.dataDir);
  }
  rmSync(inst.baseDir, { recursive: true, force: true, maxRetries: 3 });
  if (live.size === 0) removeProcessHooks();
}

/** Last resort: SIGKILL the postmaster named in postmaster.pid, if that pid still is a postgres. */
function killPostmaster(dataDir) {
  try {
    const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    if (pid > 0 && readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres') process.kill(pid, 'SIGKILL');
  } catch {
    /* not running */
  }
}

// Process hooks, installed while at least one server is live.
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let hooked = false;
function stopAllSync() {
  for (const inst of [...live]) stopSync(inst);
}
function onSignal(sig) {
  stopAllSync();
  // Nobody else handles it: behave as the default action would (die by it).
  if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
}
function installProcessHooks() {
  if (hooked) return;
  hooked = true;
  process.on('exit', stopAllSync);
  for (const s of SIGNALS) process.on(s, onSignal);
}
function removeProcessHooks() {
  if (!hooked) return;
  hooked = false;
  process.off('exit', stopAllSync);
  for (const s of SIGNALS) process.off(s, onSignal);
}

// The watchdog: a detached node process polling our pid; if we vanish it
// stops the server and removes the dir. Killed by stopSync.
const WATCHDOG = `
const [ppid, baseDir, dataDir, stopJson] = process.argv.slice(1);
const { spawnSync } = require('node:child_process');
const { existsSync, rmSync, readFileSync } = require('node:fs');
for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, () => {});
setInterval(() => {
  if (!existsSync(baseDir)) process.exit(0);
  try { process.kill(Number(ppid), 0); return; } catch (e) { if (e.code === 'EPERM') return; }
  const [cmd, argv] = JSON.parse(stopJson);
  if (spawnSync(cmd, argv, { stdio: 'ignore' }).status !== 0) {
    try {
      const pid = Number(readFileSync(dataDir + '/postmaster.pid', 'utf8').split('\\n')[0]);
      if (pid > 0 && readFileSync('/proc/' + pid + '/comm', 'utf8').trim() === 'postgres') process.kill(pid, 'SIGKILL');
    } catch {}
  }
  rmSync(baseDir, { recursive: true, force: true });
  process.exit(0);
}, 1000);
`;

function startWatchdog(inst) {
  const stop = asOwner(inst.owner, inst.pgCtl, ['stop', '-D', inst.dataDir, '-m', 'immediate', '-w', '-t', String(STOP_TIMEOUT_S)]);
  const child = spawn(
    process.execPath,
    ['-e', WATCHDOG, String(process.pid), inst.baseDir, inst.dataDir, JSON.stringify(stop)],
    { detached: true, stdio: 'ignore', cwd: inst.baseDir },
  );
  child.unref();
  return child.pid;
}

function quoteConf(s) {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/**
 * Starts a private PostgreSQL cluster. Resolves once it accepts connections.
 * @returns {Promise<{url: string, port: number, dataDir: string, version: string, stop(): Promise<void>}>}
 */
export async function startThrowawayPostgres() {
  const binDir = findPostgresBinDir();
  const owner = isRoot ? clusterOwner() : undefined;
  const baseDir = makeBaseDir(owner);
  const dataDir = join(baseDir, 'data');
  const inst = { owner, baseDir, dataDir, pgCtl: join(binDir, 'pg_ctl'), started: false, watchdogPid: 0 };
  live.add(inst);
  installProcessHooks();
  try {
    if (owner) chownSync(baseDir, owner.uid, owner.gid);
    inst.watchdogPid = startWatchdog(inst) ?? 0;
    await run(owner, join(binDir, 'initdb'), [
      '-D', dataDir, '-U', SUPERUSER, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync',
    ], baseDir);
    const conf = join(dataDir, 'postgresql.conf');
    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      // Later settings win, so appending on a retry overrides the earlier port.
      appendFileSync(
        conf,
        [
          '',
          '# shomei test harness',
          "listen_addresses = '127.0.0.1'",
          `port = ${port}`,
          `unix_socket_directories = ${quoteConf(baseDir)}`,
          'fsync = off',
          'synchronous_commit = off',
          'full_page_writes = off',
          'max_connections = 200',
          "log_min_messages = 'warning'",
          '',
        ].join('\n'),
      );
      try {
        inst.started = true;
        await run(owner, inst.pgCtl, [
          'start', '-D', dataDir, '-l', join(baseDir, 'postgres.log'), '-w', '-t', String(START_TIMEOUT_S),
        ], baseDir);
        break;
      } catch (err) {
        inst.started = false;
        const log = readLog(baseDir);
        killPostmaster(dataDir);
        // Someone took the port between probe and bind: try another.
        if (attempt < 5 && /could not (bind|create listen socket)|already in use/i.test(log)) continue;
        throw new Error(`${err instanceof Error ? err.message : String(err)}\n--- postgres.log ---\n${log}`, { cause: err });
      }
    }
    const v = spawnSync(join(binDir, 'postgres'), ['--version'], { encoding: 'utf8' }).stdout ?? '';
    const version = `PostgreSQL ${/(\d+(?:\.\d+)*)/.exec(v)?.[1] ?? '?'}`;
    return {
      url: `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`,
      port,
      dataDir,
      version,
      stop: async () => stopSync(inst),
    };
  } catch (err) {
    stopSync(inst);
    throw err;
  }
}

function readLog(baseDir) {
  try {
    return readFileSync(join(baseDir, 'postgres.log'), 'utf8').split('\n').slice(-30).join('\n');
  } catch {
    return '(no log)';
  }
}

// Runnable: `node scripts/pg-harness.mjs [--once]`.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const t0 = performance.now();
  const pg = await startThrowawayPostgres();
  const ms = Math.round(performance.now() - t0);
  console.log(`throwaway ${pg.version} started in ${ms} ms (data in ${pg.dataDir})`);
  console.log(`SHOMEI_TEST_PG_URL=${pg.url}`);
  if (process.argv.includes('--once')) {
    await pg.stop();
  } else {
    console.log('Ctrl-C to stop and remove it.');
    // Keep the process alive until a signal; the hooks stop the server.
    const keepAlive = setInterval(() => {}, 1 << 30);
    for (const s of SIGNALS) process.once(s, () => {
      clearInterval(keepAlive);
      void pg.stop();
    });
  }
}
