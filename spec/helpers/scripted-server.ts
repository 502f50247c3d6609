import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A route handler of a {@link startScriptedServer}. */
export type ScriptedHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
) => void | Promise<void>;

/** A deliberately simple (or deliberately broken) HTTP server whose answers the test writes. */
export interface ScriptedServer {
  readonly url: string;
  /** Requests seen, as `METHOD /path`. */
  readonly requests: string[];
  /** Headers of every request, in order. */
  readonly headers: IncomingMessage['headers'][];
  close(): Promise<void>;
}

/**
 * Starts an HTTP server on 127.0.0.1 that dispatches on the last path segments (`open`, `recv`, …)
 * to the handlers given. Unknown routes get 404. All sockets are destroyed on close.
 */
export async function startScriptedServer(
  routes: Record<string, ScriptedHandler>,
): Promise<ScriptedServer> {
  const requests: string[] = [];
  const headers: IncomingMessage['headers'][] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push(`${req.method} ${req.url}`);
      headers.push(req.headers);
      const method = (req.url ?? '').split('/')[2] ?? '';
      const handler = routes[method];
      if (handler === undefined) {
        res.writeHead(404).end('404 page not found\n');
        return;
      }
      Promise.resolve(handler(req, res, Buffer.concat(chunks))).catch((err: unknown) => {
        res.destroy(err as Error);
      });
    });
  });
  server.requestTimeout = 0;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    headers,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Writes bytes in the given pieces, flushing each, with a pause in between. */
export async function writeInPieces(
  res: ServerResponse,
  pieces: readonly Uint8Array[],
  pauseMs = 1,
): Promise<void> {
  for (const piece of pieces) {
    res.write(piece);
    await new Promise((r) => setTimeout(r, pauseMs));
  }
  res.end();
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released): connections are refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
