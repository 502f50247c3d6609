import { firstValueFrom, type Subscription } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { HmbClient } from '../../src/node';
import { shareSubscription } from '../../src/client/share-subscription';
import type { HmbConnectionState } from '../../src/session/connection-state';
import { numbered, publish } from '../helpers/publish';
import { startTestBus, type TestBus } from '../helpers/test-bus';

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('operators: shareSubscription (virtual time)', () => {
  it('shareSubscription: many subscribers share one subscription to the source', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a b c d e f');
      const shared = shareSubscription(source, { gracePeriodMs: 0 });
      expectObservable(shared, '^ 4ms !').toBe('a b c d e');
      expectObservable(shared, '--^ 4ms !').toBe('--c d e f');
      expectSubscriptions(source.subscriptions).toBe('^ 6ms !');
    });
  });

  it('shareSubscription: the source outlives the last subscriber by the grace period', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a 20ms b');
      const shared = shareSubscription(source, { gracePeriodMs: 10 });
      expectObservable(shared, '^ 2ms !').toBe('a');
      expectSubscriptions(source.subscriptions).toBe('^ 12ms !');
    });
  });

  it('shareSubscription: a resubscribe within the grace period keeps the same source subscription', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a 9ms b 9ms c');
      const shared = shareSubscription(source, { gracePeriodMs: 10 });
      expectObservable(shared, '^ 2ms !').toBe('a');
      // Back 6 ms later: no new subscription, and it sees b and c from the running one.
      expectObservable(shared, '9ms ^ 30ms !').toBe('10ms b 9ms c');
      expectSubscriptions(source.subscriptions).toBe('^ 49ms !');
    });
  });

  it('shareSubscription: after the grace period the next subscriber starts the source afresh', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a 9ms b');
      const shared = shareSubscription(source, { gracePeriodMs: 5 });
      expectObservable(shared, '^ 2ms !').toBe('a');
      expectObservable(shared, '20ms ^ 3ms !').toBe('20ms a');
      expectSubscriptions(source.subscriptions).toBe(['^ 7ms !', '20ms ^ 8ms !']);
    });
  });

  it('shareSubscription: after an error the next subscriber starts afresh', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a #');
      const shared = shareSubscription(source, { gracePeriodMs: 50 });
      expectObservable(shared).toBe('a #');
      expectObservable(shared, '5ms ^').toBe('5ms a #');
      expectSubscriptions(source.subscriptions).toBe(['^ !', '5ms ^ !']);
    });
  });
});

describe('operators: shareSubscription (embedded bus)', () => {
  let bus: TestBus;
  let client: HmbClient;
  const subscriptions: Subscription[] = [];

  beforeEach(async () => {
    bus = await startTestBus();
    client = new HmbClient(bus.url, { heartbeat: 0 });
    await publish(bus.url, numbered('Q', 1));
  });

  afterEach(async () => {
    for (const s of subscriptions.splice(0)) s.unsubscribe();
    await client?.close();
    await bus?.close();
  });

  /** Sessions of the bus subscribed to Q (sessions stay listed until swept, minutes later). */
  const sessionsOnQ = async (): Promise<number> =>
    Object.values((await firstValueFrom(client.status())).session).filter(
      (s) => s.queue['Q'] !== undefined,
    ).length;

  async function until(check: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 5000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  function sharedQ(gracePeriodMs: number, states: HmbConnectionState['type'][]) {
    return shareSubscription(
      client.subscribe<{ i: number }>(
        { queue: { Q: { seq: 0 } } },
        { onState: (s) => states.push(s.type) },
      ),
      { gracePeriodMs },
    );
  }

  it('shareSubscription: three subscribers, one HMB session, every message to each', async () => {
    const states: HmbConnectionState['type'][] = [];
    const shared = sharedQ(0, states);
    const seen: number[][] = [[], [], []];
    for (const list of seen) subscriptions.push(shared.subscribe((m) => list.push(m.data!.i)));
    await until(() => seen.every((l) => l.length === 1), 'the first message');
    await publish(bus.url, numbered('Q', 2, 1));
    await until(() => seen.every((l) => l.length === 3), 'the live messages');
    expect(seen).toEqual([
      [0, 1, 2],
      [0, 1, 2],
      [0, 1, 2],
    ]);
    expect(await sessionsOnQ()).toBe(1);
    expect(states.filter((s) => s === 'open')).toHaveLength(1);
  });

  it('shareSubscription: the session survives a resubscribe within the grace period', async () => {
    const states: HmbConnectionState['type'][] = [];
    const shared = sharedQ(400, states);
    const first: number[] = [];
    const a = shared.subscribe((m) => first.push(m.data!.i));
    await until(() => first.length === 1, 'the first message');
    a.unsubscribe();
    // Back at once (a re-render, a route change): same session, nothing replayed or lost.
    const second: number[] = [];
    const b = shared.subscribe((m) => second.push(m.data!.i));
    await publish(bus.url, numbered('Q', 1, 1));
    await until(() => second.length === 1, 'the live message');
    expect(second).toEqual([1]);
    expect(await sessionsOnQ()).toBe(1);
    expect(states).not.toContain('closed');
    // Gone for longer than the grace period: the session is closed.
    b.unsubscribe();
    await until(() => states.includes('closed'), 'the session to close');
  });

  it('shareSubscription: after the grace period, the next subscriber opens a new session', async () => {
    const states: HmbConnectionState['type'][] = [];
    const shared = sharedQ(100, states);
    const got: number[] = [];
    const a = shared.subscribe((m) => got.push(m.data!.i));
    await until(() => got.length === 1, 'the first message');
    a.unsubscribe();
    await until(() => states.includes('closed'), 'the session to close');
    subscriptions.push(shared.subscribe((m) => got.push(m.data!.i)));
    // A new session, read from seq 0 again.
    await until(() => got.length === 2, 'the message again');
    expect(got).toEqual([0, 0]);
    expect(await sessionsOnQ()).toBe(2);
  });
});
