// The embedded bus in a child process of its own (started by server-child.ts), so that a test can
// kill it with SIGKILL, bound its heap, or read its memory without the test runner's own.
import { startHmbServer, type HmbServerOptions } from '../../src/server';

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as HmbServerOptions;
  const server = await startHmbServer({
    ...options,
    logger: (event) => process.send?.({ log: event }),
  });
  process.on('message', (raw) => {
    const req = raw as { op: 'memory' | 'stop' };
    if (req.op === 'memory') {
      (globalThis as { gc?: () => void }).gc?.();
      const { heapUsed, rss } = process.memoryUsage();
      process.send?.({ memory: { heapUsed, rss } });
    } else {
      void server.close().then(() => process.exit(0));
    }
  });
  process.send?.({ url: server.url });
}

void main();
