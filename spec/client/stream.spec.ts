import { firstValueFrom, lastValueFrom, take, timeout, toArray } from 'rxjs';
import { HmbClient } from '../../src/node';
import { numbered, publish } from '../helpers/publish';
import { startReverseProxy, type ReverseProxy } from '../helpers/reverse-proxy';
import { startTestBus, type TestBus } from '../helpers/test-bus';

let bus: TestBus;
let client: HmbClient;
let proxy: ReverseProxy | undefined;

afterEach(async () => {
  await client?.close();
  await proxy?.close();
  proxy = undefined;
  await bus?.close();
});

describe.each(['json', 'bson'] as const)('client /stream (%s)', (format) => {
  beforeEach(async () => {
    bus = await startTestBus();
    client = new HmbClient(bus.url, { format });
  });

  it('stream: a window is delivered once, in order, and completes at EOF', async () => {
    await publish(bus.url, numbered('Q', 500), { format });
    const got = await lastValueFrom(
      client
        .recvAll<{ i: number }>({ queue: { Q: { seq: 0 } } }, { transport: 'stream' })
        .pipe(toArray()),
    );
    expect(got.map((m) => m.seq)).toEqual(Array.from({ length: 500 }, (_, i) => i));
  });

  it('stream: live messages arrive on the open stream, heartbeats included when asked for', async () => {
    await publish(bus.url, numbered('Q', 1), { format });
    let opened!: () => void;
    const isOpen = new Promise<void>((r) => (opened = r));
    const received = firstValueFrom(
      client
        .subscribe(
          { queue: { Q: {} }, heartbeat: 1 },
          { transport: 'stream', heartbeats: true, onState: (s) => s.type === 'open' && opened() },
        )
        .pipe(take(4), toArray(), timeout(6000)),
    );
    await isOpen;
    await publish(bus.url, numbered('Q', 2, 10), { format });
    await new Promise((r) => setTimeout(r, 1300));
    await publish(bus.url, numbered('Q', 1, 20), { format });
    const got = await received;
    expect(got.map((f) => (f.kind === 'message' ? f.seq : 'HB'))).toEqual([1, 2, 'HB', 3]);
  });

  it("stream: 'auto' streams when /features lists STREAM", async () => {
    await publish(bus.url, numbered('Q', 10), { format });
    const got = await lastValueFrom(
      client.recvAll({ queue: { Q: { seq: 0 } } }, { transport: 'auto' }).pipe(toArray()),
    );
    expect(got).toHaveLength(10);
  });

  it("stream: 'auto' falls back to polling behind a proxy that buffers whole responses", async () => {
    proxy = await startReverseProxy({ targetPort: bus.server.port, buffer: true });
    const busName = bus.url.split('/').pop()!;
    const c = new HmbClient(`${proxy.url}/${busName}`, { format, retry: { initialDelayMs: 10 } });
    await publish(bus.url, numbered('Q', 3), { format });
    const states: string[] = [];
    try {
      const got = await firstValueFrom(
        c
          .subscribe(
            { queue: { Q: { seq: 0 } }, heartbeat: 1 },
            { transport: 'auto', onState: (s) => states.push(s.type) },
          )
          .pipe(take(3), toArray(), timeout(20_000)),
      );
      expect(got.map((m) => m.seq)).toEqual([0, 1, 2]);
      // Two stream sessions delivered nothing (the watchdog gave up on them), then polling worked.
      expect(states.filter((s) => s === 'lost').length).toBe(2);
    } finally {
      await c.close();
    }
  }, 30_000);
});
