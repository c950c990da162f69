/**
 * One HTTP(S) GET for http-01, to an address the VA chose itself, with a
 * deadline and a cap on how much body is read. Redirects are the caller's
 * business (`http-01.ts`); this only reports them.
 *
 * https hops (only reachable through a redirect) do not verify the server
 * certificate: RFC 8555 is silent, and Let's Encrypt's documented practice is
 * that the HTTP-01 challenge "does not validate certificates" after a
 * redirect to HTTPS, since validation exists to bootstrap a valid one. The
 * proof is the key authorization in the body, not the TLS session.
 */
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type Socket } from 'node:net';
import { ShomeiError } from '../core/errors.js';
import { describeNetworkError, isTlsError } from './network-errors.js';
import { markConnectPhase } from './validation-target.js';
import { portOf } from './http-redirect.js';

export const USER_AGENT = 'Shomei-VA/1.0 (ACME domain validation)';

export interface HttpHop {
  url: URL;
  /** Address to connect to (already resolved and policy-checked). */
  address: string;
  hostHeader: string;
  timeoutMs: number;
  maxBodyBytes: number;
}

export interface HttpHopResult {
  status: number;
  location: string | undefined;
  /** The body (at most maxBodyBytes) when status is 200. */
  body: Buffer;
  /** true when the body was longer than maxBodyBytes; reading stopped there. */
  oversize: boolean;
}

export function fetchHop(hop: HttpHop): Promise<HttpHopResult> {
  return new Promise((resolve, reject) => {
    const { url } = hop;
    const tls = url.protocol === 'https:';
    const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const common = {
      host: hop.address,
      port: portOf(url),
      method: 'GET',
      path: `${url.pathname}${url.search}`,
      agent: false as const,
      headers: { Host: hop.hostHeader, 'User-Agent': USER_AGENT, Accept: '*/*', Connection: 'close' },
    };
    const req: ClientRequest = tls
      ? httpsRequest({
          ...common,
          rejectUnauthorized: false,
          // RFC 6066 §3: SNI carries host names only, never IP literals.
          ...(isIP(hostname) === 0 ? { servername: hostname } : {}),
        })
      : httpRequest(common);

    let connected = false;
    let handshaken = !tls;
    let settled = false;
    const fetching = `Fetching ${url.href}`;
    const fail = (e: ShomeiError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(e);
    };
    const succeed = (r: HttpHopResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(r);
    };

    const timer = setTimeout(() => {
      if (!connected) {
        fail(markConnectPhase(new ShomeiError('connection', `${fetching}: Timeout during connect (likely firewall problem)`)));
      } else {
        fail(new ShomeiError('connection', `${fetching}: Timeout after connect (your server may be slow or overloaded)`));
      }
    }, hop.timeoutMs);

    req.on('socket', (socket: Socket) => {
      socket.once('connect', () => (connected = true));
      socket.once('secureConnect', () => (handshaken = true));
    });

    req.on('error', (err) => {
      const why = describeNetworkError(err);
      if (!connected) fail(markConnectPhase(new ShomeiError('connection', `${fetching}: ${why}`, { cause: err })));
      else if (!handshaken || isTlsError(err)) {
        fail(new ShomeiError('tls', `${fetching}: TLS error: ${why}`, { cause: err }));
      } else fail(new ShomeiError('connection', `${fetching}: ${why}`, { cause: err }));
    });

    req.on('response', (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (status !== 200) {
        succeed({ status, location, body: Buffer.alloc(0), oversize: false });
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        const room = hop.maxBodyBytes - size;
        if (chunk.length > room) {
          chunks.push(chunk.subarray(0, room));
          succeed({ status, location, body: Buffer.concat(chunks), oversize: true });
          return;
        }
        chunks.push(chunk);
        size += chunk.length;
      });
      res.on('end', () => succeed({ status, location, body: Buffer.concat(chunks), oversize: false }));
      res.on('error', (err) =>
        fail(new ShomeiError('connection', `${fetching}: error reading the response body: ${describeNetworkError(err)}`)),
      );
    });
    req.end();
  });
}
