// The benchmark's http-01 responder: plain HTTP on 127.0.0.1, answering
// /.well-known/acme-challenge/<token> from a map the load client fills just
// before it answers a challenge. Deliberately minimal (no request log) so it
// stays cheap and flat in memory over a long run.
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

const PREFIX = '/.well-known/acme-challenge/';

export interface Http01Responder {
  port: number;
  set(token: string, keyAuthorization: string): void;
  remove(token: string): void;
  /** Requests answered 200 / 404 so far. */
  readonly served: { ok: number; notFound: number };
  close(): Promise<void>;
}

export async function startHttp01Responder(): Promise<Http01Responder> {
  const tokens = new Map<string, string>();
  const served = { ok: 0, notFound: 0 };
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    const body = path.startsWith(PREFIX) ? tokens.get(path.slice(PREFIX.length)) : undefined;
    if (body === undefined) {
      served.notFound++;
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    served.ok++;
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) }).end(body);
  });
  server.keepAliveTimeout = 5000;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    served,
    set: (t, v) => void tokens.set(t, v),
    remove: (t) => void tokens.delete(t),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
