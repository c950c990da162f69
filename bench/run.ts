// `npm run bench`: complete ACME issuance flows (newOrder → http-01 →
// finalize → download) at several concurrency levels against a locally
// started Shomei and Debian's Pebble, with the same client on the same
// machine, so the result is a ratio. One JSON document on stdout; progress on
// stderr. See docs/performance.md.
//
//   npm run bench -- [--flows N] [--levels 1,8,32] [--only shomei|pebble]
//                    [--soak N] [--cpu-prof DIR] [--db sqlite|postgres]
//                    [--warmup N] [--no-build] [--out FILE]
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startTestDnsServer } from '../test/support/dns-server.js';
import { AcmeSession, DEFAULT_POLL, FlowError, HttpClient, issuanceFlow, type Directory, type FlowContext } from './acme-client.js';
import { CsrFactory } from './csr.js';
import { startHttp01Responder } from './http01.js';
import { procCpuMs, REPO, RssMonitor, startPebbleServer, startShomeiServer, type ServerHandle } from './servers.js';

const USAGE = `usage: npm run bench -- [options]
  --flows N          flows per concurrency level (default 1000)
  --levels L         comma-separated concurrency levels (default 1,8,32)
  --only S           shomei | pebble (default: both, Shomei first)
  --soak N           instead of the levels: one run of N flows at concurrency 32,
                     sampling server RSS every 2 s (e.g. --soak 20000)
  --cpu-prof DIR     start Shomei under node --cpu-prof --cpu-prof-dir DIR
                     (summarise with: node --import tsx bench/profile-summary.ts DIR)
  --workers N        Shomei worker processes (config \`workers\`; default 1)
  --sqlite-sync M    full (default, power-loss durable) | normal (crash-safe only)
  --db D             sqlite (default, in the temp data dir) | postgres (throwaway
                     cluster from scripts/pg-harness.mjs)
  --warmup N         unmeasured flows at concurrency 8 before measuring (default 100)
  --poll-ms A,B      first and maximum poll delay in ms (default 10,250)
  --timeout-ms T     give up on one flow after T ms (default 60000)
  --stall-s S        abandon a level when no flow finished for S seconds, restart
                     the server and try the level again (default 15; 0 = never)
  --attempts N       tries per level when it stalls (default 3)
  --log-level L      Shomei log level (default warn)
  --pebble PATH      Pebble binary (default /usr/bin/pebble)
  --no-build         do not run tsc before starting Shomei (uses dist/ as is)
  --out FILE         also write the JSON document to FILE`;

const { values: args } = parseArgs({
  options: {
    flows: { type: 'string', default: '1000' },
    levels: { type: 'string', default: '1,8,32' },
    only: { type: 'string' },
    soak: { type: 'string' },
    'cpu-prof': { type: 'string' },
    db: { type: 'string', default: 'sqlite' },
    workers: { type: 'string', default: '1' },
    'sqlite-sync': { type: 'string', default: 'full' },
    warmup: { type: 'string', default: '100' },
    'poll-ms': { type: 'string', default: `${DEFAULT_POLL.firstMs},${DEFAULT_POLL.maxMs}` },
    'timeout-ms': { type: 'string', default: '60000' },
    'log-level': { type: 'string', default: 'warn' },
    pebble: { type: 'string', default: '/usr/bin/pebble' },
    'stall-s': { type: 'string', default: '15' },
    attempts: { type: 'string', default: '3' },
    'no-build': { type: 'boolean', default: false },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});

function die(msg: string): never {
  process.stderr.write(`bench: ${msg}\n${USAGE}\n`);
  process.exit(2);
}

if (args.help) {
  process.stdout.write(USAGE + '\n');
  process.exit(0);
}
const posInt = (name: string, v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) die(`--${name} must be a non-negative integer`);
  return n;
};
const flowsPerLevel = posInt('flows', args.flows);
const levels = args.levels.split(',').map((v) => posInt('levels', v.trim())).filter((n) => n > 0);
const soakFlows = args.soak === undefined ? undefined : posInt('soak', args.soak);
const SOAK_CONCURRENCY = 32;
const warmupFlows = posInt('warmup', args.warmup);
const [pollFirst, pollMax] = args['poll-ms'].split(',').map((v) => posInt('poll-ms', v.trim()));
const timeoutMs = posInt('timeout-ms', args['timeout-ms']);
const stallMs = posInt('stall-s', args['stall-s']) * 1000;
const maxAttempts = Math.max(1, posInt('attempts', args.attempts));
if (args.only !== undefined && args.only !== 'shomei' && args.only !== 'pebble') die('--only must be shomei or pebble');
if (args.db !== 'sqlite' && args.db !== 'postgres') die('--db must be sqlite or postgres');
if (!/^[1-9]\d?$/.test(String(args.workers))) die('--workers must be 1..99');
if (args['sqlite-sync'] !== 'full' && args['sqlite-sync'] !== 'normal') die('--sqlite-sync must be full or normal');
const targets = args.only === undefined ? (['shomei', 'pebble'] as const) : ([args.only] as const);

const log = (msg: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

// ---------------------------------------------------------------------------

interface ErrorSample {
  count: number;
  example: unknown;
}

interface LevelResult {
  concurrency: number;
  flows: number;
  seconds: number;
  flowsPerSec: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  /** CPU time per successful flow: the server process, and the load generator (client + DNS + http-01 responder). */
  serverCpuMsPerFlow: number;
  clientCpuMsPerFlow: number;
  /** Average cores busy during the level. */
  serverCores: number;
  clientCores: number;
  errorSamples?: Record<string, ErrorSample>;
  /** Set when no flow finished for --stall-s seconds and the level was abandoned. */
  stalled?: { afterSeconds: number; flowsDone: number; inFlight: number };
}

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

interface Worker {
  session: AcmeSession;
  seq: number;
}

async function runLevel(
  label: string,
  sess: ServerSession,
  concurrency: number,
  total: number,
  ctx: FlowContext,
  onProgress?: (done: number) => void,
): Promise<LevelResult> {
  const latencies: number[] = [];
  const errors = new Map<string, ErrorSample>();
  let errorCount = 0;
  let next = 0;
  let done = 0;
  const serverPid = sess.server.pid;
  const cpu0 = { server: procCpuMs(serverPid), client: process.cpuUsage() };
  const t0 = performance.now();
  let lastDone = t0;
  let lastOk = t0;
  let cpuAtOk = cpu0;
  let stalled: LevelResult['stalled'];
  let ticks = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    const s = (now - t0) / 1000;
    if (++ticks % 5 === 0) log(`${label}: ${done}/${total} flows, ${round(latencies.length / s)}/s, ${errorCount} errors`);
    if (stallMs > 0 && stalled === undefined && now - lastDone > stallMs) {
      stalled = { afterSeconds: round(s), flowsDone: done, inFlight: next - done };
      log(`${label}: STALLED — no flow finished for ${stallMs / 1000} s with ${next - done} in flight; abandoning the level`);
      sess.http.abort();
    }
  }, 1000);
  await Promise.all(
    sess.workers.slice(0, concurrency).map(async (w, wi) => {
      while (next < total && stalled === undefined) {
        next++;
        const name = `b${wi}-${w.seq++}.bench.example.com`;
        const t = performance.now();
        try {
          await issuanceFlow(w.session, name, ctx);
          lastOk = performance.now();
          latencies.push(lastOk - t);
          if (stallMs > 0) cpuAtOk = { server: procCpuMs(serverPid), client: process.cpuUsage() };
        } catch (e) {
          errorCount++;
          const key = e instanceof FlowError ? e.key : `network ${(e as Error).message.replace(/https:\/\/\S+/g, 'URL').replace(/\d+/g, 'N')}`;
          const entry = errors.get(key);
          if (entry) entry.count++;
          else {
            errors.set(key, { count: 1, example: e instanceof FlowError ? { step: e.step, status: e.status, problem: e.problem } : String(e) });
            log(`${label}: error ${key}: ${(e as Error).message.slice(0, 1000)}`);
          }
        }
        done++;
        lastDone = performance.now();
        onProgress?.(done);
      }
    }),
  );
  clearInterval(ticker);
  // A stalled level is measured up to its last finished flow (the stall itself is reported apart).
  const seconds = ((stalled === undefined ? performance.now() : lastOk) - t0) / 1000;
  // CPU up to the end of the level, or (stalled) up to the last finished flow.
  const cpu1 = stalled === undefined ? { server: procCpuMs(serverPid), client: process.cpuUsage() } : cpuAtOk;
  const serverCpu = cpu1.server - cpu0.server;
  const c = { user: cpu1.client.user - cpu0.client.user, system: cpu1.client.system - cpu0.client.system };
  const clientCpu = (c.user + c.system) / 1000;
  const okFlows = Math.max(1, latencies.length);
  latencies.sort((a, b) => a - b);
  const r: LevelResult = {
    concurrency,
    flows: latencies.length,
    seconds: round(seconds, 2),
    flowsPerSec: seconds > 0 ? round(latencies.length / seconds) : 0,
    p50Ms: round(percentile(latencies, 50)),
    p90Ms: round(percentile(latencies, 90)),
    p99Ms: round(percentile(latencies, 99)),
    maxMs: round(latencies[latencies.length - 1] ?? 0),
    errors: errorCount,
    serverCpuMsPerFlow: round(serverCpu / okFlows, 2),
    clientCpuMsPerFlow: round(clientCpu / okFlows, 2),
    serverCores: seconds > 0 ? round(serverCpu / 1000 / seconds, 2) : 0,
    clientCores: seconds > 0 ? round(clientCpu / 1000 / seconds, 2) : 0,
  };
  if (errors.size > 0) r.errorSamples = Object.fromEntries(errors);
  if (stalled !== undefined) r.stalled = stalled;
  log(`${label}: ${r.flows} flows in ${r.seconds} s = ${r.flowsPerSec}/s; p50 ${r.p50Ms} ms, p90 ${r.p90Ms} ms, p99 ${r.p99Ms} ms; ${r.errors} errors; CPU/flow server ${r.serverCpuMsPerFlow} ms, client ${r.clientCpuMsPerFlow} ms`);
  return r;
}

async function getDirectory(http: HttpClient, url: string): Promise<Directory> {
  const r = await http.send('GET', url);
  if (r.status !== 200) throw new Error(`directory ${url}: HTTP ${r.status}`);
  return JSON.parse(r.body.toString('utf8')) as Directory;
}

/**
 * One ACME account per worker. Shomei needs EAB: one credential is minted with
 * the CLI and reused (a reseller's kid may bind many accounts); should the
 * server refuse a reused kid, a fresh credential is minted for that account.
 */
async function makeWorkers(server: ServerHandle, http: HttpClient, dir: Directory, n: number): Promise<Worker[]> {
  const mint = server.mintEab;
  let eab = mint ? (await mint(1))[0] : undefined;
  const workers: Worker[] = [];
  for (let i = 0; i < n; i++) {
    const session = new AcmeSession(http, dir);
    try {
      await session.newAccount(eab);
    } catch (e) {
      if (!(mint && e instanceof FlowError && (e.problem as { type?: string } | undefined)?.type === 'urn:ietf:params:acme:error:unauthorized')) throw e;
      eab = (await mint(1))[0];
      await session.newAccount(eab);
    }
    workers.push({ session, seq: 0 });
  }
  return workers;
}

const mb = (kb: number) => round(kb / 1024);

/** A started server with its client, accounts and RSS monitor. */
interface ServerSession {
  server: ServerHandle;
  http: HttpClient;
  workers: Worker[];
  monitor: RssMonitor;
  startRssMb: number;
}

async function openSession(start: () => Promise<ServerHandle>, nWorkers: number, ctx: FlowContext): Promise<ServerSession> {
  const server = await start();
  running.add(server);
  log(`${server.name} ${server.version} started (pid ${server.pid}) at ${server.directoryUrl}`);
  const monitor = new RssMonitor(server.pid, 250);
  const http = new HttpClient(server.ca);
  try {
    const dir = await getDirectory(http, server.directoryUrl);
    log(`${server.name}: creating ${nWorkers} accounts`);
    const workers = await makeWorkers(server, http, dir, nWorkers);
    const sess: ServerSession = { server, http, workers, monitor, startRssMb: mb(monitor.sample()?.rssKb ?? 0) };
    if (warmupFlows > 0) {
      const c = Math.min(8, nWorkers);
      const w = await runLevel(`${server.name} warm-up c${c}`, sess, c, warmupFlows, ctx);
      if (w.stalled) throw new Error(`${server.name} stalled during warm-up`);
    }
    return sess;
  } catch (e) {
    await closeSession({ server, http, monitor });
    throw e;
  }
}

async function closeSession(s: Pick<ServerSession, 'server' | 'http' | 'monitor'>): Promise<void> {
  s.monitor.stop();
  s.http.close();
  log(`${s.server.name}: stopping`);
  await s.server.stop();
  running.delete(s.server);
}

interface Counters {
  requests: number;
  polls: number;
  badNonceRetries: number;
  nonceFetches: number;
}

function addCounters(into: Counters, workers: Worker[]): void {
  for (const w of workers) {
    into.requests += w.session.stats.requests;
    into.polls += w.session.stats.polls;
    into.badNonceRetries += w.session.stats.badNonceRetries;
    into.nonceFetches += w.session.stats.nonceFetches;
  }
}

/**
 * Runs the levels (or the soak) against one server. A level that stalls (no
 * flow finishing for --stall-s) is recorded, the server is restarted, and the
 * level is tried again, up to --attempts times.
 */
async function benchServer(name: string, start: () => Promise<ServerHandle>, ctx: FlowContext): Promise<Record<string, unknown>> {
  const nWorkers = Math.max(soakFlows !== undefined ? SOAK_CONCURRENCY : 0, ...(soakFlows === undefined ? levels : []), 1);
  const out: Record<string, unknown> = {};
  const counters: Counters = { requests: 0, polls: 0, badNonceRetries: 0, nonceFetches: 0 };
  const stalls: unknown[] = [];
  let peakKb = 0;
  let sess: ServerSession | undefined;
  // Server log lines worth a look (Shomei: warn and above; Pebble: lines that look like errors), over all restarts.
  const serverLog = { lines: 0, samples: [] as string[] };
  const mergeLog = (l: ServerHandle['log']) => {
    serverLog.lines += l.lines;
    serverLog.samples.push(...l.samples.slice(0, Math.max(0, 20 - serverLog.samples.length)));
  };
  const restart = async () => {
    if (sess !== undefined) {
      peakKb = Math.max(peakKb, sess.monitor.hwmKb);
      addCounters(counters, sess.workers);
      await closeSession(sess);
      mergeLog(sess.server.log);
      sess = undefined;
    }
    sess = await openSession(start, nWorkers, ctx);
    out['version'] ??= sess.server.version;
    out['startRssMb'] ??= sess.startRssMb;
    return sess;
  };
  try {
    const plan: { key: string; c: number; n: number }[] =
      soakFlows === undefined ? levels.map((c) => ({ key: `c${c}`, c, n: flowsPerLevel })) : [{ key: 'soak', c: SOAK_CONCURRENCY, n: soakFlows }];
    for (const step of plan) {
      let best: LevelResult | undefined;
      for (let attempt = 1; ; attempt++) {
        const s = sess ?? (await restart());
        let res: LevelResult;
        let soakMon: RssMonitor | undefined;
        let before = 0;
        if (step.key === 'soak') {
          soakMon = new RssMonitor(s.server.pid, 2000, true);
          before = mb(soakMon.sample()?.rssKb ?? 0);
          const mon = soakMon;
          res = await runLevel(`${name} soak c${step.c}`, s, step.c, step.n, ctx, (d) => {
            mon.progress = d;
          });
          soakMon.stop();
        } else {
          res = await runLevel(`${name} c${step.c}`, s, step.c, step.n, ctx);
        }
        if (res.stalled !== undefined) {
          stalls.push({ level: step.key, attempt, ...res.stalled, flowsPerSecBeforeStall: res.flowsPerSec, errorSamples: res.errorSamples });
          await restart();
          // Keep the attempt that got furthest; report it (flagged) if every attempt stalls.
          if (best === undefined || res.flows > best.flows) best = res;
          if (attempt < maxAttempts) continue;
          res = best;
        }
        best = undefined;
        const entry: Record<string, unknown> = { ...res };
        if (attempt > 1) entry['attempts'] = attempt;
        if (soakMon !== undefined) {
          const mon = soakMon;
          const at = (frac: number) => {
            const sample = mon.samples.find((x) => x.progress >= frac * step.n) ?? mon.samples[mon.samples.length - 1];
            return sample === undefined ? 0 : mb(sample.rssKb);
          };
          entry['rssMb'] = { before, at10pct: at(0.1), at50pct: at(0.5), at90pct: at(0.9), at100pct: at(1), max: mb(mon.maxRssKb) };
          // [flows done, RSS MB] every 2 s
          entry['rssSamples'] = mon.samples.map((x) => [x.progress, mb(x.rssKb)]);
        }
        out[step.key] = entry;
        break;
      }
    }
  } finally {
    if (sess !== undefined) {
      peakKb = Math.max(peakKb, sess.monitor.hwmKb);
      out['endRssMb'] = mb(sess.monitor.sample()?.rssKb ?? 0);
      addCounters(counters, sess.workers);
      await closeSession(sess);
      mergeLog(sess.server.log);
    }
  }
  out['serverLog'] = serverLog;
  out['peakRssMb'] = mb(peakKb);
  out['client'] = counters;
  if (stalls.length > 0) out['stalls'] = stalls;
  return out;
}

function machine(): Record<string, unknown> {
  let osName = 'unknown';
  try {
    osName = /^PRETTY_NAME="?([^"\n]*)/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? osName;
  } catch {
    /* not Linux */
  }
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    memGb: round(totalmem() / 2 ** 30),
    os: osName,
    kernel: release(),
  };
}

function build(): void {
  log('building Shomei (tsc -p tsconfig.build.json)');
  const r = spawnSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: REPO,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) die('build failed (use --no-build to run dist/ as it is)');
}

// ---------------------------------------------------------------------------

const running = new Set<ServerHandle>();
let pgStop: (() => Promise<void>) | undefined;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    log(`${sig}: stopping servers`);
    void Promise.all([...running].map((s) => s.stop()))
      .then(() => pgStop?.())
      .finally(() => process.exit(130));
  });
}

async function main(): Promise<void> {
  if (targets.includes('shomei' as never) && !args['no-build']) build();
  const dns = await startTestDnsServer({ zones: ['example.com'], defaultAAAA: null });
  const dnsTrim = setInterval(() => (dns.queries.length = 0), 5000);
  const responder = await startHttp01Responder();
  const ctx: FlowContext = {
    responder,
    csrs: new CsrFactory(512),
    poll: { firstMs: pollFirst ?? DEFAULT_POLL.firstMs, maxMs: pollMax ?? DEFAULT_POLL.maxMs },
    timeoutMs,
  };
  const result: Record<string, unknown> = {
    machine: machine(),
    node: process.version,
    settings: {
      ...(soakFlows === undefined ? { flowsPerLevel, levels } : { soakFlows, soakConcurrency: SOAK_CONCURRENCY }),
      warmupFlows,
      db: args.db,
      workers: Number(args.workers),
      sqliteSync: args['sqlite-sync'],
      poll: ctx.poll,
      keys: 'ES256 account keys, P-256 CSR keys',
      challenge: 'http-01',
    },
  };
  try {
    for (const t of targets) {
      let start: () => Promise<ServerHandle>;
      if (t === 'shomei') {
        start = async () => {
          let databaseUrl: string | undefined;
          if (args.db === 'postgres') {
            await pgStop?.();
            const { startThrowawayPostgres } = await import('../scripts/pg-harness.mjs');
            const pg = await startThrowawayPostgres();
            pgStop = async () => {
              pgStop = undefined;
              await pg.stop();
            };
            databaseUrl = pg.url;
            log(`throwaway ${pg.version} at ${pg.url}`);
            (result['settings'] as Record<string, unknown>)['postgres'] = `${pg.version} (scripts/pg-harness.mjs: fsync=off, synchronous_commit=off)`;
          }
          return startShomeiServer({
            httpPort: responder.port,
            dnsResolver: dns.address,
            logLevel: args['log-level'],
            workers: Number(args.workers),
            sqliteSync: args['sqlite-sync'] === 'normal' ? 'normal' : 'full',
            ...(databaseUrl !== undefined ? { databaseUrl } : {}),
            ...(args['cpu-prof'] !== undefined ? { cpuProfDir: args['cpu-prof'] } : {}),
          });
        };
      } else {
        start = () => startPebbleServer({ httpPort: responder.port, dnsResolver: dns.address, binary: args.pebble });
      }
      try {
        result[t] = await benchServer(t, start, ctx);
      } finally {
        await pgStop?.();
      }
    }
  } finally {
    clearInterval(dnsTrim);
    await responder.close();
    await dns.close();
  }
  const s = result['shomei'] as Record<string, { flowsPerSec: number } | undefined> | undefined;
  const p = result['pebble'] as Record<string, { flowsPerSec: number } | undefined> | undefined;
  if (s && p) {
    const ratio: Record<string, number> = {};
    for (const k of soakFlows === undefined ? levels.map((c) => `c${c}`) : ['soak']) {
      const a = s[k]?.flowsPerSec;
      const b = p[k]?.flowsPerSec;
      if (a !== undefined && b !== undefined && b > 0) ratio[k] = round(a / b, 2);
    }
    result['ratio'] = ratio;
  }
  const json = JSON.stringify(result, null, 2);
  process.stdout.write(json + '\n');
  if (args.out !== undefined) writeFileSync(args.out, json + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  void Promise.all([...running].map((s) => s.stop()))
    .then(() => pgStop?.())
    .finally(() => process.exit(1));
});
