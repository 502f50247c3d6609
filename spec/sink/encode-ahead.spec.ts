import type { IncomingMessage, ServerResponse } from 'node:http';
import { HmbClient } from '../../src/node';
import type { HmbInvalidMessageError } from '../../src/errors/invalid-message-error';
import type { HmbSendResult } from '../../src/sink/send-result';
import { startScriptedServer, type ScriptedServer } from '../helpers/scripted-server';

// While one batch is on the wire the sink encodes the next full one (issue 18). What a user sees
// must not change: batches as large as what was queued when they were taken, results in queue
// order, refusals of messages changed after next() at their place, and abort() reporting the
// batch on the wire as unknown and everything after it (encoded ahead or not) as failed.

let server: ScriptedServer | undefined;
let client: HmbClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

type Data = Record<string, unknown> & { i: number };

/** A bus that records each /send's messages (JSON bodies) and answers when the test says so. */
async function holdingBus(): Promise<{
  readonly bodies: number[][];
  /** Answers the oldest /send waiting for its answer; resolves once one is waiting. */
  answerNext(): Promise<void>;
}> {
  const bodies: number[][] = [];
  const waiting: ServerResponse[] = [];
  let arrived: (() => void) | undefined;
  server = await startScriptedServer({
    open: (_req: IncomingMessage, res: ServerResponse) =>
      void res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ sid: 'S1', cid: 'c', queue: {} })),
    send: (_req: IncomingMessage, res: ServerResponse, body: Buffer) => {
      const list = JSON.parse(body.toString()) as Record<string, { data: Data }>;
      bodies.push(Object.values(list).map((m) => m.data.i));
      waiting.push(res);
      arrived?.();
    },
  });
  return {
    bodies,
    async answerNext() {
      while (waiting.length === 0) await new Promise<void>((resolve) => (arrived = resolve));
      waiting.shift()!.writeHead(204).end();
    },
  };
}

const message = (i: number): { type: string; queue: string; data: Data } => ({
  type: 'T',
  queue: 'Q',
  data: { i },
});

describe('sink: the next batch is encoded while one is on the wire', () => {
  it('sink: batches are full when a backlog waits, and messages that arrive during a request still join the next batch', async () => {
    const bus = await holdingBus();
    client = new HmbClient(`${server!.url}/b`, { format: 'json' });
    const sink = client.sink<Data>({ maxBatchMessages: 4, keepAliveSec: 0 });
    for (let i = 0; i < 10; i++) sink.next(message(i));
    await bus.answerNext();
    // Batch [4..7] was encoded ahead while [0..3] was on the wire; [8, 9] was not full, so it
    // waits for the messages that come in now.
    for (let i = 10; i < 13; i++) sink.next(message(i));
    await bus.answerNext();
    await bus.answerNext();
    sink.complete();
    await bus.answerNext();
    const summary = await sink.done;
    expect(summary).toMatchObject({ sent: 13, failed: 0, refused: 0, requests: 4 });
    expect(bus.bodies).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11], [12]]);
  });

  it('sink: a message changed after next() is refused in queue order, between the batch before it and the one after', async () => {
    const bus = await holdingBus();
    client = new HmbClient(`${server!.url}/b`, { format: 'json' });
    const sink = client.sink<Data>({ maxBatchMessages: 2, keepAliveSec: 0 });
    const results: HmbSendResult<Data>[] = [];
    sink.results.subscribe((r) => results.push(r));
    const messages = Array.from({ length: 7 }, (_, i) => message(i));
    for (const m of messages) sink.next(m);
    // [0, 1] goes out first; 2 is changed before the batch after it is encoded (ahead).
    messages[2]!.data['f'] = () => 2;
    sink.complete();
    for (let k = 0; k < 3; k++) await bus.answerNext();
    const summary = await sink.done;
    expect(summary).toMatchObject({ sent: 6, refused: 1 });
    expect(bus.bodies).toEqual([
      [0, 1],
      [3, 4],
      [5, 6],
    ]);
    expect(
      results.map((r) =>
        r.kind === 'refused'
          ? ['refused', r.message.data!.i, (r.error as HmbInvalidMessageError).path]
          : [r.kind, r.messages.map((m) => m.data!.i)],
      ),
    ).toEqual([
      ['sent', [0, 1]],
      ['refused', 2, 'data.f'],
      ['sent', [3, 4]],
      ['sent', [5, 6]],
    ]);
  });

  it('sink: abort() while a batch encoded ahead waits reports the one on the wire as unknown and the rest, in order, as failed', async () => {
    await holdingBus();
    let sendSeen!: () => void;
    const sendStarted = new Promise<void>((resolve) => (sendSeen = resolve));
    const requests = server!.requests;
    client = new HmbClient(`${server!.url}/b`, { format: 'json' });
    const sink = client.sink<Data>({ maxBatchMessages: 2, keepAliveSec: 0 });
    const results: HmbSendResult<Data>[] = [];
    sink.results.subscribe((r) => results.push(r));
    for (let i = 0; i < 7; i++) sink.next(message(i));
    const poll = setInterval(() => {
      if (requests.some((r) => r.includes('/send/'))) sendSeen();
    }, 5);
    await sendStarted;
    clearInterval(poll);
    // Let the batch after it be encoded (that waits for the I/O phase after the request).
    await new Promise((resolve) => setImmediate(resolve));
    sink.abort();
    const summary = await sink.done;
    expect(summary).toMatchObject({ sent: 0, unknown: 2, failed: 5 });
    expect(
      results.map((r) => [r.kind, r.kind === 'refused' ? [] : r.messages.map((m) => m.data!.i)]),
    ).toEqual([
      ['unknown', [0, 1]],
      ['failed', [2, 3, 4, 5, 6]],
    ]);
    expect(requests.filter((r) => r.includes('/send/'))).toHaveLength(1);
  });
});
