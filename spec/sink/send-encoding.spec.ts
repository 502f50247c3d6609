import { HmbClient } from '../../src/node';
import type { HmbOutgoing } from '../../src/protocol/outgoing';
import { startTestBus, type TestBus } from '../helpers/test-bus';

let bus: TestBus;
let client: HmbClient;

afterEach(async () => {
  await client?.close();
  await bus?.close();
});

/** Messages whose data counts how often an encoder reads it. */
function counted(n: number): { messages: HmbOutgoing[]; reads: () => number } {
  let reads = 0;
  const messages = Array.from({ length: n }, (_, i) => {
    const data = {};
    Object.defineProperty(data, 'i', {
      enumerable: true,
      get: () => {
        reads++;
        return i;
      },
    });
    return { type: 'T', queue: 'E', data };
  });
  return { messages, reads: () => reads };
}

describe.each(['json', 'bson'] as const)(
  'sink: send() encodes each message once (%s)',
  (format) => {
    it('sink: send() checks and encodes each message in one pass: fewer reads than a sink, which also checks at next() (send() used to encode twice)', async () => {
      bus = await startTestBus();
      client = new HmbClient(bus.url, { format });
      const viaSink = counted(50);
      const sink = client.sink();
      for (const m of viaSink.messages) sink.next(m);
      sink.complete();
      expect(await sink.done).toMatchObject({ sent: 50 });
      const viaSend = counted(50);
      expect(await client.send(viaSend.messages)).toMatchObject({ sent: 50 });
      expect(viaSink.reads()).toBeGreaterThanOrEqual(50);
      // The sink checks each message at next() and again as its batch is encoded; send() checks
      // them all as it encodes its one batch, before any is sent.
      expect(viaSend.reads()).toBeLessThan(viaSink.reads());
      expect(viaSend.reads() % 50).toBe(0);
    });
  },
);
