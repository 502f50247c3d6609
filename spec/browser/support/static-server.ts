import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

/** A static web server on 127.0.0.1 serving a directory. */
export interface StaticServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves `root` on 127.0.0.1 (any free port); unknown paths get `index.html`, as a single-page
 * application is served in production.
 */
export async function serveStatic(root: string): Promise<StaticServer> {
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(root, path === '/' ? 'index.html' : path));
    const inside = file.startsWith(normalize(root));
    const send = (name: string, body: Buffer): void => {
      res
        .writeHead(200, {
          'content-type': CONTENT_TYPES[extname(name)] ?? 'application/octet-stream',
        })
        .end(body);
    };
    (inside ? readFile(file) : Promise.reject(new Error('outside the root')))
      .then((body) => send(file, body))
      .catch(() =>
        extname(path) === ''
          ? readFile(join(root, 'index.html')).then((body) => send('index.html', body))
          : Promise.reject(new Error('not found')),
      )
      .catch(() => res.writeHead(404).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
