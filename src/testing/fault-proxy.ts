import { createServer, Socket, type Server } from 'node:net';

/** Options of {@link startFaultProxy}. */
export interface HmbFaultProxyOptions {
  /** Where to forward connections. */
  readonly targetPort: number;
  readonly targetHost?: string;
  /** Where to listen (default 127.0.0.1, any free port). */
  readonly host?: string;
  readonly port?: number;
}

/** Chooses where to cut the n-th connection (0-based): after that many bytes from the server, or never. */
export type HmbCutPlan = (connection: number) => number | undefined;

/**
 * A TCP proxy between a client and a bus that fails on command: it cuts connections (at once, or
 * after a chosen number of response bytes: mid-headers, mid-body, mid-document), stalls without
 * closing (a dead link), and refuses connections for a while. For resilience tests with real
 * sockets; the client under test only sees a flaky network.
 */
export interface HmbFaultProxy {
  /** `http://host:port`: put the bus name after it. */
  readonly url: string;
  readonly port: number;
  /** Connections accepted so far. */
  readonly totalConnections: number;
  /** Connections open now. */
  readonly openConnections: number;
  /** Cuts every open connection now (`reset`: RST; `close`: FIN). */
  cutAll(mode?: 'reset' | 'close'): void;
  /** From now on, cut connections where the plan says (`undefined` turns it off). */
  cutResponses(plan: HmbCutPlan | undefined): void;
  /**
   * Stops forwarding on the connections open now, in both directions, keeping their sockets open
   * (a dead link: a pulled cable, a NAT that forgot the flow), until {@link HmbFaultProxy.resume}. New
   * connections work, as they would after such a failure.
   */
  stall(): void;
  /** Ends a {@link HmbFaultProxy.stall}: the bytes held back are delivered and forwarding goes on. */
  resume(): void;
  /** While on, new connections are reset as soon as they are accepted. */
  refuse(on: boolean): void;
  /** Closes the proxy and every connection through it. */
  close(): Promise<void>;
}

interface Pair {
  readonly client: Socket;
  readonly upstream: Socket;
  readonly index: number;
  fromServer: number;
  cutAt: number | undefined;
  /** Whether this connection is stalled. */
  stalled: boolean;
  /** Bytes held back while stalled, per direction. */
  readonly held: { toServer: Buffer[]; toClient: Buffer[] };
}

/**
 * Starts a {@link HmbFaultProxy} in front of `targetHost:targetPort`.
 *
 * @example
 * ```ts
 * import { startHmbServer } from 'hmb-rx/server';
 * import { startFaultProxy } from 'hmb-rx/testing';
 * const bus = await startHmbServer({ port: 0 });
 * const proxy = await startFaultProxy({ targetPort: bus.port });
 * const client = new HmbClient(`${proxy.url}/test`);
 * proxy.cutResponses((n) => (n % 2 === 0 ? 300 : undefined)); // every other connection dies after 300 bytes
 * ```
 */
export async function startFaultProxy(options: HmbFaultProxyOptions): Promise<HmbFaultProxy> {
  const targetHost = options.targetHost ?? '127.0.0.1';
  const pairs = new Set<Pair>();
  let total = 0;
  let plan: HmbCutPlan | undefined;
  let refusing = false;

  const destroyPair = (pair: Pair, mode: 'reset' | 'close'): void => {
    pairs.delete(pair);
    if (mode === 'reset') {
      pair.client.resetAndDestroy();
      pair.upstream.resetAndDestroy();
    } else {
      pair.client.destroySoon();
      pair.upstream.destroy();
    }
  };

  const forwardToClient = (pair: Pair, data: Buffer): void => {
    if (pair.cutAt !== undefined && pair.fromServer + data.length >= pair.cutAt) {
      const keep = Math.max(0, pair.cutAt - pair.fromServer);
      pair.fromServer += keep;
      if (keep > 0) pair.client.write(data.subarray(0, keep));
      destroyPair(pair, 'reset');
      return;
    }
    pair.fromServer += data.length;
    pair.client.write(data);
  };

  const server: Server = createServer((client) => {
    const index = total++;
    if (refusing) {
      client.resetAndDestroy();
      return;
    }
    const upstream = new Socket();
    const pair: Pair = {
      client,
      upstream,
      index,
      fromServer: 0,
      cutAt: plan?.(index),
      stalled: false,
      held: { toServer: [], toClient: [] },
    };
    pairs.add(pair);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    upstream.connect(options.targetPort, targetHost);
    client.on('data', (data: Buffer) => {
      if (pair.stalled) pair.held.toServer.push(data);
      else upstream.write(data);
    });
    upstream.on('data', (data: Buffer) => {
      if (pair.stalled) pair.held.toClient.push(data);
      else forwardToClient(pair, data);
    });
    const end = (): void => {
      if (!pairs.has(pair)) return;
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string')
    throw new Error('fault proxy: no TCP address');

  return {
    url: `http://${options.host ?? '127.0.0.1'}:${address.port}`,
    port: address.port,
    get totalConnections() {
      return total;
    },
    get openConnections() {
      return pairs.size;
    },
    cutAll: (mode = 'reset') => {
      for (const pair of [...pairs]) destroyPair(pair, mode);
    },
    cutResponses: (next) => {
      plan = next;
    },
    stall: () => {
      for (const pair of pairs) pair.stalled = true;
    },
    resume: () => {
      for (const pair of [...pairs]) {
        pair.stalled = false;
        for (const data of pair.held.toServer.splice(0)) pair.upstream.write(data);
        for (const data of pair.held.toClient.splice(0))
          if (pairs.has(pair)) forwardToClient(pair, data);
      }
    },
    refuse: (on) => {
      refusing = on;
    },
    close: async () => {
      for (const pair of [...pairs]) destroyPair(pair, 'reset');
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
