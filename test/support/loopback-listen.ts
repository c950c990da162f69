import type { AddressInfo, Server, Socket } from 'node:net';

/**
 * Listen on loopback (port 0 = any free port) and keep track of open sockets,
 * so `close()` ends keep-alive connections instead of waiting for them.
 */
export async function listenOnLoopback(
  server: Server,
  opts: { port?: number; host?: string } = {},
): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
