import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { HmbServerCore } from './hmb-server-core';
import {
  KEEP_ALIVE_TIMEOUT_MS,
  MAX_HEADER_BYTES,
  resolveServerOptions,
  type HmbServerOptions,
} from './options';
import { PersistStore } from './persistence/persist-store';
import { route } from './router';
import { ConnectionTracker } from './http/connection-tracker';

/**
 * A running embedded bus.
 *
 * @example
 * ```ts
 * import { startHmbServer, type HmbServerHandle } from 'hmb-rx/server';
 * const server: HmbServerHandle = await startHmbServer({ port: 0 });
 * const busUrl = `${server.url}/test`; // e.g. http://127.0.0.1:40213/test
 * console.log(server.port > 0); // true
 * await server.close();
 * ```
 */
export interface HmbServerHandle {
  /** Base URL without a bus, e.g. `http://127.0.0.1:8000`; append `/{bus}` for a bus. */
  readonly url: string;
  /** The port actually bound (useful with `port: 0`). */
  readonly port: number;
  /** The interface bound. */
  readonly host: string;
  /**
   * Shuts down gracefully: stops accepting, answers waiting /recv with an empty 200
   * (`Connection: close`), ends open streams, writes and fsyncs the logs, waits up to
   * `shutdownGraceMs` for connections to close, then destroys the rest. Idempotent.
   */
  close(): Promise<void>;
}

/**
 * Starts an embedded HMB bus: a development server that speaks the protocol of httpmsgbus v0.16
 * byte for byte (JSON and BSON, every method, status codes and texts, seq numbers, EOF and
 * heartbeats), so a client that works against it works against the real one. Several buses share
 * the port; each comes into being when a request first names it. For production use httpmsgbus
 * itself (see docs/server.md).
 *
 * @example
 * ```ts
 * import { startHmbServer } from 'hmb-rx/server';
 * const server = await startHmbServer({ port: 0 });
 * const res = await fetch(`${server.url}/demo/features`);
 * console.log(await res.json()); // { capabilities: ['JSON', 'BSON', …], functions: [], software: '…' }
 * await server.close();
 * ```
 * @param options - see {@link HmbServerOptions}; every field is optional.
 * @returns a handle with the URL and `close()`.
 * @throws RangeError for an invalid option; the `listen` error (e.g. `EADDRINUSE`) when the port is taken.
 */
export async function startHmbServer(options: HmbServerOptions = {}): Promise<HmbServerHandle> {
  const resolved = resolveServerOptions(options);
  const storage =
    resolved.persistDir === undefined
      ? undefined
      : await PersistStore.open(resolved.persistDir, {
          queueLimit: resolved.queueLimit,
          fsyncIntervalMs: resolved.fsyncIntervalMs,
          fsyncOnSend: resolved.fsyncOnSend,
          logger: resolved.logger,
        });
  const core = new HmbServerCore(resolved, storage);
  const connections = new ConnectionTracker();
  if (storage !== undefined) {
    for (const loaded of storage.loadedBuses()) {
      const bus = core.createBus(loaded.name);
      for (const queue of loaded.queues) bus.restoreQueue(queue);
    }
  }

  const server = createServer(
    {
      // Long polls and streams may last forever: no request timeout (Node's default is 300 s).
      requestTimeout: 0,
      // But a client must finish its headers in time (a slow-loris client holds a socket).
      headersTimeout: resolved.headersTimeoutMs,
      // Node checks that timeout on this period (30 s by default): a short timeout needs a
      // shorter period to be kept.
      connectionsCheckingInterval: Math.min(30_000, Math.max(100, resolved.headersTimeoutMs / 4)),
      keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
      // Go accepts request heads up to 1 MiB (URLs of 16 KiB and more); Node's default is 16 KiB.
      maxHeaderSize: MAX_HEADER_BYTES,
    },
    (req, res) => {
      connections.requestStarted(req.socket);
      res.once('close', () => connections.requestEnded(req.socket, core.closing));
      route(core, req, res);
    },
  );
  server.on('connection', (socket: Socket) => connections.add(socket));
  try {
    await listen(server, resolved.port, resolved.host);
  } catch (err) {
    core.closeBuses();
    await storage?.close();
    throw err;
  }
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : resolved.port;
  const hostInUrl = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host;
  const url = `http://${hostInUrl}:${port}`;
  resolved.logger({ type: 'listening', url });

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    host: resolved.host,
    close: () => (closing ??= shutdown(server, core, storage, connections)),
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

async function shutdown(
  server: Server,
  core: HmbServerCore,
  storage: PersistStore | undefined,
  connections: ConnectionTracker,
): Promise<void> {
  core.closing = true;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  core.shutdownLongPolls();
  core.closeBuses();
  // Connections with no request in progress (idle keep-alive ones, or opened and never used) go
  // now; the others close after their answer (it carries `Connection: close`) or at the grace.
  connections.destroyIdle();
  await storage?.close();
  let grace: NodeJS.Timeout | undefined;
  const timedOut = new Promise<void>((resolve) => {
    grace = setTimeout(resolve, core.options.shutdownGraceMs);
  });
  try {
    await Promise.race([closed, timedOut]);
  } finally {
    clearTimeout(grace);
  }
  connections.destroyAll();
  await closed;
  core.options.logger({ type: 'closed' });
}
