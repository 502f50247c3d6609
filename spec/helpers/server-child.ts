// Starts the embedded bus in a child process (server-child-main.ts, run through tsx) and talks to
// it over IPC: for crash tests (SIGKILL), memory bounds and measurements of one process alone.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { HmbServerLogEvent, HmbServerOptions } from '../../src/server';

/** Heap after a full GC and resident set size of the child, in bytes. */
export interface ChildMemory {
  readonly heapUsed: number;
  readonly rss: number;
}

/** A bus running in a child process. */
export interface ServerChild {
  /** Base URL, e.g. `http://127.0.0.1:40213`. */
  readonly url: string;
  readonly process: ChildProcess;
  /** Log events received so far. */
  readonly events: HmbServerLogEvent[];
  /** Heap (after GC) and RSS of the child. */
  memory(): Promise<ChildMemory>;
  /** Resolves with the exit code or signal once the child is gone. */
  readonly exited: Promise<number | NodeJS.Signals | null>;
  /** `kill -9`: no shutdown, no flush. */
  kill(): Promise<void>;
  /** Graceful close, then exit. */
  stop(): Promise<void>;
}

/**
 * Forks a bus process with these options (`port` defaults to 0). `nodeArgs` go to node, e.g.
 * `--max-old-space-size=256` to bound the heap.
 */
export async function startServerChild(
  options: HmbServerOptions = {},
  nodeArgs: readonly string[] = [],
): Promise<ServerChild> {
  const child = fork(
    join(__dirname, 'server-child-main.ts'),
    [JSON.stringify({ port: 0, ...options })],
    {
      execArgv: ['--import', 'tsx', '--expose-gc', ...nodeArgs],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code)),
  );
  const events: HmbServerLogEvent[] = [];
  let onMemory: ((m: ChildMemory) => void) | undefined;
  child.on('message', (raw) => {
    const m = raw as { log?: HmbServerLogEvent; memory?: ChildMemory };
    if (m.log !== undefined) events.push(m.log);
    if (m.memory !== undefined) onMemory?.(m.memory);
  });
  const url = await new Promise<string>((resolve, reject) => {
    const onMessage = (raw: unknown): void => {
      const m = raw as { url?: string };
      if (m.url === undefined) return;
      child.off('message', onMessage);
      resolve(m.url);
    };
    child.on('message', onMessage);
    void exited.then((code) =>
      reject(new Error(`bus process exited with ${String(code)} before listening: ${stderr}`)),
    );
  });
  return {
    url,
    process: child,
    events,
    exited,
    memory: () =>
      new Promise<ChildMemory>((resolve, reject) => {
        onMemory = resolve;
        child.send({ op: 'memory' }, (err) => {
          if (err !== null) reject(err);
        });
        void exited.then((code) => reject(new Error(`bus process exited with ${String(code)}`)));
      }),
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.send({ op: 'stop' });
      await exited;
    },
  };
}
