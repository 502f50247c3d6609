// Starts the embedded bus in a child process (bus-child.ts) and talks to it over IPC.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { HmbServerOptions } from '../../src/server';
import type { HeapFigures } from './gc';

/** What the benchmark asks of the bus process. */
export type BusRequest =
  | { readonly op: 'cpu' }
  | { readonly op: 'memory' }
  | {
      readonly op: 'fill';
      readonly bus: string;
      readonly queue: string;
      readonly count: number;
      readonly pad: number;
      readonly batch: number;
      readonly first?: number;
    }
  | {
      readonly op: 'publish';
      readonly bus: string;
      readonly queue: string;
      readonly count: number;
      readonly pad: number;
      readonly batch: number;
      readonly window: number;
    }
  | { readonly op: 'ack'; readonly received: number }
  | { readonly op: 'stop' };

/** The bus process's answer to a request. */
export type BusReply = { readonly id: number; readonly value?: unknown; readonly error?: string };

/** The embedded bus running in a child process. */
export interface BusProcess {
  /** Base URL, e.g. `http://127.0.0.1:40213`; append `/{bus}`. */
  readonly url: string;
  /** The bus process's CPU time so far (user + system), in µs. */
  cpuUs(): Promise<number>;
  /** The bus process's heap after GC and RSS. */
  memory(): Promise<HeapFigures>;
  /** Publishes messages `first`… to `bus`/`queue` in JSON bodies of `batch` (not timed by the caller). */
  fill(bus: string, queue: string, count: number, pad: number, batch?: number): Promise<void>;
  /** Publishes `count` messages, staying at most `window` ahead of the counts passed to `ack`. */
  publish(
    bus: string,
    queue: string,
    count: number,
    pad: number,
    batch: number,
    window: number,
  ): Promise<void>;
  /** Tells a running `publish` how many messages the benchmark has received. */
  ack(received: number): void;
  stop(): Promise<void>;
}

/** Starts a bus process with these server options (`port` is always 0). */
export async function startBusProcess(options: HmbServerOptions = {}): Promise<BusProcess> {
  const child: ChildProcess = fork(join(__dirname, 'bus-child.ts'), [JSON.stringify(options)], {
    // The tsx loader this process runs under, so that the child can load TypeScript too.
    execArgv: [...process.execArgv.filter((a) => !a.startsWith('--cpu-prof')), '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bus process exited with ${code}`)));
    child.once('message', (m) => resolve((m as { port: number }).port));
  });
  child.removeAllListeners('exit');
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  child.on('message', (m) => {
    const reply = m as BusReply;
    const waiter = pending.get(reply.id);
    if (waiter === undefined) return;
    pending.delete(reply.id);
    if (reply.error !== undefined) waiter.reject(new Error(`bus process: ${reply.error}`));
    else waiter.resolve(reply.value);
  });
  const call = <T>(req: BusRequest): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ ...req, id });
    });
  return {
    url: `http://127.0.0.1:${port}`,
    cpuUs: () => call<number>({ op: 'cpu' }),
    memory: () => call<HeapFigures>({ op: 'memory' }),
    fill: async (bus, queue, count, pad, batch = 1_000) => {
      await call({ op: 'fill', bus, queue, count, pad, batch });
    },
    publish: async (bus, queue, count, pad, batch, window) => {
      await call({ op: 'publish', bus, queue, count, pad, batch, window });
    },
    ack: (received) => {
      child.send({ op: 'ack', received, id: 0 });
    },
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await call({ op: 'stop' }).catch(() => undefined);
      await exited;
    },
  };
}
