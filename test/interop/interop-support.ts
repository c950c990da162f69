// Shared plumbing for the interop suites, which drive the real `certbot` and
// `lego` binaries against an in-process Shomei:
//   - runClient: spawn a client with a hard timeout, capture its output;
//   - freePort: a free TCP port on 127.0.0.1 for the clients' built-in
//     challenge servers (the VA is configured to connect to it);
//   - startTxtControl: a tiny HTTP control channel through which the clients'
//     DNS hook scripts put TXT records into the test DNS server that lives in
//     the test process, plus the hook script itself;
//   - certificate helpers (SANs, serial, `openssl verify`).
import { spawn, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestDnsServer, type TestDnsServer } from '../support/dns-server.js';
import { startTestShomei, type TestShomei } from '../support/test-shomei.js';

/** Kill a client still running after this long. */
export const CLIENT_TIMEOUT_MS = 120_000;

export interface ClientResult {
  command: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  ms: number;
}

/** One line per argument; hides nothing (EAB keys are throwaway test values). */
export function describeRun(r: ClientResult): string {
  return [
    `$ ${r.command}`,
    `exit code ${r.code}${r.signal ? ` (signal ${r.signal})` : ''}${r.timedOut ? ' — KILLED AFTER TIMEOUT' : ''} in ${r.ms} ms`,
    '--- stdout ---',
    r.stdout.trimEnd(),
    '--- stderr ---',
    r.stderr.trimEnd(),
    '---',
  ].join('\n');
}

/** Runs a client binary to completion (or kills it after `timeoutMs`). Never rejects for a non-zero exit. */
export function runClient(
  file: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<ClientResult> {
  const started = performance.now();
  const command = [file, ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
  return new Promise((resolve, reject) => {
    // A process group of its own, so a timeout also kills hook scripts it started.
    const child = spawn(file, args, {
      env: opts.env ?? process.env,
      cwd: opts.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const killGroup = (sig: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, sig);
      } catch {
        /* already gone */
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup('SIGTERM');
      setTimeout(() => killGroup('SIGKILL'), 5000).unref();
    }, opts.timeoutMs ?? CLIENT_TIMEOUT_MS);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ command, code, signal, timedOut, stdout, stderr, ms: Math.round(performance.now() - started) });
    });
  });
}

/** Lowest port of the kernel's ephemeral range (where port-0 binds and outgoing connections land). */
function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 12_000 ? low : 32_768;
  } catch {
    return 32_768;
  }
}

async function canListen(port: number): Promise<boolean> {
  const srv = createNetServer();
  const ok = await new Promise<boolean>((resolve) => {
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => resolve(true));
  });
  if (ok) await new Promise<void>((resolve) => srv.close(() => resolve()));
  return ok;
}

/**
 * A TCP port free on 127.0.0.1 for a client's built-in challenge server. It
 * is taken below the kernel's ephemeral range, so that nothing bound to port 0
 * later (Shomei's own listeners, the test DNS server, outgoing connections)
 * can land on it between now and the moment the client listens.
 */
export async function freePort(): Promise<number> {
  const high = ephemeralLow();
  const low = Math.max(10_000, high - 12_000);
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low));
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port found in [${low}, ${high})`);
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `shomei-interop-${prefix}-`));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------
// TXT control channel for DNS hooks
// ---------------------------------------------------------------------------

export interface TxtHookCall {
  action: 'present' | 'cleanup';
  name: string;
  value: string;
}

export interface TxtControl {
  port: number;
  /**
   * An executable hook script (node, absolute shebang). Usage:
   *   hook present|cleanup <fqdn> <value>   (lego `exec` provider)
   *   hook certbot-present|certbot-cleanup  (certbot manual hooks: CERTBOT_DOMAIN, CERTBOT_VALIDATION)
   */
  hookPath: string;
  calls: TxtHookCall[];
  /** Largest number of TXT values seen at once at each owner name. */
  maxValues: Map<string, number>;
  /**
   * When true, `cleanup` calls are logged but the records stay published, as
   * when a removal has not propagated yet: the next `present` at the same
   * owner name then puts a second value next to the first.
   */
  lingerOnCleanup: boolean;
  /** Forgets every published value (and removes them from DNS). */
  reset(): void;
  close(): Promise<void>;
}

const HOOK_SOURCE = (port: number) => `#!${process.execPath}
// Shomei interop test hook: hands a TXT record to the test DNS server.
const [mode, fqdnArg, valueArg] = process.argv.slice(2);
let action, name, value;
if (mode === 'present' || mode === 'cleanup') {
  action = mode; name = fqdnArg; value = valueArg;
} else if (mode === 'certbot-present' || mode === 'certbot-cleanup') {
  action = mode.slice('certbot-'.length);
  name = '_acme-challenge.' + process.env.CERTBOT_DOMAIN;
  value = process.env.CERTBOT_VALIDATION;
} else {
  console.error('usage: hook present|cleanup <fqdn> <value> | certbot-present|certbot-cleanup');
  process.exit(2);
}
if (!name || !value) { console.error('hook: missing name or value'); process.exit(2); }
const res = await fetch('http://127.0.0.1:${port}/' + action, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ name, value }),
});
if (!res.ok) { console.error('hook: control channel said ' + res.status + ' ' + (await res.text())); process.exit(1); }
`;

/** Starts the control channel for `dns` and writes the hook script into `dir`. */
export async function startTxtControl(dns: TestDnsServer, dir: string): Promise<TxtControl> {
  const values = new Map<string, string[]>();
  const calls: TxtHookCall[] = [];
  const maxValues = new Map<string, number>();
  const server: Server = createHttpServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (c: string) => (body += c));
    req.on('end', () => {
      const action = req.url === '/present' ? 'present' : req.url === '/cleanup' ? 'cleanup' : null;
      let parsed: { name?: unknown; value?: unknown };
      try {
        parsed = JSON.parse(body) as typeof parsed;
      } catch {
        parsed = {};
      }
      if (req.method !== 'POST' || action === null || typeof parsed.name !== 'string' || typeof parsed.value !== 'string') {
        res.writeHead(400).end('bad request');
        return;
      }
      const name = parsed.name.toLowerCase().replace(/\.$/, '');
      const value = parsed.value;
      calls.push({ action, name, value });
      const current = values.get(name) ?? [];
      const next =
        action === 'present'
          ? [...current.filter((v) => v !== value), value]
          : control.lingerOnCleanup
            ? current
            : current.filter((v) => v !== value);
      values.set(name, next);
      if (next.length > 0) dns.setTxt(name, next);
      else dns.clearTxt(name);
      maxValues.set(name, Math.max(maxValues.get(name) ?? 0, next.length));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const hookPath = join(dir, 'txt-hook.mjs');
  writeFileSync(hookPath, HOOK_SOURCE(port));
  chmodSync(hookPath, 0o755);
  const control: TxtControl = {
    port,
    hookPath,
    calls,
    maxValues,
    lingerOnCleanup: false,
    reset: () => {
      for (const name of values.keys()) dns.clearTxt(name);
      values.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return control;
}

// ---------------------------------------------------------------------------
// Certificates
// ---------------------------------------------------------------------------

/** Splits a PEM bundle into its certificates. */
export function splitPem(pem: string): string[] {
  return pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g) ?? [];
}

export function readLeaf(path: string): X509Certificate {
  const [first] = splitPem(readFileSync(path, 'utf8'));
  if (first === undefined) throw new Error(`no certificate in ${path}`);
  return new X509Certificate(first);
}

/** DNS SANs, sorted. */
export function dnsSans(cert: X509Certificate): string[] {
  return (cert.subjectAltName ?? '')
    .split(', ')
    .filter((s) => s.startsWith('DNS:'))
    .map((s) => s.slice(4))
    .sort();
}

/** The serial as Shomei stores it: lower-case hex without leading zero bytes. */
export function storedSerial(cert: X509Certificate): string {
  return cert.serialNumber.toLowerCase().replace(/^(00)+(?=..)/, '');
}

/**
 * `openssl verify -CAfile root -untrusted chain leaf`; returns the run for the
 * assertion message. `chainPem` holds the intermediates (may include the leaf).
 */
export function opensslVerify(dir: string, rootPem: string, leafPem: string, chainPem: string): { ok: boolean; output: string } {
  const root = join(dir, 'verify-root.pem');
  const leaf = join(dir, 'verify-leaf.pem');
  const chain = join(dir, 'verify-chain.pem');
  writeFileSync(root, rootPem);
  writeFileSync(leaf, leafPem);
  writeFileSync(chain, chainPem);
  const args = ['verify', '-CAfile', root, '-untrusted', chain, '-purpose', 'sslserver', leaf];
  const r = spawnSync('openssl', args, { encoding: 'utf8', timeout: 30_000 });
  return {
    ok: r.status === 0 && /: OK\s*$/.test(r.stdout),
    output: `$ openssl ${args.join(' ')}\nexit ${r.status}\n${r.stdout}${r.stderr}${r.error ? String(r.error) : ''}`,
  };
}

/** The CAA record set that forbids this CA (only another CA may issue). */
export const FORBIDDING_CAA = [{ flags: 0, tag: 'issue', value: 'other-ca.example' }];

/** What every interop file starts with: a test DNS server, a Shomei, the TXT control channel and a work dir. */
export interface InteropEnv {
  dns: TestDnsServer;
  s: TestShomei;
  txt: TxtControl;
  work: string;
  /** The Shomei root written to a file, for REQUESTS_CA_BUNDLE / LEGO_CA_CERTIFICATES. */
  rootPath: string;
  httpPort: number;
  tlsPort: number;
  /** Config dir of the profile most tests share. */
  shared: string;
  sharedEab: { kid: string; hmacKey: string };
  close(): Promise<void>;
}

export async function startInteropEnv(client: string): Promise<InteropEnv> {
  const work = tempDir(client);
  // No AAAA by default: the clients' challenge servers listen on 127.0.0.1 only.
  const dns = await startTestDnsServer({ zones: ['example.com'], defaultAAAA: null });
  const httpPort = await freePort();
  const tlsPort = await freePort();
  const s = await startTestShomei({ dnsResolver: dns.address, httpPort, tlsAlpnPort: tlsPort });
  const txt = await startTxtControl(dns, work);
  const rootPath = join(work, 'shomei-root.pem');
  writeFileSync(rootPath, s.rootPem);
  const sharedEab = await s.mintEab(`${client} interop (shared profile)`);
  return {
    dns, s, txt, work, rootPath, httpPort, tlsPort, sharedEab,
    shared: join(work, 'shared'),
    close: async () => {
      await s.close();
      await txt.close();
      await dns.close();
      removeDir(work);
    },
  };
}
