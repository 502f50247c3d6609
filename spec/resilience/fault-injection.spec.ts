import { HmbClient } from '../../src/node';
import type { HmbConnectionState } from '../../src/session/connection-state';
import { startFaultProxy, type HmbFaultProxy } from '../../src/testing/fault-proxy';
import { collect, expectExactlyOnceInOrder, seededRandom, seqs, sleep } from '../helpers/collect';
import { numbered, publish } from '../helpers/publish';
import { startTestBus, type TestBus } from '../helpers/test-bus';

let bus: TestBus;
let proxy: HmbFaultProxy;
let client: HmbClient;

const QUEUES = ['A', 'B', 'C'];

beforeEach(async () => {
  bus = await startTestBus({}, 'faults');
  proxy = await startFaultProxy({ targetPort: bus.server.port });
});

afterEach(async () => {
  await client?.close();
  await proxy.close();
  await bus.close();
});

/** Publishes `rounds` rounds of `perRound` messages to every queue, straight to the bus. */
async function publishRounds(
  rounds: number,
  perRound: number,
  pauseMs: number,
  from = 0,
): Promise<void> {
  for (let r = 0; r < rounds; r++) {
    const batch = QUEUES.flatMap((q) => numbered(q, perRound, from + r * perRound));
    await publish(bus.url, batch);
    await sleep(pauseMs);
  }
}

function subscribeThroughProxy(
  format: 'json' | 'bson',
  transport: 'poll' | 'stream',
  states: HmbConnectionState[],
): ReturnType<typeof collect> {
  client = new HmbClient(`${proxy.url}/faults`, {
    format,
    retry: { initialDelayMs: 20, maxDelayMs: 200 },
  });
  return collect(
    client.subscribe(
      { queue: Object.fromEntries(QUEUES.map((q) => [q, { seq: 0 }])), heartbeat: 1 },
      { transport, waitForQueues: true, onState: (s) => states.push(s) },
    ),
  );
}

const combos = [
  ['json', 'poll'],
  ['bson', 'poll'],
  ['json', 'stream'],
  ['bson', 'stream'],
] as const;

describe.each(combos)('resilience (%s, %s)', (format, transport) => {
  it('resilience: connections cut at random points (mid-headers, mid-body, mid-document): every message once, in order', async () => {
    const random = seededRandom(format.length * 7 + transport.length);
    // Nine connections in ten die somewhere in their first 2,000 bytes of answer.
    proxy.cutResponses(() => (random() < 0.9 ? Math.floor(random() * 2000) : undefined));
    const states: HmbConnectionState[] = [];
    const sub = subscribeThroughProxy(format, transport, states);
    const rounds = 20;
    const perRound = 25;
    await publishRounds(rounds, perRound, 15);
    await sub.until(QUEUES.length * rounds * perRound, 40_000);
    await sleep(200); // nothing more may arrive
    sub.subscription.unsubscribe();
    expectExactlyOnceInOrder(
      sub.messages,
      Object.fromEntries(QUEUES.map((q) => [q, seqs(0, rounds * perRound)])),
    );
    // The cuts really happened. How many a run sees depends on which connection carries which
    // request: long polls and /stream have an undici pool of their own (no deadline), apart from
    // /open and /send, so a /stream run makes fewer connections than when they shared one pool.
    expect(states.filter((s) => s.type === 'lost').length).toBeGreaterThanOrEqual(3);
    expect(sub.error()).toBeUndefined();
  }, 60_000);

  it('resilience: a link that stalls without closing is detected by the heartbeat watchdog and resumed', async () => {
    const states: HmbConnectionState[] = [];
    const sub = subscribeThroughProxy(format, transport, states);
    await publishRounds(2, 10, 10);
    await sub.until(60);
    proxy.stall();
    await publishRounds(2, 10, 10, 20);
    await sub.until(120, 15_000);
    proxy.resume();
    sub.subscription.unsubscribe();
    expectExactlyOnceInOrder(sub.messages, Object.fromEntries(QUEUES.map((q) => [q, seqs(0, 40)])));
    const lost = states.find((s) => s.type === 'lost');
    expect(lost).toMatchObject({ error: { code: 'HMB_ERR_TIMEOUT' } });
  }, 30_000);

  it('resilience: connections refused for a while, then accepted again: no loss, no duplicate, no tight loop', async () => {
    const states: HmbConnectionState[] = [];
    const sub = subscribeThroughProxy(format, transport, states);
    await publishRounds(1, 10, 0);
    await sub.until(30);
    proxy.refuse(true);
    proxy.cutAll();
    const before = proxy.totalConnections;
    await publishRounds(3, 10, 300, 10);
    const attempts = proxy.totalConnections - before;
    proxy.refuse(false);
    await sub.until(120, 15_000);
    sub.subscription.unsubscribe();
    expectExactlyOnceInOrder(sub.messages, Object.fromEntries(QUEUES.map((q) => [q, seqs(0, 40)])));
    // About a second refused: backoff (20 ms doubling to 200 ms, jittered) keeps this small.
    expect(attempts).toBeGreaterThan(1);
    expect(attempts).toBeLessThan(40);
    expect(states.some((s) => s.type === 'resuming')).toBe(true);
  }, 30_000);
});
