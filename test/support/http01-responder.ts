// An http-01 responder for tests: plain HTTP on 127.0.0.1 (port 0 by
// default) serving /.well-known/acme-challenge/<token> from a map, plus
// arbitrary canned routes (status, body, headers) for redirect and error
// cases. Unknown paths get 404. Every request is logged with its Host header.
import { listenOnLoopback } from './loopback-listen.js';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export const ACME_CHALLENGE_PATH = '/.well-known/acme-challenge/';

export interface CannedResponse {
  status?: number;
  body?: string | Buffer;
  headers?: Record<string, string>;
}

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface LoggedRequest {
  method: string;
  path: string;
  host: string | undefined;
}

export interface Http01Responder {
  host: '127.0.0.1';
  port: number;
  /** Serve `body` at /.well-known/acme-challenge/<token>. */
  set(token: string, body: string): void;
  remove(token: string): void;
  /** Answer `path` (exact, query included) with a canned response or a handler. */
  route(path: string, response: CannedResponse | RouteHandler): void;
  /** Shorthand for a redirect route. */
  redirect(path: string, location: string, status?: number): void;
  clear(): void;
  requests: LoggedRequest[];
  close(): Promise<void>;
}

export async function startHttp01Responder(opts: { port?: number; host?: string } = {}): Promise<Http01Responder> {
  const tokens = new Map<string, string>();
  const routes = new Map<string, CannedResponse | RouteHandler>();
  const requests: LoggedRequest[] = [];

  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push({ method: req.method ?? 'GET', path, host: req.headers.host });
    const route = routes.get(path);
    if (typeof route === 'function') return route(req, res);
    if (route !== undefined) {
      res.writeHead(route.status ?? 200, route.headers ?? {});
      res.end(route.body ?? '');
      return;
    }
    if (path.startsWith(ACME_CHALLENGE_PATH)) {
      const body = tokens.get(path.slice(ACME_CHALLENGE_PATH.length));
      if (body !== undefined) {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end(body);
        return;
      }
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found');
  });
  const { port, close } = await listenOnLoopback(server, opts);

  return {
    host: '127.0.0.1',
    port,
    requests,
    set: (token, body) => void tokens.set(token, body),
    remove: (token) => void tokens.delete(token),
    route: (path, response) => void routes.set(path, response),
    redirect: (path, location, status = 302) => void routes.set(path, { status, headers: { Location: location } }),
    clear: () => {
      tokens.clear();
      routes.clear();
      requests.length = 0;
    },
    close,
  };
}
