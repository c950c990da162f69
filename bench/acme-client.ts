// The load client: a lean ACME client for complete issuance flows
// (newOrder → http-01 → finalize → download), built for throughput:
//   - one keep-alive HTTPS agent shared by all workers;
//   - nonces taken from each response's Replay-Nonce (HEAD newNonce only at
//     start, after a network error, or when a response carried none);
//   - ES256 JWS signed directly with node:crypto (IEEE P1363 signatures);
//   - CSRs from bench/csr.ts (DER builder over a pool of P-256 keys).
// It talks to Shomei and Pebble alike; Shomei needs EAB for newAccount.
import { createHash, createHmac, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { Agent, request } from 'node:https';
import type { ClientRequest, IncomingHttpHeaders } from 'node:http';
import type { CsrFactory } from './csr.js';
import type { Http01Responder } from './http01.js';

export interface HttpResult {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A failed step: HTTP status and the problem document (or body) the server returned. */
export class FlowError extends Error {
  constructor(
    readonly step: string,
    readonly status: number,
    readonly problem: unknown,
  ) {
    super(`${step}: HTTP ${status} ${typeof problem === 'string' ? problem : JSON.stringify(problem)}`);
  }

  /** Groups errors of the same kind: step, status and problem type. */
  get key(): string {
    const type = typeof this.problem === 'object' && this.problem !== null ? (this.problem as { type?: unknown }).type : undefined;
    return `${this.step} ${this.status} ${typeof type === 'string' ? type : ''}`.trim();
  }
}

function parseBody(r: HttpResult): unknown {
  const text = r.body.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text.slice(0, 500);
  }
}

export class HttpClient {
  readonly agent: Agent;
  readonly #inFlight = new Set<ClientRequest>();
  constructor(readonly ca: string) {
    this.agent = new Agent({ keepAlive: true, maxSockets: Infinity, ca, scheduling: 'lifo' });
  }

  send(method: string, url: string, body?: string): Promise<HttpResult> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = {};
      if (body !== undefined) {
        headers['content-type'] = 'application/jose+json';
        headers['content-length'] = Buffer.byteLength(body);
      }
      const req = request(url, { method, agent: this.agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.setTimeout(60_000, () => req.destroy(new Error(`timeout: ${method} ${url}`)));
      this.#inFlight.add(req);
      req.on('close', () => this.#inFlight.delete(req));
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Fails every request in flight (used when the server stalls). */
  abort(): void {
    for (const r of this.#inFlight) r.destroy(new Error('aborted: server stalled'));
  }

  close(): void {
    this.abort();
    this.agent.destroy();
  }
}

export interface Directory {
  newNonce: string;
  newAccount: string;
  newOrder: string;
  [k: string]: unknown;
}

export interface EabCredentials {
  kid: string;
  hmacKey: string;
}

const b64u = (b: Buffer | string): string => Buffer.from(b).toString('base64url');

export interface PollPolicy {
  /** First delay, doubled after each poll up to maxMs. Retry-After is honoured only up to maxMs. */
  firstMs: number;
  maxMs: number;
}

export const DEFAULT_POLL: PollPolicy = { firstMs: 10, maxMs: 250 };

export interface SessionStats {
  requests: number;
  badNonceRetries: number;
  nonceFetches: number;
  polls: number;
}

/** One ACME account and its nonce: a worker's sequential view of the server. */
export class AcmeSession {
  readonly #key: KeyObject;
  readonly jwk: { kty: string; crv: string; x: string; y: string };
  readonly thumbprint: string;
  #nonce: string | undefined;
  kid = '';
  readonly stats: SessionStats = { requests: 0, badNonceRetries: 0, nonceFetches: 0, polls: 0 };

  constructor(
    readonly http: HttpClient,
    readonly dir: Directory,
  ) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.#key = privateKey;
    const j = publicKey.export({ format: 'jwk' }) as { kty: string; crv: string; x: string; y: string };
    this.jwk = { kty: j.kty, crv: j.crv, x: j.x, y: j.y };
    // RFC 7638: members in lexicographic order, no whitespace.
    const canonical = JSON.stringify({ crv: this.jwk.crv, kty: this.jwk.kty, x: this.jwk.x, y: this.jwk.y });
    this.thumbprint = createHash('sha256').update(canonical).digest('base64url');
  }

  async #freshNonce(): Promise<string> {
    this.stats.nonceFetches++;
    const r = await this.http.send('HEAD', this.dir.newNonce);
    const n = r.headers['replay-nonce'];
    if (typeof n !== 'string') throw new FlowError('newNonce', r.status, 'no Replay-Nonce header');
    return n;
  }

  #jws(url: string, payload: unknown, nonce: string, useJwk: boolean): string {
    const header = useJwk ? { alg: 'ES256', jwk: this.jwk, nonce, url } : { alg: 'ES256', kid: this.kid, nonce, url };
    const prot = b64u(JSON.stringify(header));
    const pl = payload === '' ? '' : b64u(JSON.stringify(payload));
    const signature = sign('sha256', Buffer.from(`${prot}.${pl}`), { key: this.#key, dsaEncoding: 'ieee-p1363' }).toString('base64url');
    return JSON.stringify({ protected: prot, payload: pl, signature });
  }

  /** Signed POST; `payload` '' is POST-as-GET. Retries badNonce (with the nonce the error carried). */
  async post(url: string, payload: unknown, useJwk = false): Promise<HttpResult> {
    for (let attempt = 0; ; attempt++) {
      const nonce = this.#nonce ?? (await this.#freshNonce());
      this.#nonce = undefined;
      let r: HttpResult;
      try {
        r = await this.http.send('POST', url, this.#jws(url, payload, nonce, useJwk));
      } catch (e) {
        this.#nonce = undefined;
        throw e;
      }
      this.stats.requests++;
      const n = r.headers['replay-nonce'];
      if (typeof n === 'string') this.#nonce = n;
      if (r.status === 400 && attempt < 5 && r.headers['content-type']?.startsWith('application/problem+json')) {
        const p = parseBody(r) as { type?: string };
        if (p.type === 'urn:ietf:params:acme:error:badNonce') {
          this.stats.badNonceRetries++;
          continue;
        }
      }
      return r;
    }
  }

  async newAccount(eab?: EabCredentials): Promise<void> {
    const payload: Record<string, unknown> = { termsOfServiceAgreed: true };
    if (eab !== undefined) {
      const prot = b64u(JSON.stringify({ alg: 'HS256', kid: eab.kid, url: this.dir.newAccount }));
      const pl = b64u(JSON.stringify(this.jwk));
      const signature = createHmac('sha256', Buffer.from(eab.hmacKey, 'base64url')).update(`${prot}.${pl}`).digest('base64url');
      payload['externalAccountBinding'] = { protected: prot, payload: pl, signature };
    }
    const r = await this.post(this.dir.newAccount, payload, true);
    if (r.status !== 201 && r.status !== 200) throw new FlowError('newAccount', r.status, parseBody(r));
    const loc = r.headers['location'];
    if (typeof loc !== 'string') throw new FlowError('newAccount', r.status, 'no Location header');
    this.kid = loc;
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function retryAfterMs(r: HttpResult): number {
  const v = r.headers['retry-after'];
  if (typeof v !== 'string') return Infinity;
  const s = Number(v);
  return Number.isFinite(s) ? s * 1000 : Infinity;
}

function expect(step: string, r: HttpResult, ...ok: number[]): Record<string, unknown> {
  const body = parseBody(r);
  if (!ok.includes(r.status)) throw new FlowError(step, r.status, body);
  if (body === null || typeof body !== 'object') throw new FlowError(step, r.status, `expected JSON, got ${String(body)}`);
  return body as Record<string, unknown>;
}

/** POST-as-GET `url` until `done(body)`; short exponential back-off, Retry-After capped at poll.maxMs. */
async function pollUntil(
  s: AcmeSession,
  step: string,
  url: string,
  first: HttpResult | undefined,
  done: (b: Record<string, unknown>) => boolean,
  poll: PollPolicy,
  deadline: number,
): Promise<Record<string, unknown>> {
  let delay = poll.firstMs;
  let r = first;
  if (r === undefined) await sleep(poll.firstMs);
  for (;;) {
    if (r !== undefined) {
      const body = expect(step, r, 200);
      if (done(body)) return body;
      if (Date.now() > deadline) throw new FlowError(step, r.status, { timeout: true, last: body });
      await sleep(Math.min(delay, Math.max(poll.firstMs, retryAfterMs(r))));
      delay = Math.min(delay * 2, poll.maxMs);
    }
    s.stats.polls++;
    r = await s.post(url, '');
  }
}

export interface FlowContext {
  responder: Http01Responder;
  csrs: CsrFactory;
  poll: PollPolicy;
  timeoutMs: number;
}

/**
 * One complete issuance for `name`: newOrder → authz → http-01 → poll authz →
 * finalize → poll order (if processing) → download the chain.
 */
export async function issuanceFlow(s: AcmeSession, name: string, ctx: FlowContext): Promise<void> {
  const deadline = Date.now() + ctx.timeoutMs;
  const o = await s.post(s.dir.newOrder, { identifiers: [{ type: 'dns', value: name }] });
  const order = expect('newOrder', o, 201);
  const orderUrl = o.headers['location'];
  if (typeof orderUrl !== 'string') throw new FlowError('newOrder', o.status, 'no Location header');
  const authzUrl = (order['authorizations'] as string[])[0] as string;
  const finalizeUrl = order['finalize'] as string;

  const a = await s.post(authzUrl, '');
  const authz = expect('authz', a, 200);
  if (authz['status'] !== 'valid') {
    const ch = (authz['challenges'] as { type: string; url: string; token: string }[]).find((c) => c.type === 'http-01');
    if (ch === undefined) throw new FlowError('authz', a.status, 'no http-01 challenge');
    ctx.responder.set(ch.token, `${ch.token}.${s.thumbprint}`);
    try {
      const c = await s.post(ch.url, {});
      expect('challenge', c, 200);
      const final = await pollUntil(s, 'pollAuthz', authzUrl, undefined, (b) => b['status'] !== 'pending', ctx.poll, deadline);
      if (final['status'] !== 'valid') {
        const chs = final['challenges'] as { type: string; error?: unknown }[] | undefined;
        throw new FlowError('validation', 200, chs?.find((x) => x.type === 'http-01')?.error ?? final);
      }
    } finally {
      ctx.responder.remove(ch.token);
    }
  }

  const f = await s.post(finalizeUrl, { csr: ctx.csrs.csr([name]) });
  expect('finalize', f, 200);
  const done = await pollUntil(s, 'pollOrder', orderUrl, f, (b) => b['status'] !== 'processing' && b['status'] !== 'ready', ctx.poll, deadline);
  if (done['status'] !== 'valid' || typeof done['certificate'] !== 'string') throw new FlowError('order', 200, done);

  const cert = await s.post(done['certificate'], '');
  if (cert.status !== 200) throw new FlowError('certificate', cert.status, parseBody(cert));
  if (!cert.body.subarray(0, 27).toString('latin1').startsWith('-----BEGIN CERTIFICATE-----')) {
    throw new FlowError('certificate', cert.status, 'not a PEM certificate chain');
  }
}
