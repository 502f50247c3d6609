import {
  createServer as createHttpServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { constants, createGzip } from 'node:zlib';

/** Options of {@link startReverseProxy}. */
export interface ReverseProxyOptions {
  /** Where the bus listens. */
  readonly targetPort: number;
  /** Require `Authorization: Basic base64(user:password)`; answer 401 otherwise. */
  readonly basicAuth?: { user: string; password: string };
  /** Require this exact header value (e.g. a bearer token). */
  readonly requireHeader?: { name: string; value: string };
  /** Gzip every response body when the client accepts gzip (flushed per chunk, so long polls and streams still flow). */
  readonly gzip?: boolean;
  /** Hold each answer until it is complete (like a proxy with response buffering): a /stream never gets through. */
  readonly buffer?: boolean;
  /** Serve HTTPS with this key and certificate. */
  readonly tls?: { key: string; cert: string };
}

/** A reverse proxy in front of the bus, like the nginx or Apache in front of a real httpmsgbus. */
export interface ReverseProxy {
  readonly url: string;
  /** Request headers as the proxy received them. */
  readonly seenHeaders: IncomingMessage['headers'][];
  close(): Promise<void>;
}

/** Starts a reverse proxy on 127.0.0.1 that forwards to the bus and streams answers back. */
export async function startReverseProxy(options: ReverseProxyOptions): Promise<ReverseProxy> {
  const seenHeaders: IncomingMessage['headers'][] = [];
  const sockets = new Set<Socket>();
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    seenHeaders.push(req.headers);
    if (options.basicAuth !== undefined) {
      const expected = `Basic ${Buffer.from(`${options.basicAuth.user}:${options.basicAuth.password}`).toString('base64')}`;
      if (req.headers.authorization !== expected) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="hmb"' }).end('unauthorized\n');
        return;
      }
    }
    if (
      options.requireHeader !== undefined &&
      req.headers[options.requireHeader.name] !== options.requireHeader.value
    ) {
      res.writeHead(403).end('forbidden\n');
      return;
    }
    const upstream = httpRequest(
      {
        host: '127.0.0.1',
        port: options.targetPort,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: `127.0.0.1:${options.targetPort}` },
      },
      (up) => {
        const headers = { ...up.headers };
        const gzip =
          options.gzip === true &&
          /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')) &&
          up.statusCode !== 204;
        if (options.buffer === true) {
          const chunks: Buffer[] = [];
          up.on('data', (c: Buffer) => chunks.push(c));
          up.on('end', () => {
            delete headers['transfer-encoding'];
            headers['content-length'] = String(Buffer.concat(chunks).length);
            res.writeHead(up.statusCode ?? 502, headers).end(Buffer.concat(chunks));
          });
        } else if (gzip) {
          delete headers['content-length'];
          headers['content-encoding'] = 'gzip';
          res.writeHead(up.statusCode ?? 502, headers);
          const z = createGzip({ flush: constants.Z_SYNC_FLUSH });
          up.pipe(z).pipe(res);
        } else {
          res.writeHead(up.statusCode ?? 502, headers);
          up.pipe(res);
        }
      },
    );
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  };
  const server =
    options.tls === undefined
      ? createHttpServer(handle)
      : createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handle);
  server.requestTimeout = 0;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`,
    seenHeaders,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
