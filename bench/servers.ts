// The servers under test, each a child process on loopback: Shomei from
// dist/ (its own CLI, SQLite in a temp data dir, or a throwaway PostgreSQL),
// and Debian's Pebble with a generated config and TLS certificate. Both do
// real http-01 validation against the bench responder, resolving names through
// the bench's loopback DNS server. RSS is read from /proc/<pid>/status.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { EabCredentials } from './acme-client.js';

export const REPO = resolve(import.meta.dirname, '..');

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => (port > 0 ? res(port) : rej(new Error('no free port'))));
    });
  });
}

export interface ProcStatus {
  rssKb: number;
  hwmKb: number;
}

/** `pid` and its direct children (cluster workers), from /proc. */
export function processTree(pid: number): number[] {
  const out = [pid];
  try {
    for (const e of readdirSync('/proc')) {
      if (!/^\d+$/.test(e)) continue;
      try {
        const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (ppid === pid) out.push(Number(e));
      } catch {
        // the process went away meanwhile
      }
    }
  } catch {
    // no /proc
  }
  return out;
}

/** RSS and peak RSS summed over the server's process tree (one process unless `--workers`). */
export function readProcStatus(pid: number): ProcStatus | undefined {
  const all = processTree(pid).map(readOneProcStatus).filter((x): x is ProcStatus => x !== undefined);
  if (all.length === 0) return undefined;
  return { rssKb: all.reduce((a, b) => a + b.rssKb, 0), hwmKb: all.reduce((a, b) => a + b.hwmKb, 0) };
}

function readOneProcStatus(pid: number): ProcStatus | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? 0);
    return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

/** CPU time (user + system, ms) used so far by `pid` and its direct children. */
export function procCpuMs(pid: number): number {
  return processTree(pid).reduce((sum, p) => sum + oneProcCpuMs(p), 0);
}

function oneProcCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the ")" that closes comm: state is field 3, utime 14, stime 15.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

export interface RssSample {
  /** ms since the monitor started */
  t: number;
  rssKb: number;
  /** caller-supplied progress (flows done) at sampling time */
  progress: number;
}

/** Polls VmRSS/VmHWM of `pid` every `intervalMs`. */
export class RssMonitor {
  readonly samples: RssSample[] = [];
  maxRssKb = 0;
  hwmKb = 0;
  progress = 0;
  readonly #timer: NodeJS.Timeout;
  readonly #t0 = Date.now();
  constructor(
    readonly pid: number,
    intervalMs: number,
    readonly keepSamples = false,
  ) {
    this.sample();
    this.#timer = setInterval(() => this.sample(), intervalMs);
    this.#timer.unref();
  }

  sample(): ProcStatus | undefined {
    const st = readProcStatus(this.pid);
    if (st === undefined) return undefined;
    this.maxRssKb = Math.max(this.maxRssKb, st.rssKb);
    this.hwmKb = Math.max(this.hwmKb, st.hwmKb);
    if (this.keepSamples) this.samples.push({ t: Date.now() - this.#t0, rssKb: st.rssKb, progress: this.progress });
    return st;
  }

  stop(): void {
    clearInterval(this.#timer);
    this.sample();
  }
}

export interface ServerHandle {
  name: 'shomei' | 'pebble';
  version: string;
  pid: number;
  directoryUrl: string;
  /** PEM the HTTPS client must trust. */
  ca: string;
  /** Shomei only: mint `n` EAB credentials with the CLI. */
  mintEab?: (n: number) => Promise<EabCredentials[]>;
  /** Log lines at warn level or above (Shomei) / all lines (Pebble), counted and sampled. */
  log: { lines: number; samples: string[] };
  stop(): Promise<void>;
}

function collectLog(child: ChildProcess, log: ServerHandle['log'], filter: (line: string) => boolean, onLine?: (l: string) => void) {
  for (const stream of [child.stdout, child.stderr]) {
    let buf = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      buf += chunk;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        onLine?.(line);
        if (!filter(line)) continue;
        log.lines++;
        if (log.samples.length < 20) log.samples.push(line.slice(0, 2000));
      }
    });
  }
}

function waitForLine(child: ChildProcess, re: RegExp, timeoutMs: number, what: string): Promise<string> {
  return new Promise((res, rej) => {
    let seen = '';
    const timer = setTimeout(() => fail(new Error(`${what} did not start within ${timeoutMs} ms:\n${seen.slice(-3000)}`)), timeoutMs);
    const onData = (chunk: Buffer | string) => {
      seen += chunk.toString();
      const m = re.exec(seen);
      if (m) done(m[0]);
    };
    const onExit = (code: number | null) => fail(new Error(`${what} exited (${code}) before it was ready:\n${seen.slice(-3000)}`));
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
    };
    const done = (s: string) => (cleanup(), res(s));
    const fail = (e: Error) => (cleanup(), rej(e));
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', onExit);
  });
}

/** Polls GET `url` (trusting `ca`) until it answers 200. */
async function waitForDirectory(child: ChildProcess, url: string, ca: string, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${url}: server exited (${child.exitCode}):\n${output().slice(-3000)}`);
    const ok = await new Promise<boolean>((res) => {
      const req = httpsGet(url, { ca, timeout: 1000 }, (r) => {
        r.resume();
        res(r.statusCode === 200);
      });
      req.on('error', () => res(false));
      req.on('timeout', () => req.destroy());
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${url} not answering after ${timeoutMs} ms:\n${output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function stopChild(child: ChildProcess, graceMs = 30_000): Promise<void> {
  return new Promise((res) => {
    if (child.exitCode !== null || child.signalCode !== null) return res();
    const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(t);
      res();
    });
    child.kill('SIGTERM');
  });
}

function runCli(args: string[]): Promise<string> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [join(REPO, 'dist/cli/main.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    child.on('exit', (code) => (code === 0 ? res(out) : rej(new Error(`shomei ${args.join(' ')} failed (${code}): ${err}`))));
  });
}

export function shomeiVersion(): string {
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).stdout.trim();
  const dirty = spawnSync('git', ['status', '--porcelain', '--', 'src'], { cwd: REPO, encoding: 'utf8' }).stdout.trim() !== '';
  return `${pkg.version} (${commit || 'unknown'}${dirty ? ', src modified' : ''})`;
}

export interface ShomeiOptions {
  httpPort: number;
  dnsResolver: string;
  databaseUrl?: string;
  logLevel: string;
  cpuProfDir?: string;
  /** `workers` (node:cluster processes). */
  workers?: number;
  /** `database.sqliteSynchronous`. */
  sqliteSync?: 'full' | 'normal';
}

export async function startShomeiServer(o: ShomeiOptions): Promise<ServerHandle> {
  const main = join(REPO, 'dist/cli/main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build`);
  const base = mkdtempSync(join(tmpdir(), 'shomei-bench-'));
  const dataDir = join(base, 'data');
  const [acmePort, artPort, operatorPort, adminPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const config = {
    log: { level: o.logLevel },
    acme: { host: '127.0.0.1', port: acmePort, baseUrl: `https://127.0.0.1:${acmePort}` },
    artefacts: { host: '127.0.0.1', port: artPort },
    operatorApi: { port: operatorPort },
    adminApi: { port: adminPort },
    // The load generator mints plain admin EAB credentials, as against Pebble: the generic ACME path.
    registry: { allowUnboundAccounts: true },
    database: { url: o.databaseUrl ?? 'sqlite:shomei.db', sqliteSynchronous: o.sqliteSync ?? 'full' },
    workers: o.workers ?? 1,
    va: { httpPort: o.httpPort, dnsResolver: o.dnsResolver, allowPrivateAddresses: true, timeoutMs: 10000 },
  };
  const configFile = join(base, 'config.json');
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  const cli = ['--config', configFile, '--data', dataDir];
  const nodeArgs: string[] = [];
  if (o.cpuProfDir !== undefined) {
    mkdirSync(o.cpuProfDir, { recursive: true });
    nodeArgs.push('--cpu-prof', '--cpu-prof-dir', resolve(o.cpuProfDir));
  }
  // Isolate from the caller's SHOMEI_* variables: only the config file counts.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SHOMEI_')));
  const child = spawn(process.execPath, [...nodeArgs, main, 'start', ...cli], { stdio: ['ignore', 'pipe', 'pipe'], env, cwd: base });
  const log = { lines: 0, samples: [] as string[] };
  collectLog(child, log, (l) => /"level":(4|5|6)\d/.test(l) || (l.trim() !== '' && !l.startsWith('{') && !/^ {2}|Shomei is running/.test(l)));
  try {
    await waitForLine(child, /ACME directory:\s+(\S+)/, 60_000, 'shomei');
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
  const ca = readFileSync(join(dataDir, 'ca', 'root.pem'), 'utf8');
  return {
    name: 'shomei',
    version: shomeiVersion(),
    pid: child.pid as number,
    directoryUrl: `https://127.0.0.1:${acmePort}/acme/directory`,
    ca,
    log,
    mintEab: async (n) => {
      const out: EabCredentials[] = [];
      const queue = Array.from({ length: n }, (_, i) => i);
      await Promise.all(
        Array.from({ length: Math.min(4, n) }, async () => {
          while (queue.shift() !== undefined) {
            const text = await runCli(['eab', 'create', '--json', '--label', 'bench', ...cli]);
            out.push(JSON.parse(text) as EabCredentials);
          }
        }),
      );
      return out;
    },
    stop: async () => {
      await stopChild(child);
      rmSync(base, { recursive: true, force: true });
    },
  };
}

export function pebbleVersion(): string {
  const r = spawnSync('dpkg-query', ['-W', '-f', '${Version}', 'pebble'], { encoding: 'utf8' });
  return r.status === 0 ? `pebble ${r.stdout.trim()} (Debian)` : 'pebble (unknown version)';
}

/** A self-signed P-256 certificate for localhost / 127.0.0.1 (Pebble's listener), made with openssl. */
function selfSignedTls(dir: string): { certPem: string; certFile: string; keyFile: string } {
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  const r = spawnSync(
    'openssl',
    [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', keyFile, '-out', certFile, '-days', '7', '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-addext', 'basicConstraints=critical,CA:FALSE',
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`openssl req failed (is openssl installed?): ${r.stderr || String(r.error)}`);
  return { certPem: readFileSync(certFile, 'utf8'), certFile, keyFile };
}

export interface PebbleOptions {
  httpPort: number;
  dnsResolver: string;
  binary?: string;
}

export async function startPebbleServer(o: PebbleOptions): Promise<ServerHandle> {
  const binary = o.binary ?? '/usr/bin/pebble';
  if (!existsSync(binary)) throw new Error(`${binary} not found: run scripts/install-test-deps.sh as root`);
  const base = mkdtempSync(join(tmpdir(), 'pebble-bench-'));
  const tls = selfSignedTls(base);
  const [port, mgmt, tlsPort] = [await freePort(), await freePort(), await freePort()];
  const config = {
    pebble: {
      listenAddress: `127.0.0.1:${port}`,
      managementListenAddress: `127.0.0.1:${mgmt}`,
      certificate: tls.certFile,
      privateKey: tls.keyFile,
      httpPort: o.httpPort,
      tlsPort,
      ocspResponderURL: '',
      externalAccountBindingRequired: false,
    },
  };
  writeFileSync(join(base, 'pebble-config.json'), JSON.stringify(config, null, 2));
  const env = {
    ...process.env,
    // No artificial 0–15 s validation sleeps, no random badNonce, no authz reuse (each order validates).
    PEBBLE_VA_NOSLEEP: '1',
    PEBBLE_WFE_NONCEREJECT: '0',
    PEBBLE_AUTHZREUSE: '0',
  };
  // Pebble logs every request; send that to a file, not through a pipe the load generator must drain.
  const logFile = join(base, 'pebble.log');
  const fd = openSync(logFile, 'w');
  const child = spawn(binary, ['-config', join(base, 'pebble-config.json'), '-dnsserver', o.dnsResolver], {
    stdio: ['ignore', fd, fd],
    env,
    cwd: base,
  });
  closeSync(fd);
  const log = { lines: 0, samples: [] as string[] };
  const directoryUrl = `https://127.0.0.1:${port}/dir`;
  try {
    await waitForDirectory(child, directoryUrl, tls.certPem, 30_000, () => readFileSync(logFile, 'utf8'));
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
  return {
    name: 'pebble',
    version: pebbleVersion(),
    pid: child.pid as number,
    directoryUrl,
    ca: tls.certPem,
    log,
    stop: async () => {
      await stopChild(child, 10_000);
      // Keep only lines that look like trouble (Pebble has a single log level).
      for (const line of readFileSync(logFile, 'utf8').split('\n')) {
        if (!/\b(error|panic|fatal|invalid|problem)\b/i.test(line)) continue;
        log.lines++;
        if (log.samples.length < 20) log.samples.push(line.slice(0, 2000));
      }
      rmSync(base, { recursive: true, force: true });
    },
  };
}
