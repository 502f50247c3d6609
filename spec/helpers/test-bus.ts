import {
  startHmbServer,
  type HmbServerHandle,
  type HmbServerOptions,
} from '../../src/server/index';

/** An embedded bus for one test, with a bus URL ready to use. */
export interface TestBus {
  readonly server: HmbServerHandle;
  /** `http://127.0.0.1:PORT/<bus>` */
  readonly url: string;
  close(): Promise<void>;
}

let busCounter = 0;

/** Starts an embedded bus on a free port; each call names a fresh bus. */
export async function startTestBus(options: HmbServerOptions = {}, bus?: string): Promise<TestBus> {
  const server = await startHmbServer({ port: 0, ...options });
  const name = bus ?? `test${++busCounter}`;
  return { server, url: `${server.url}/${name}`, close: () => server.close() };
}
