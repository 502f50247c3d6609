import { firstValueFrom, from, lastValueFrom, range, map, toArray } from 'rxjs';
import { HmbClient } from '../../src/node';
import { isHmbError } from '../../src/errors/hmb-error';
import type { HmbOutgoing } from '../../src/protocol/outgoing';
import type { HmbSendResult } from '../../src/sink/send-result';
import { startFaultProxy, type HmbFaultProxy } from '../../src/testing/fault-proxy';
import { readBack } from '../helpers/publish';
import { startScriptedServer, type ScriptedServer } from '../helpers/scripted-server';
import { startTestBus, type TestBus } from '../helpers/test-bus';
import { until, VirtualClock } from '../helpers/virtual-clock';

let bus: TestBus;
let client: HmbClient;
let proxy: HmbFaultProxy | undefined;

afterEach(async () => {
  await client?.close();
  await proxy?.close();
  proxy = undefined;
  await bus?.close();
});

const numbered = (queue: string, i: number): HmbOutgoing<{ i: number }> => ({
  type: 'T',
  queue,
  data: { i },
});

describe.each(['json', 'bson'] as const)('sink (%s)', (format) => {
  beforeEach(async () => {
    bus = await startTestBus({ queueLimit: 200_000 });
    client = new HmbClient(bus.url, { format });
  });

  it('sink: 100,000 messages piped through arrive once, in order, in far fewer /send calls', async () => {
    const sink = client.sink<{ i: number }>();
    const failures: HmbSendResult[] = [];
    sink.results.subscribe((r) => r.kind !== 'sent' && failures.push(r));
    range(0, 100_000)
      .pipe(map((i) => numbered('BULK', i)))
      .subscribe(sink);
    const summary = await sink.done;
    expect(failures).toEqual([]);
    expect(summary).toMatchObject({
      sent: 100_000,
      failed: 0,
      refused: 0,
      unknown: 0,
      uncertain: 0,
    });
    expect(summary.requests).toBeLessThan(1_000);
    // done settles only after the last batch is acknowledged: everything is on the bus already.
    const info = await firstValueFrom(client.info());
    expect(info.queue['BULK']!.endseq).toBe(100_000);
    const back = await readBack(bus.url, 'BULK', 'bson');
    expect(back).toEqual(Array.from({ length: 100_000 }, (_, i) => i));
  }, 180_000);

  it('sink: invalid messages are refused with a typed error naming them; the valid ones go out', async () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    const sink = client.sink<{ i: number }>();
    const refused: HmbSendResult[] = [];
    sink.results.subscribe((r) => r.kind === 'refused' && refused.push(r));
    const bad: unknown[] = [
      { queue: 'Q', data: 1 },
      { type: '', queue: 'Q' },
      { type: 'EOF', queue: 'Q' },
      { type: 'NEW_QUEUE', queue: 'Q' },
      { type: 'HEARTBEAT', queue: 'Q' },
      { type: 'T' },
      { type: 'T', queue: 'Q', topic: 'bad topic' },
      { type: 'T', queue: 'Q', seq: -1 },
      { type: 'T', queue: 'Q', starttime: '2020-01-01T00:00:00+00:00' },
      { type: 'T', queue: 'Q', data: cyclic },
    ];
    sink.next(numbered('Q', 0));
    for (const b of bad) sink.next(b as HmbOutgoing<{ i: number }>);
    sink.next(numbered('Q', 1));
    sink.complete();
    const summary = await sink.done;
    expect(summary).toMatchObject({ sent: 2, refused: bad.length });
    expect(refused).toHaveLength(bad.length);
    for (const [k, r] of refused.entries()) {
      if (r.kind !== 'refused') throw new Error('expected refused');
      expect(isHmbError(r.error, 'HMB_ERR_INVALID_MESSAGE')).toBe(true);
      expect(r.message).toBe(bad[k]);
    }
    expect(await readBack(bus.url, 'Q', 'bson')).toEqual([0, 1]);
  });

  it('sink: complete() flushes what was accepted; messages after it are refused as closed', async () => {
    const sink = client.sink<{ i: number }>();
    const results: HmbSendResult[] = [];
    sink.results.subscribe((r) => results.push(r));
    for (let i = 0; i < 10; i++) sink.next(numbered('Q', i));
    sink.complete();
    sink.next(numbered('Q', 10));
    const summary = await sink.done;
    expect(summary).toMatchObject({ sent: 10, refused: 1 });
    expect(results.find((r) => r.kind === 'refused')).toMatchObject({
      error: { code: 'HMB_ERR_CLOSED' },
    });
  });

  it('sink: error() also flushes what was accepted', async () => {
    const sink = client.sink<{ i: number }>();
    from([0, 1, 2])
      .pipe(map((i) => numbered('Q', i)))
      .subscribe({
        next: (m) => sink.next(m),
        complete: () => sink.error(new Error('upstream broke')),
      });
    expect((await sink.done).sent).toBe(3);
    expect(sink.endedWith).toEqual(new Error('upstream broke'));
    expect(await readBack(bus.url, 'Q', 'bson')).toEqual([0, 1, 2]);
  });

  it('sink: a bus that cannot be reached fills the bounded buffer; what does not fit is refused, not dropped', async () => {
    const url = bus.url;
    await bus.close();
    const c = new HmbClient(url, { format });
    // Refused connections are real; the backoff between attempts passes in virtual time.
    const clock = new VirtualClock();
    const sink = c.sink<{ i: number }>({
      maxBufferedMessages: 5,
      retry: { initialDelayMs: 50, maxAttempts: 3 },
      scheduler: clock.scheduler,
    });
    const refused: HmbSendResult[] = [];
    sink.results.subscribe((r) => r.kind === 'refused' && refused.push(r));
    for (let i = 0; i < 8; i++) sink.next(numbered('Q', i));
    sink.complete();
    const summary = await clock.skipWaits(sink.done);
    await c.close();
    expect(refused.map((r) => r.kind === 'refused' && r.error.code)).toEqual([
      'HMB_ERR_BUFFER_FULL',
      'HMB_ERR_BUFFER_FULL',
      'HMB_ERR_BUFFER_FULL',
    ]);
    expect(summary).toMatchObject({ sent: 0, failed: 5, refused: 3, requests: 0 });
    bus = await startTestBus();
  });

  it('sink: a session the server forgot (restart) is reopened and the batch sent again', async () => {
    const port = bus.server.port;
    const sink = client.sink<{ i: number }>({ retry: { initialDelayMs: 20 } });
    let sent = 0;
    sink.results.subscribe((r) => r.kind === 'sent' && (sent += r.messages.length));
    for (let i = 0; i < 5; i++) sink.next(numbered('Q', i));
    // The first half is on the old bus before it stops.
    await until(() => sent === 5);
    await bus.close();
    bus = { ...(await startTestBus({ port }, bus.url.split('/').pop())) };
    for (let i = 5; i < 10; i++) sink.next(numbered('Q', i));
    sink.complete();
    const summary = await sink.done;
    expect(summary).toMatchObject({ sent: 10, failed: 0 });
    // The restarted bus (no persistence) holds the second half, once.
    expect(await readBack(bus.url, 'Q', 'bson')).toEqual([5, 6, 7, 8, 9]);
  });

  it('sink: a proxy cutting connections loses nothing reported as sent and doubles nothing reported as certain', async () => {
    proxy = await startFaultProxy({ targetPort: bus.server.port });
    const busName = bus.url.split('/').pop()!;
    const c = new HmbClient(`${proxy.url}/${busName}`, { format });
    // Every third connection dies after a few hundred bytes of answer (mid-headers or just after).
    proxy.cutResponses((n) => (n % 3 === 2 ? 40 + (n % 7) * 30 : undefined));
    const clock = new VirtualClock();
    const sink = c.sink<{ i: number }>({
      maxBatchMessages: 50,
      retry: { initialDelayMs: 5, maxDelayMs: 50 },
      scheduler: clock.scheduler,
    });
    const sent = new Map<number, boolean>();
    sink.results.subscribe((r) => {
      if (r.kind === 'sent') for (const m of r.messages) sent.set(m.data!.i, r.uncertain);
    });
    const N = 3000;
    for (let i = 0; i < N; i++) sink.next(numbered('CUT', i));
    sink.complete();
    const summary = await clock.skipWaits(sink.done);
    await c.close();
    expect(summary.sent).toBe(N);
    const back = await readBack(bus.url, 'CUT', 'bson');
    const seen = new Map<number, number>();
    for (const i of back) seen.set(i, (seen.get(i) ?? 0) + 1);
    for (const [i, uncertain] of sent) {
      expect(seen.get(i) ?? 0).toBeGreaterThanOrEqual(1);
      if (!uncertain) expect(seen.get(i)).toBe(1);
    }
    // Order is kept: the first occurrences appear in sending order.
    const firsts = back.filter((i, k) => back.indexOf(i) === k);
    expect(firsts).toEqual(Array.from({ length: N }, (_, i) => i));
  }, 60_000);

  it("sink: with uncertain:'report', what is reported sent is on the bus exactly once", async () => {
    proxy = await startFaultProxy({ targetPort: bus.server.port });
    const busName = bus.url.split('/').pop()!;
    const c = new HmbClient(`${proxy.url}/${busName}`, { format });
    proxy.cutResponses((n) => (n % 4 === 3 ? 30 : undefined));
    const clock = new VirtualClock();
    const sink = c.sink<{ i: number }>({
      maxBatchMessages: 40,
      uncertain: 'report',
      retry: { initialDelayMs: 5 },
      scheduler: clock.scheduler,
    });
    const sent = new Set<number>();
    const unknown = new Set<number>();
    sink.results.subscribe((r) => {
      if (r.kind === 'sent') r.messages.forEach((m) => sent.add(m.data!.i));
      if (r.kind === 'unknown') r.messages.forEach((m) => unknown.add(m.data!.i));
    });
    for (let i = 0; i < 2000; i++) sink.next(numbered('ONCE', i));
    sink.complete();
    const summary = await clock.skipWaits(sink.done);
    await c.close();
    expect(summary.sent + summary.unknown).toBe(2000);
    const back = await readBack(bus.url, 'ONCE', 'bson');
    const counts = new Map<number, number>();
    for (const i of back) counts.set(i, (counts.get(i) ?? 0) + 1);
    for (const i of sent) expect(counts.get(i)).toBe(1);
    for (const i of unknown) expect(counts.get(i) ?? 0).toBeLessThanOrEqual(1);
  }, 60_000);

  it('sink: send() and sendMsg() send once and resolve; send$() emits one result per batch; an invalid message rejects before anything is sent', async () => {
    const receipt = await client.send([numbered('S', 0), numbered('S', 1)]);
    expect(receipt).toMatchObject({ sent: 2, uncertain: 0, batches: 1 });
    expect(typeof receipt.sid).toBe('string');
    expect(await client.sendMsg('TEST', 'S', { i: 2 }, 'TOPIC')).toMatchObject({ sent: 1 });
    const results = await lastValueFrom(client.send$([numbered('S', 3)]).pipe(toArray()));
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ kind: 'sent', attempts: 1, uncertain: false });
    await lastValueFrom(client.sendMsg$('TEST', 'S', { i: 4 }));
    const error = await client
      .send([numbered('S', 5), { type: 'EOF', queue: 'S' }])
      .catch((e: unknown) => e);
    expect(isHmbError(error, 'HMB_ERR_INVALID_MESSAGE')).toBe(true);
    expect(await readBack(bus.url, 'S', 'bson')).toEqual([0, 1, 2, 3, 4]);
  });

  it('sink: an idle sink keeps its session alive with HEARTBEAT sends', async () => {
    await bus.close();
    bus = await startTestBus({ sessionTimeoutSec: 1, sweepIntervalSec: 0.5 });
    client = new HmbClient(bus.url, { format });
    // The server expires idle sessions in real time; the sink's keep-alive waits (the default
    // 60 s) pass on a virtual clock moved one minute every 200 real ms.
    const clock = new VirtualClock();
    const sink = client.sink<{ i: number }>({ scheduler: clock.scheduler });
    // Idle as long, without keep-alive: once the server dropped its session, the idle time has
    // outlasted the server's expiry.
    const control = client.sink<{ i: number }>({ ownSession: true, keepAliveSec: 0 });
    const sids = new Set<string>();
    let controlSid: string | undefined;
    sink.results.subscribe((r) => r.kind === 'sent' && sids.add(r.sid));
    control.results.subscribe((r) => r.kind === 'sent' && (controlSid = r.sid));
    sink.next(numbered('K', 0));
    control.next(numbered('K', 100));
    await until(() => sids.size === 1 && controlSid !== undefined);
    const ticker = setInterval(() => clock.advance(60_000), 200);
    try {
      await until(
        async () => !(controlSid! in (await firstValueFrom(client.status())).session),
        10_000,
      );
    } finally {
      clearInterval(ticker);
    }
    sink.next(numbered('K', 1));
    sink.complete();
    control.complete();
    expect((await sink.done).sent).toBe(2);
    expect(sids.size).toBe(1);
  });
});

describe('sink: abort()', () => {
  let server: ScriptedServer | undefined;
  afterEach(async () => {
    await client?.close();
    await server?.close();
    server = undefined;
  });

  it('sink: abort() reports the batch on the wire as unknown and the unsent rest as failed', async () => {
    let sendSeen!: () => void;
    const sendStarted = new Promise<void>((resolve) => (sendSeen = resolve));
    server = await startScriptedServer({
      open: (_req, res) =>
        void res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ sid: 'S1', cid: 'c', queue: {} })),
      // The server has the batch and never answers: its fate is unknowable to the sink.
      send: () => sendSeen(),
    });
    client = new HmbClient(`${server.url}/b`, { format: 'json' });
    const sink = client.sink<{ i: number }>({ maxBatchMessages: 2 });
    const results: HmbSendResult<{ i: number }>[] = [];
    sink.results.subscribe((r) => results.push(r));
    for (let i = 0; i < 5; i++) sink.next(numbered('A', i));
    await sendStarted;
    sink.abort();
    const summary = await sink.done;
    expect(summary).toMatchObject({ sent: 0, unknown: 2, failed: 3 });
    expect(
      results.map((r) => [r.kind, 'messages' in r ? r.messages.map((m) => m.data?.i) : []]),
    ).toEqual([
      ['unknown', [0, 1]],
      ['failed', [2, 3, 4]],
    ]);
    for (const r of results)
      expect('error' in r && isHmbError(r.error, 'HMB_ERR_CLOSED')).toBe(true);
  });
});
