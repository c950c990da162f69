/**
 * One RFC 6962 §4.1 / §4.2 submission over HTTP: POST `<log>/ct/v1/add-chain`
 * or `add-pre-chain` with `{"chain": [base64 DER, …]}` and read the JSON
 * answer. Every way a log can fail — no connection, too slow, a status other
 * than 200, an oversized or non-JSON body, a redirect — becomes a
 * `CtLogFailure` whose message is safe to show and log: it never carries the
 * log's URL (which may hold credentials) nor its response body.
 */
import type { CtLogDescriptor } from '../types.js';
import { toBase64 } from '../rfc6962.js';

/** A log did not give a usable answer; `message` is a short, secret-free reason. */
export class CtLogFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CtLogFailure';
  }
}

export type CtEndpoint = 'add-chain' | 'add-pre-chain';

/** An SCT answer is a few hundred bytes; anything much larger is not one. */
const MAX_RESPONSE_BYTES = 64 * 1024;

function describeFetchError(e: unknown, timeoutMs: number): string {
  const name = (e as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return `timed out after ${timeoutMs} ms`;
  const code = ((e as { cause?: { code?: unknown } } | null)?.cause)?.code;
  if (typeof code === 'string' && /^[A-Z0-9_]+$/.test(code)) return `connection failed (${code})`;
  return 'request failed';
}

/** The body as text, refusing more than MAX_RESPONSE_BYTES (the abort signal bounds the time). */
async function readCapped(res: Response, timeoutMs: number): Promise<string> {
  if (res.body === null) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > MAX_RESPONSE_BYTES) {
        await reader.cancel().catch(() => undefined);
        throw new CtLogFailure(`response larger than ${MAX_RESPONSE_BYTES} bytes`);
      }
      chunks.push(value);
    }
  } catch (e) {
    if (e instanceof CtLogFailure) throw e;
    throw new CtLogFailure(describeFetchError(e, timeoutMs));
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * POST the chain (leaf or precertificate first, then its issuer and
 * optionally the root, RFC 6962 §4.1) and return the parsed JSON answer.
 * `timeoutMs` bounds the whole exchange, body included.
 */
export async function postChain(
  log: CtLogDescriptor,
  endpoint: CtEndpoint,
  chain: readonly Uint8Array[],
  timeoutMs: number,
): Promise<unknown> {
  const signal = AbortSignal.timeout(timeoutMs);
  let res: Response;
  try {
    res = await fetch(`${log.url}ct/v1/${endpoint}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ chain: chain.map(toBase64) }),
      signal,
      // A log answers at its own URL; following a redirect would send the chain somewhere unconfigured.
      redirect: 'error',
    });
  } catch (e) {
    throw new CtLogFailure(describeFetchError(e, timeoutMs));
  }
  if (res.status !== 200) {
    await res.body?.cancel().catch(() => undefined);
    throw new CtLogFailure(`HTTP ${res.status}`);
  }
  const text = await readCapped(res, timeoutMs);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new CtLogFailure('response is not JSON');
  }
}
