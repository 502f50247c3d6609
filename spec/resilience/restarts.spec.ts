import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HmbClient } from '../../src/node';
import type { HmbConnectionState, HmbGap } from '../../src/session/connection-state';
import { collect, expectExactlyOnceInOrder, seqs, sleep } from '../helpers/collect';
import { numbered, publish } from '../helpers/publish';
import { startTestBus, type TestBus } from '../helpers/test-bus';

let bus: TestBus;
let client: HmbClient;
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hmb-rx-restart-'));
});

afterEach(async () => {
  await client?.close();
  await bus?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.each([
  ['json', 'poll'],
  ['bson', 'stream'],
] as const)('resilience across server restarts (%s, %s)', (format, transport) => {
  it('restart: a bus restarted with persistence: the subscription resumes, every message once, in order', async () => {
    bus = await startTestBus({ persistDir: dir }, 'persist');
    const port = bus.server.port;
    await publish(bus.url, [...numbered('A', 50), ...numbered('B', 30)]);
    client = new HmbClient(bus.url, { format, retry: { initialDelayMs: 50, maxDelayMs: 300 } });
    const states: HmbConnectionState[] = [];
    const sub = collect(
      client.subscribe(
        { queue: { A: { seq: 0 }, B: { seq: 0 } }, heartbeat: 1 },
        { transport, onState: (s) => states.push(s) },
      ),
    );
    await sub.until(80);
    await bus.close();
    await sleep(300);
    bus = await startTestBus({ persistDir: dir, port }, 'persist');
    await publish(bus.url, [...numbered('A', 20, 50), ...numbered('B', 20, 30)]);
    await sub.until(120);
    await sleep(200);
    sub.subscription.unsubscribe();
    expectExactlyOnceInOrder(sub.messages, { A: seqs(0, 70), B: seqs(0, 50) });
    expect(
      sub.messages.filter((m) => m.queue === 'A').map((m) => (m.data as { i: number }).i),
    ).toEqual(seqs(0, 70));
    expect(states.filter((s) => s.type === 'open').length).toBeGreaterThanOrEqual(2);
  }, 30_000);

  it('restart: a bus restarted without persistence: a rewind from 0 is reported and the new messages arrive once, in a new epoch', async () => {
    bus = await startTestBus({}, 'volatile');
    const port = bus.server.port;
    await publish(bus.url, numbered('A', 10));
    client = new HmbClient(bus.url, { format, retry: { initialDelayMs: 50, maxDelayMs: 300 } });
    const gaps: HmbGap[] = [];
    const sub = collect(
      client.subscribe(
        { queue: { A: { seq: 0 } }, heartbeat: 1 },
        { transport, onGap: (g) => gaps.push(g) },
      ),
    );
    await sub.until(10);
    await bus.close();
    bus = await startTestBus({ port }, 'volatile');
    // The queue does not exist until someone sends; the subscription waits for it to come back.
    await sleep(400);
    await publish(bus.url, numbered('A', 3, 100));
    await sub.until(13);
    await sleep(200);
    sub.subscription.unsubscribe();
    expect(sub.messages.map((m) => m.seq)).toEqual([...seqs(0, 10), 0, 1, 2]);
    expect(sub.messages.slice(10).map((m) => (m.data as { i: number }).i)).toEqual([100, 101, 102]);
    // The queue vanished before it came back: the server lost all of it, and what it holds now
    // is new, read from 0 in a new epoch.
    expect(gaps).toEqual([
      {
        kind: 'gap',
        queue: 'A',
        expectedSeq: 10,
        nextSeq: 3,
        reason: 'rewind',
        lostFrom: 0,
        lostTo: 9,
        epoch: 1,
      },
    ]);
    expect(sub.messages.map((m) => m.epoch ?? 0)).toEqual([...Array<number>(10).fill(0), 1, 1, 1]);
  }, 30_000);
});

describe('resilience: sessions the server forgets', () => {
  it('expiry: a consumer so slow that the server expires its session resumes from the last delivered seq', async () => {
    bus = await startTestBus({ sessionTimeoutSec: 1, sweepIntervalSec: 0.25 });
    await publish(bus.url, numbered('Q', 40));
    client = new HmbClient(bus.url, { retry: { initialDelayMs: 20 } });
    const states: HmbConnectionState[] = [];
    const received: number[] = [];
    let stalled = false;
    const done = new Promise<void>((resolve, reject) => {
      client
        .subscribe({ queue: { Q: { seq: 0 } }, recv_limit: 1 }, { onState: (s) => states.push(s) })
        .subscribe({
          next: (m) => {
            received.push(m.seq);
            if (m.seq === 10 && !stalled) {
              stalled = true;
              // A consumer that blocks the event loop: no poll goes out, the session goes idle.
              Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1800);
            }
            if (received.length === 40) resolve();
          },
          error: reject,
        });
    });
    await done;
    await sleep(100);
    expect(received).toEqual(seqs(0, 40));
    expect(states.find((s) => s.type === 'lost')).toMatchObject({
      error: { code: 'HMB_ERR_SESSION_LOST' },
    });
  }, 20_000);
});
