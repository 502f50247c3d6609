import { HmbClient } from '../../src/node';
import type { HmbGap, HmbHealedEvent } from '../../src/session/connection-state';
import type { HmbEvent } from '../../src/session/hmb-event';
import type { HmbMessage } from '../../src/protocol/message';
import { expectExactlyOnceInOrder, seqs, sleep } from '../helpers/collect';
import { numbered, publish } from '../helpers/publish';
import { startRingSkippingBus, type RingSkippingBus } from '../helpers/ring-skipping-bus';
import { startTestBus, type TestBus } from '../helpers/test-bus';

const RING = 100;
const BURST = 1_000;
const BURSTS = 10;
const TOTAL = BURST * BURSTS;

let client: HmbClient | undefined;
let fake: RingSkippingBus | undefined;
let bus: TestBus | undefined;

afterEach(async () => {
  await client?.close();
  await fake?.close();
  await bus?.close();
  client = fake = bus = undefined;
});

/** Subscribes to `events` and collects messages, gaps and heals until `done()` says so. */
async function receive(
  c: HmbClient,
  transport: 'poll' | 'stream',
  healGaps: boolean,
  publishAll: () => Promise<void>,
  done: (messages: readonly HmbMessage[], gaps: readonly HmbGap[]) => boolean,
): Promise<{ messages: HmbMessage[]; gaps: HmbGap[]; healed: HmbHealedEvent[] }> {
  const messages: HmbMessage[] = [];
  const gaps: HmbGap[] = [];
  const healed: HmbHealedEvent[] = [];
  let failure: unknown;
  let opened = false;
  const subscription = c
    .events({ queue: { Q: { seq: -1 } }, heartbeat: 1 }, { transport, healGaps })
    .subscribe({
      next: (e: HmbEvent) => {
        if (e.kind === 'message') messages.push(e);
        else if (e.kind === 'gap') gaps.push(e);
        else if (e.kind === 'healed') healed.push(e);
        else if (e.kind === 'state' && e.state.type === 'open') opened = true;
      },
      error: (e: unknown) => (failure = e),
    });
  try {
    while (!opened) {
      if (failure !== undefined) throw failure;
      await sleep(5);
    }
    await publishAll();
    const deadline = Date.now() + 25_000;
    while (!done(messages, gaps)) {
      if (failure !== undefined) throw failure;
      if (Date.now() > deadline) {
        throw new Error(`timeout: ${messages.length} messages, ${gaps.length} gaps`);
      }
      await sleep(10);
    }
    // Anything doubled would arrive now.
    await sleep(200);
  } finally {
    subscription.unsubscribe();
  }
  return { messages, gaps, healed };
}

describe.each(['poll', 'stream'] as const)('gap healing (%s)', (transport) => {
  it(`healing: bursts of ${BURST} past a ${RING}-message ring, database holding everything: all ${TOTAL} exactly once, in order`, async () => {
    fake = await startRingSkippingBus({ ring: RING });
    client = new HmbClient(fake.url, { retry: { initialDelayMs: 20, maxDelayMs: 200 } });
    const started = Date.now();
    const { messages, gaps, healed } = await receive(
      client,
      transport,
      true,
      async () => {
        for (let b = 0; b < BURSTS; b++) {
          fake!.append(
            'Q',
            seqs(b * BURST, (b + 1) * BURST).map((i) => ({ i })),
          );
          await sleep(30);
        }
      },
      (m) => m.length >= TOTAL,
    );
    expectExactlyOnceInOrder(messages, { Q: seqs(0, TOTAL) });
    expect(messages.map((m) => (m.data as { i: number }).i)).toEqual(seqs(0, TOTAL));
    expect(gaps).toEqual([]);
    // The bus did skip the subscriber, and every skip was fetched again.
    expect(fake.skips).toBeGreaterThan(0);
    expect(healed.length).toBeGreaterThan(0);
    const healedSeqs = healed.reduce((n, h) => n + h.toSeq - h.fromSeq + 1, 0);
    if (process.env['HMB_HEALING_REPORT'] !== undefined) {
      process.stdout.write(
        `${transport}: ${messages.length} delivered, ${fake.skips} skips by the bus, ${healed.length} heals covering ${healedSeqs} seqs, ${Date.now() - started} ms\n`,
      );
    }
  }, 30_000);

  it('healing off: the same bursts lose messages to skips, reported as skipped gaps', async () => {
    fake = await startRingSkippingBus({ ring: RING });
    client = new HmbClient(fake.url);
    const { messages, gaps } = await receive(
      client,
      transport,
      false,
      async () => {
        for (let b = 0; b < 3; b++) {
          fake!.append(
            'Q',
            seqs(b * BURST, (b + 1) * BURST).map((i) => ({ i })),
          );
          await sleep(30);
        }
      },
      (m) => m.length > 0 && m[m.length - 1]!.seq === 3 * BURST - 1,
    );
    expect(gaps.length).toBeGreaterThan(0);
    expect(gaps.every((g) => g.reason === 'skipped')).toBe(true);
    const missed = gaps.reduce((n, g) => n + g.nextSeq - g.expectedSeq, 0);
    expect(messages.length + missed).toBe(3 * BURST);
  }, 30_000);

  it('healing is bounded: a hole the server claims to hold is asked for 3 times, then reported skipped', async () => {
    fake = await startRingSkippingBus({ ring: RING });
    client = new HmbClient(fake.url);
    const { messages, gaps } = await receive(
      client,
      transport,
      true,
      async () => {
        fake!.append('Q', [{ i: 0 }, { i: 1 }]);
        fake!.appendAfterHole('Q', 3, [{ i: 5 }, { i: 6 }]);
      },
      (m) => m.length === 4,
    );
    expect(messages.map((m) => m.seq)).toEqual([0, 1, 5, 6]);
    expect(gaps).toEqual([
      { kind: 'gap', queue: 'Q', expectedSeq: 2, nextSeq: 5, reason: 'skipped' },
    ]);
    // The first open, then one reopen from seq 2 per try (DEFAULT_GAP_HEAL_ATTEMPTS = 3).
    expect(fake.server.requests.filter((r) => r.endsWith('/open'))).toHaveLength(4);
  }, 30_000);
});

describe.each(['poll', 'stream'] as const)(
  'the embedded bus with a small ring (%s)',
  (transport) => {
    it(`trimmed: bursts of ${BURST} past a ${RING}-message ring and no database: what is gone is reported as trimmed, the rest once, in order`, async () => {
      bus = await startTestBus({ queueLimit: RING });
      // The queue must exist before the subscription opens it: seq 0 is sent first.
      await publish(bus.url, numbered('Q', 1));
      client = new HmbClient(bus.url, { retry: { initialDelayMs: 20, maxDelayMs: 200 } });
      const { messages, gaps, healed } = await receive(
        client,
        transport,
        true,
        async () => {
          for (let b = 0; b < 5; b++) {
            await publish(bus!.url, numbered('Q', BURST, 1 + b * BURST));
            await sleep(30);
          }
        },
        (m) => m.length > 0 && m[m.length - 1]!.seq === 5 * BURST,
      );
      const received = messages.map((m) => m.seq);
      expect(new Set(received).size).toBe(received.length);
      expect(received).toEqual([...received].sort((a, b) => a - b));
      expect(gaps.length).toBeGreaterThan(0);
      expect(gaps.every((g) => g.reason === 'trimmed')).toBe(true);
      expect(healed).toEqual([]);
      // Every seq is either delivered or inside a reported gap, never both.
      const missed = new Set(gaps.flatMap((g) => seqs(g.expectedSeq, g.nextSeq)));
      for (const s of received) expect(missed.has(s)).toBe(false);
      expect(received.length + missed.size).toBe(5 * BURST);
      if (process.env['HMB_HEALING_REPORT'] !== undefined) {
        process.stdout.write(
          `embedded ${transport}: ${received.length} delivered, ${gaps.length} trimmed gaps covering ${missed.size} seqs\n`,
        );
      }
    }, 30_000);
  },
);
