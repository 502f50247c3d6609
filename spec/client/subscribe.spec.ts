import { firstValueFrom, lastValueFrom, take, timeout, toArray } from 'rxjs';
import { HmbClient } from '../../src/node';
import { isHmbError } from '../../src/errors/hmb-error';
import type { HmbMessage } from '../../src/protocol/message';
import type { HmbConnectionState } from '../../src/session/connection-state';
import { numbered, publish } from '../helpers/publish';
import { startTestBus, type TestBus } from '../helpers/test-bus';

let bus: TestBus;
let client: HmbClient;

afterEach(async () => {
  await client?.close();
  await bus?.close();
});

const formats = ['json', 'bson'] as const;

describe.each(formats)('client subscribe (%s)', (format) => {
  beforeEach(async () => {
    bus = await startTestBus();
    client = new HmbClient(bus.url, { format });
  });

  it('client: a window with keep:false delivers every message once, in order, then completes at EOF', async () => {
    await publish(bus.url, numbered('Q', 300), { format });
    const got = await lastValueFrom(
      client.recvAll<{ i: number }>({ queue: { Q: { seq: 0 } } }).pipe(toArray()),
    );
    expect(got.map((m) => m.seq)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect(got.map((m) => m.data?.i)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect(got[0]).toMatchObject({ kind: 'message', type: 'T', queue: 'Q' });
    expect(typeof got[0]!.sender).toBe('string');
  });

  it('client: negative seq counts back from the end', async () => {
    await publish(bus.url, numbered('Q', 10), { format });
    const last = await lastValueFrom(client.recvAll({ queue: { Q: { seq: -5 } } }).pipe(toArray()));
    expect(last.map((m) => m.seq)).toEqual([6, 7, 8, 9]);
    const only = await lastValueFrom(client.recvAll({ queue: { Q: { seq: -2 } } }).pipe(toArray()));
    expect(only.map((m) => m.seq)).toEqual([9]);
  });

  it('client: absolute seq with endseq ends with EOF even with keep:true once the window is passed', async () => {
    await publish(bus.url, numbered('Q', 30), { format });
    const got = await lastValueFrom(
      client
        .subscribe({ queue: { Q: { seq: 10, endseq: 19, keep: true } } })
        .pipe(toArray(), timeout(5000)),
    );
    expect(got.map((m) => m.seq)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  });

  it('client: topics with wildcards and ! negation', async () => {
    const topics = ['T0', 'T1', 'T2', 'T10', 'X1'];
    await publish(
      bus.url,
      topics.map((topic) => ({ type: 'T', queue: 'Q', topic, data: { topic } })),
      { format },
    );
    const pick = async (patterns: string[]): Promise<(string | undefined)[]> =>
      (
        await lastValueFrom(
          client.recvAll({ queue: { Q: { seq: 0, topics: patterns } } }).pipe(toArray()),
        )
      ).map((m) => m.topic);
    expect(await pick(['T*', '!T1'])).toEqual(['T0', 'T2', 'T10']);
    expect(await pick(['T?'])).toEqual(['T0', 'T1', 'T2']);
    expect(await pick(['!T*'])).toEqual(['X1']);
    // Each pattern is anchored on its own: T1 and T2 do not let T10 through.
    expect(await pick(['T1', 'T2'])).toEqual(['T1', 'T2']);
  });

  it('client: server-side filters', async () => {
    await publish(bus.url, numbered('Q', 20), { format });
    const got = await lastValueFrom(
      client
        .recvAll<{ i: number }>({ queue: { Q: { seq: 0, filter: { 'data.i': { $gte: 15 } } } } })
        .pipe(toArray()),
    );
    expect(got.map((m) => m.data?.i)).toEqual([15, 16, 17, 18, 19]);
  });

  it('client: several queues in one subscription, each in order', async () => {
    await publish(bus.url, [...numbered('A', 50), ...numbered('B', 50)], { format });
    const got = await lastValueFrom(
      client.recvAll({ queue: { A: { seq: 0 }, B: { seq: 0 } } }).pipe(toArray()),
    );
    expect(got.filter((m) => m.queue === 'A').map((m) => m.seq)).toEqual(
      Array.from({ length: 50 }, (_, i) => i),
    );
    expect(got.filter((m) => m.queue === 'B').map((m) => m.seq)).toEqual(
      Array.from({ length: 50 }, (_, i) => i),
    );
  });

  it('client: follows live messages sent after the session opened', async () => {
    await publish(bus.url, numbered('Q', 3), { format });
    const states: HmbConnectionState['type'][] = [];
    let opened!: () => void;
    const isOpen = new Promise<void>((r) => (opened = r));
    const received = firstValueFrom(
      client
        .subscribe(
          { queue: { Q: {} } },
          { onState: (s) => (states.push(s.type), s.type === 'open' && opened()) },
        )
        .pipe(take(5), toArray(), timeout(5000)),
    );
    await isOpen;
    await publish(bus.url, numbered('Q', 5, 100), { format });
    const got = await received;
    expect(got.map((m) => m.seq)).toEqual([3, 4, 5, 6, 7]);
    expect(states).toEqual(['opening', 'open', 'closed']);
  });

  it('client: heartbeats are filtered out by default and kept on request', async () => {
    await publish(bus.url, numbered('Q', 1), { format });
    const kept = await firstValueFrom(
      client
        .subscribe({ queue: { Q: {} }, heartbeat: 1 }, { heartbeats: true })
        .pipe(take(2), toArray(), timeout(4000)),
    );
    expect(kept).toEqual([
      { kind: 'heartbeat', type: 'HEARTBEAT' },
      { kind: 'heartbeat', type: 'HEARTBEAT' },
    ]);
    const seen: unknown[] = [];
    const sub = client.subscribe({ queue: { Q: {} }, heartbeat: 1 }).subscribe((m) => seen.push(m));
    await new Promise((r) => setTimeout(r, 2300));
    sub.unsubscribe();
    expect(seen).toEqual([]);
  });

  it('client: subscribeDefaults apply to subscribe as to events (heartbeats kept by default)', async () => {
    await publish(bus.url, numbered('Q', 1), { format });
    const keeping = new HmbClient(bus.url, { format, subscribeDefaults: { heartbeats: true } });
    try {
      const first = await firstValueFrom(
        keeping.subscribe({ queue: { Q: {} }, heartbeat: 1 }).pipe(timeout(4000)),
      );
      expect(first).toEqual({ kind: 'heartbeat', type: 'HEARTBEAT' });
    } finally {
      await keeping.close();
    }
  });

  it('client: a queue that does not exist errors with HmbQueueNotFoundError naming it', async () => {
    const error = await lastValueFrom(client.subscribe({ queue: { NOPE: {} } })).catch(
      (e: unknown) => e,
    );
    expect(isHmbError(error, 'HMB_ERR_QUEUE_NOT_FOUND')).toBe(true);
    expect(error).toMatchObject({ queue: 'NOPE', bus: bus.url });
  });

  it('client: a topic pattern the server refuses is a typed, fatal error before anything is sent', async () => {
    const error = await lastValueFrom(client.subscribe({ queue: { Q: { topics: [''] } } })).catch(
      (e: unknown) => e,
    );
    expect(isHmbError(error, 'HMB_ERR_BAD_PARAM')).toBe(true);
  });

  it('client: info, features and status emit one value and complete', async () => {
    await publish(bus.url, numbered('Q', 4), { format });
    const info = await lastValueFrom(client.info().pipe(toArray()));
    expect(info).toHaveLength(1);
    expect(info[0]!.queue['Q']).toMatchObject({ startseq: 0, endseq: 4 });
    const features = await lastValueFrom(client.features());
    expect(features.capabilities).toEqual(
      expect.arrayContaining(['JSON', 'BSON', 'INFO', 'STREAM', 'WINDOW', 'FILTER', 'OOD']),
    );
    const status = await lastValueFrom(client.status());
    expect(typeof status.session).toBe('object');
  });

  it('client: payload types survive the bus', async () => {
    const data = {
      s: 'ü日本',
      n: 1.5,
      neg: -3,
      t: true,
      nil: null,
      arr: [1, 'two', { three: 3 }],
      deep: { a: { b: { c: 'd' } } },
    };
    await publish(bus.url, [{ type: 'T', queue: 'Q', data }], { format });
    const [m] = await lastValueFrom(
      client.recvAll<typeof data>({ queue: { Q: { seq: 0 } } }).pipe(toArray()),
    );
    expect((m as HmbMessage<typeof data>).data).toEqual(data);
  });
});
