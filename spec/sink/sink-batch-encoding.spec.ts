import { lastValueFrom, toArray } from 'rxjs';
import { HmbClient } from '../../src/node';
import type { HmbInvalidMessageError } from '../../src/errors/invalid-message-error';
import type { HmbSendResult } from '../../src/sink/send-result';
import { startTestBus, type TestBus } from '../helpers/test-bus';

// The sink checks a message in next() and encodes it when its batch goes out (issue 18): a
// message changed in between must be refused then, not sent unchecked, and the others still go.

let bus: TestBus;
let client: HmbClient | undefined;
afterEach(async () => {
  await client?.close();
  await bus?.close();
});

describe.each(['json', 'bson'] as const)('sink batch encoding (%s)', (format) => {
  it('sink: a message made invalid after next() is refused when its batch is encoded; the rest arrive once, in order', async () => {
    bus = await startTestBus();
    client = new HmbClient(bus.url, { format });
    const sink = client.sink<Record<string, unknown>>({ maxBatchMessages: 3 });
    const results: HmbSendResult<Record<string, unknown>>[] = [];
    sink.results.subscribe((r) => results.push(r));
    const messages = Array.from({ length: 8 }, (_, i) => ({
      type: 'T',
      queue: 'CHANGED',
      data: { i } as Record<string, unknown>,
    }));
    for (const m of messages) sink.next(m);
    // Before the sink's first batch is built (one microtask later): 0 and 4 become unencodable.
    messages[0]!.data['f'] = () => 1;
    messages[4]!.data['m'] = new Map();
    sink.complete();
    const summary = await sink.done;
    expect(summary).toMatchObject({ sent: 6, refused: 2, failed: 0 });
    const refused = results.filter((r) => r.kind === 'refused');
    expect(refused.map((r) => (r.error as HmbInvalidMessageError).path)).toEqual([
      'data.f',
      'data.m',
    ]);
    const reader = new HmbClient(bus.url, { format });
    try {
      const back = await lastValueFrom(
        reader.recvAll<{ i: number }>({ queue: { CHANGED: { seq: 0 } } }).pipe(toArray()),
      );
      expect(back.map((m) => m.data!.i)).toEqual([1, 2, 3, 5, 6, 7]);
    } finally {
      await reader.close();
    }
  });
});
