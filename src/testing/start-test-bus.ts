import { startHmbServer, type HmbServerHandle, type HmbServerOptions } from '../server/index';

/** An embedded bus for one test: the server and the URL of a bus on it. */
export interface HmbTestBus {
  readonly server: HmbServerHandle;
  /** `http://127.0.0.1:PORT/<bus>`: give it to `new HmbClient(url)`. */
  readonly url: string;
  /** Stops the server (answers blocked polls, frees the port and every timer). */
  close(): Promise<void>;
}

let counter = 0;

/**
 * Starts an embedded HMB bus on a free loopback port, for one test. Each call names a fresh bus
 * unless `bus` is given. Close it in `afterEach`.
 *
 * @example
 * ```ts
 * import { startTestBus } from 'hmb-rx/testing';
 * let bus: HmbTestBus;
 * beforeEach(async () => (bus = await startTestBus()));
 * afterEach(() => bus.close());
 * it('receives alerts', async () => {
 *   const client = new HmbClient(bus.url);
 *   // … publish, subscribe, assert …
 *   await client.close();
 * });
 * ```
 */
export async function startTestBus(
  options: HmbServerOptions = {},
  bus?: string,
): Promise<HmbTestBus> {
  const server = await startHmbServer({ port: 0, ...options });
  const name = bus ?? `test${++counter}`;
  return { server, url: `${server.url}/${name}`, close: () => server.close() };
}
