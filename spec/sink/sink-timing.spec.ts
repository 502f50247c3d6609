// The sink's decisions in time (backoff between attempts, the session-cap pause, reopening a lost
// session at once, giving up, the keep-alive cadence) on a virtual clock: the /sends go to a real
// HTTP server written here, only the waits are virtual, so minutes of backoff take milliseconds.
import type { ServerResponse } from 'node:http';
import { HmbClient } from '../../src/node';
import { isHmbError } from '../../src/errors/hmb-error';
import { SESSION_LIMIT_TEXT } from '../../src/session/http-failure';
import type { HmbSendResult } from '../../src/sink/send-result';
import type { HmbSinkOptions } from '../../src/sink/sink-options';
import { startScriptedServer, type ScriptedServer } from '../helpers/scripted-server';
import { until, VirtualClock } from '../helpers/virtual-clock';

/** One /send the server saw: when (virtual ms), on which session, and what it held. */
interface SendSeen {
  readonly at: number;
  readonly sid: string;
  readonly types: string[];
  readonly data: unknown[];
}

/** How the server answers the n-th /send of messages (from 0): `[status, body]`. */
type SendScript = (n: number) => readonly [number, string];

const OK: SendScript = () => [204, ''];

let server: ScriptedServer | undefined;
let client: HmbClient | undefined;

afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

/** A bus that opens sessions S1, S2, … and answers message /sends as `script` says. */
async function scriptedBus(
  clock: VirtualClock,
  script: SendScript,
): Promise<{ sends: SendSeen[]; heartbeats: SendSeen[]; opens: () => number }> {
  const sends: SendSeen[] = [];
  const heartbeats: SendSeen[] = [];
  let opens = 0;
  server = await startScriptedServer({
    open: (_req, res) => {
      opens++;
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ sid: `S${opens}`, cid: 'c', queue: {} }));
    },
    send: (req, res: ServerResponse, body) => {
      const docs = Object.values(
        JSON.parse(body.toString()) as Record<string, { type: string; data?: unknown }>,
      );
      const seen: SendSeen = {
        at: clock.now,
        sid: (req.url ?? '').split('/')[3] ?? '',
        types: docs.map((d) => d.type),
        data: docs.map((d) => d.data),
      };
      if (seen.types.every((t) => t === 'HEARTBEAT')) {
        heartbeats.push(seen);
        res.writeHead(204).end();
        return;
      }
      const [status, text] = script(sends.length);
      sends.push(seen);
      res.writeHead(status, { 'content-type': 'text/plain' }).end(text);
    },
  });
  client = new HmbClient(`${server.url}/b`, { format: 'json' });
  return { sends, heartbeats, opens: () => opens };
}

const message = (i: number) => ({ type: 'T', queue: 'Q', data: { i } });

function collect(results: { subscribe(f: (r: HmbSendResult) => void): unknown }): HmbSendResult[] {
  const got: HmbSendResult[] = [];
  results.subscribe((r) => got.push(r));
  return got;
}

/**
 * Gives a sink on a virtual clock `count` messages at once and completes it; resolves when every
 * result is in, each wait of the sink skipped.
 */
async function sendThrough(script: SendScript, options: HmbSinkOptions, count = 1) {
  const clock = new VirtualClock();
  const bus = await scriptedBus(clock, script);
  const sink = client!.sink({ ...options, scheduler: clock.scheduler });
  const results = collect(sink.results);
  for (let i = 0; i < count; i++) sink.next(message(i));
  sink.complete();
  const summary = await clock.skipWaits(sink.done);
  return { bus, results, summary };
}

describe('sink timing (virtual clock, real HTTP)', () => {
  it('sink timing: a batch whose answers are lost is sent again after 100, 200, 400 ms of backoff, and its result says uncertain', async () => {
    const { bus, results, summary } = await sendThrough(
      (n) => (n < 3 ? [502, 'bad gateway'] : [204, '']),
      { retry: { initialDelayMs: 100, factor: 2, jitter: 'none' } },
    );
    expect(bus.sends.map((s) => s.at)).toEqual([0, 100, 300, 700]);
    expect(results).toMatchObject([{ kind: 'sent', attempts: 4, uncertain: true }]);
    expect(summary).toMatchObject({ sent: 1, uncertain: 1, requests: 4 });
  });

  it('sink timing: maxAttempts counts attempts: 3 attempts, then the batch is failed with the last error as cause', async () => {
    const { bus, results, summary } = await sendThrough(
      () => [502, 'bad gateway'],
      { retry: { initialDelayMs: 1000, jitter: 'none', maxAttempts: 3 } },
      2,
    );
    expect(bus.sends.map((s) => [s.at, s.data.length])).toEqual([
      [0, 2],
      [1000, 2],
      [3000, 2],
    ]);
    expect(summary).toMatchObject({ sent: 0, failed: 2, requests: 3 });
    const failed = results[0]!;
    if (failed.kind !== 'failed') throw new Error(`expected failed, got ${failed.kind}`);
    expect(isHmbError(failed.error, 'HMB_ERR_SEND')).toBe(true);
    expect(failed.error.message).toContain('after 3 attempt(s)');
    expect(isHmbError(failed.error.cause, 'HMB_ERR_HTTP')).toBe(true);
  });

  it('sink timing: a session-cap refusal waits sessionLimitDelayMs (10 s), however short the backoff', async () => {
    const { bus, summary } = await sendThrough(
      (n) => (n < 2 ? [503, SESSION_LIMIT_TEXT] : [204, '']),
      { retry: { initialDelayMs: 10, jitter: 'none' } },
    );
    expect(bus.sends.map((s) => s.at)).toEqual([0, 10_000, 20_000]);
    expect(summary).toMatchObject({ sent: 1, uncertain: 0 });
  });

  it('sink timing: a lost session is reopened at once the first time (no wait, not uncertain), after the backoff the next', async () => {
    const { bus, results } = await sendThrough(
      (n) => (n < 2 ? [400, 'invalid session'] : [204, '']),
      { retry: { initialDelayMs: 100, factor: 2, jitter: 'none' } },
    );
    // Failure 1: reopened at once; failure 2: the backoff of a second failure in a row (200 ms).
    expect(bus.sends.map((s) => [s.at, s.sid])).toEqual([
      [0, 'S1'],
      [0, 'S2'],
      [200, 'S3'],
    ]);
    expect(bus.opens()).toBe(3);
    expect(results).toMatchObject([{ kind: 'sent', sid: 'S3', attempts: 3, uncertain: false }]);
  });

  it("sink timing: under uncertain:'report' a lost answer is reported unknown at once; a 400 fails at once", async () => {
    const clock = new VirtualClock();
    const bus = await scriptedBus(clock, (n) =>
      n === 0 ? [502, 'bad gateway'] : [400, 'bad message'],
    );
    const sink = client!.sink({
      scheduler: clock.scheduler,
      uncertain: 'report',
      retry: { initialDelayMs: 100, jitter: 'none' },
    });
    const results = collect(sink.results);
    sink.next(message(0));
    // The second message waits for the first batch, then goes alone.
    await until(() => bus.sends.length === 1);
    sink.next(message(1));
    sink.complete();
    const summary = await clock.skipWaits(sink.done);
    expect(bus.sends.map((s) => [s.at, s.data])).toEqual([
      [0, [{ i: 0 }]],
      [0, [{ i: 1 }]],
    ]);
    expect(results.map((r) => r.kind)).toEqual(['unknown', 'failed']);
    expect(summary).toMatchObject({ unknown: 1, failed: 1, requests: 2 });
  });

  it('sink timing: abort() during a backoff wait ends it: the batch is failed, no attempt follows however far the clock goes', async () => {
    const clock = new VirtualClock();
    const bus = await scriptedBus(clock, () => [502, 'bad gateway']);
    const sink = client!.sink({
      scheduler: clock.scheduler,
      retry: { initialDelayMs: 5000, jitter: 'none' },
    });
    const results = collect(sink.results);
    sink.next(message(0));
    await until(() => bus.sends.length === 1 && clock.waiting);
    sink.abort();
    expect(clock.waiting).toBe(false);
    const summary = await sink.done;
    clock.advance(3_600_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(bus.sends).toHaveLength(1);
    expect(results.map((r) => r.kind)).toEqual(['failed']);
    expect(summary).toMatchObject({ failed: 1, sent: 0 });
  });

  it('sink timing: an idle sink sends a HEARTBEAT after each keepAliveSec of idleness on its session, none while sending, none after it ended', async () => {
    const clock = new VirtualClock();
    const bus = await scriptedBus(clock, OK);
    const sink = client!.sink({ scheduler: clock.scheduler, keepAliveSec: 60 });
    sink.next(message(0));
    await until(() => bus.sends.length === 1 && clock.waiting);
    clock.advance(59_999);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(bus.heartbeats).toHaveLength(0);
    clock.advance(1);
    await until(() => bus.heartbeats.length === 1 && clock.waiting);
    clock.advance(60_000);
    await until(() => bus.heartbeats.length === 2 && clock.waiting);
    expect(bus.heartbeats.map((h) => [h.at, h.sid])).toEqual([
      [60_000, 'S1'],
      [120_000, 'S1'],
    ]);
    // A message restarts the idle count: the next heartbeat is 60 s after it was sent.
    clock.advance(30_000);
    sink.next(message(1));
    await until(() => bus.sends.length === 2 && clock.waiting);
    clock.advance(59_000);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(bus.heartbeats).toHaveLength(2);
    clock.advance(1_000);
    await until(() => bus.heartbeats.length === 3);
    expect(bus.heartbeats[2]!.at).toBe(210_000);
    sink.complete();
    await sink.done;
    expect(clock.waiting).toBe(false);
    clock.advance(3_600_000);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(bus.heartbeats).toHaveLength(3);
  });

  it('sink timing: a burst is cut into batches by maxBatchMessages and maxBatchBytes, in order, without any wait', async () => {
    const clock = new VirtualClock();
    const bus = await scriptedBus(clock, OK);
    const sink = client!.sink({ scheduler: clock.scheduler, maxBatchMessages: 10 });
    for (let i = 0; i < 25; i++) sink.next(message(i));
    sink.complete();
    await sink.done;
    expect(bus.sends.map((s) => s.data.length)).toEqual([10, 10, 5]);
    expect(bus.sends.flatMap((s) => s.data)).toEqual(Array.from({ length: 25 }, (_, i) => ({ i })));
    expect(clock.now).toBe(0);
    // One JSON message here is 46 bytes on the wire (with its list key): 100 bytes hold two.
    const small = client!.sink({ scheduler: clock.scheduler, maxBatchBytes: 100 });
    for (let i = 0; i < 5; i++) small.next(message(i));
    small.complete();
    await small.done;
    expect(bus.sends.slice(3).map((s) => s.data.length)).toEqual([2, 2, 1]);
  });
});
