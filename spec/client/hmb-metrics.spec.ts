import { filter, firstValueFrom, timeout, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { HmbClient } from '../../src/node';
import {
  HmbMetrics,
  type HmbMetricsSnapshot,
  type HmbQueueMetrics,
} from '../../src/client/hmb-metrics';
import type { HmbInfo, HmbQueueInfo } from '../../src/protocol/bus-info';
import { HEARTBEAT, type HmbMessage } from '../../src/protocol/message';
import type { HmbEvent } from '../../src/session/hmb-event';
import { numbered, publish } from '../helpers/publish';
import { startTestBus, type TestBus } from '../helpers/test-bus';

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

const message = (queue: string, seq: number): HmbMessage => ({
  kind: 'message',
  type: 'T',
  queue,
  seq,
});
const held = (endseq: number): HmbQueueInfo => ({
  startseq: 0,
  endseq,
  starttime: null,
  endtime: null,
  topic: null,
});
const queueMetrics = (m: Partial<HmbQueueMetrics>): HmbQueueMetrics => ({
  delivered: 0,
  lastSeq: undefined,
  endseq: undefined,
  lag: undefined,
  gaps: 0,
  missed: 0,
  ...m,
});

describe('operators: HmbMetrics (virtual time)', () => {
  const events: Record<string, HmbEvent> = {
    s: { kind: 'state', state: { type: 'open', sid: 'S1', cid: 'C', attempt: 0 } },
    a: message('Q', 0),
    b: message('Q', 1),
    h: HEARTBEAT,
    c: message('R', 5),
    g: { kind: 'gap', queue: 'Q', expectedSeq: 2, nextSeq: 5, reason: 'skipped' },
    l: { kind: 'state', state: { type: 'lost', error: new Error('reset'), attempt: 1 } },
    r: {
      kind: 'state',
      state: { type: 'resuming', error: new Error('reset'), attempt: 1, delayMs: 0 },
    },
    o: { kind: 'state', state: { type: 'opening', attempt: 1 } },
    O: { kind: 'state', state: { type: 'open', sid: 'S2', cid: 'C', attempt: 1 } },
    d: message('Q', 5),
  };
  const EVENTS = '-s a b h 4ms c 2ms g l r o O d 10ms |';
  const info: HmbInfo = { queue: { Q: held(10), R: held(6), OTHER: held(3) } };

  it('HmbMetrics: track passes every event on unchanged', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold(EVENTS, events);
      const metrics = new HmbMetrics();
      expectObservable(source.pipe(metrics.track())).toBe(EVENTS, events);
      expectSubscriptions(source.subscriptions).toBe('^ 27ms !');
    });
  });

  it('HmbMetrics: snapshots count messages per queue, rate, lag from /info, reconnects and gaps', () => {
    let infoCalls = 0;
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const infoAnswer = cold('2ms (i|)', { i: info });
      const metrics = new HmbMetrics({
        intervalMs: 10,
        lagRefreshMs: 20,
        info: () => {
          infoCalls++;
          return infoAnswer;
        },
      });
      expectObservable(cold(EVENTS, events).pipe(metrics.track())).toBe(EVENTS, events);
      const expected: Record<string, HmbMetricsSnapshot> = {
        x: {
          at: 0,
          state: undefined,
          delivered: 0,
          messagesPerSecond: 0,
          reconnects: 0,
          gaps: 0,
          perQueue: {},
        },
        y: {
          at: 10,
          state: 'open',
          delivered: 3,
          messagesPerSecond: 300,
          reconnects: 0,
          gaps: 0,
          perQueue: {
            Q: queueMetrics({ delivered: 2, lastSeq: 1, endseq: 10, lag: 8 }),
            R: queueMetrics({ delivered: 1, lastSeq: 5, endseq: 6, lag: 0 }),
          },
        },
        z: {
          at: 20,
          state: 'open',
          delivered: 4,
          messagesPerSecond: 100,
          reconnects: 1,
          gaps: 1,
          perQueue: {
            Q: queueMetrics({ delivered: 3, lastSeq: 5, endseq: 10, lag: 4, gaps: 1, missed: 3 }),
            R: queueMetrics({ delivered: 1, lastSeq: 5, endseq: 6, lag: 0 }),
          },
        },
      };
      expectObservable(metrics.snapshots$, '^ 25ms !').toBe('x 9ms y 9ms z', expected);
      // /info at 0 and 20 while watched, and no request left running after unsubscribing.
      expectSubscriptions(infoAnswer.subscriptions).toBe(['^ 1ms !', '20ms ^ 1ms !']);
    });
    expect(infoCalls).toBe(2);
  });

  it('HmbMetrics: /info is not asked while nobody watches, and a failing /info keeps the last ends', () => {
    let infoCalls = 0;
    scheduler().run(({ cold, expectObservable }) => {
      const answers = [
        cold<HmbInfo>('(i|)', { i: info }),
        cold<HmbInfo>('#', {}, new Error('503')),
      ];
      const metrics = new HmbMetrics({
        intervalMs: 10,
        lagRefreshMs: 10,
        info: () => answers[Math.min(infoCalls++, 1)]!,
      });
      expectObservable(cold('-a|', events).pipe(metrics.track())).toBe('-a|', events);
      const snapshots = metrics.snapshots$.pipe(filter((s) => s.at > 0));
      expectObservable(snapshots, '^ 15ms !').toBe('10ms y', {
        y: {
          at: 10,
          state: undefined,
          delivered: 1,
          messagesPerSecond: 100,
          reconnects: 0,
          gaps: 0,
          perQueue: { Q: queueMetrics({ delivered: 1, lastSeq: 0, endseq: 10, lag: 9 }) },
        },
      });
    });
    expect(infoCalls).toBe(2);
  });

  it('HmbMetrics: hooks feed it from a plain message subscription (onState, onGap, trackMessages)', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const metrics = new HmbMetrics({ intervalMs: 10 });
      const messages = cold<HmbMessage>('-a b |', { a: message('Q', 3), b: message('Q', 9) });
      metrics.onState({ type: 'open', sid: 'S', cid: 'C', attempt: 0 });
      metrics.onGap({ kind: 'gap', queue: 'Q', expectedSeq: 4, nextSeq: 9, reason: 'skipped' });
      metrics.onState({ type: 'lost', error: new Error('x'), attempt: 1 });
      expectObservable(messages.pipe(metrics.trackMessages())).toBe('-a b |', {
        a: message('Q', 3),
        b: message('Q', 9),
      });
      expectObservable(metrics.snapshots$.pipe(filter((s) => s.at > 0)), '^ 12ms !').toBe(
        '10ms y',
        {
          y: {
            at: 10,
            state: 'lost',
            delivered: 2,
            messagesPerSecond: 200,
            reconnects: 1,
            gaps: 1,
            perQueue: { Q: queueMetrics({ delivered: 2, lastSeq: 9, gaps: 1, missed: 5 }) },
          },
        },
      );
    });
  });
});

describe('operators: HmbMetrics (embedded bus)', () => {
  let bus: TestBus;
  let client: HmbClient;

  beforeEach(async () => {
    bus = await startTestBus();
    client = new HmbClient(bus.url, { heartbeat: 0 });
  });

  afterEach(async () => {
    await client?.close();
    await bus?.close();
  });

  const settled = (
    snapshots: Observable<HmbMetricsSnapshot>,
    check: (s: HmbMetricsSnapshot) => boolean,
  ): Promise<HmbMetricsSnapshot> => firstValueFrom(snapshots.pipe(filter(check), timeout(10_000)));

  it('HmbMetrics: counts a real subscription, its lag behind /info and a gap left by an out-of-order send', async () => {
    await publish(bus.url, numbered('Q', 30));
    const metrics = new HmbMetrics({ info: () => client.info(), intervalMs: 50, lagRefreshMs: 50 });
    const subscription = client
      .events({ queue: { Q: { seq: 0 } } })
      .pipe(metrics.track())
      .subscribe();
    try {
      const caughtUp = await settled(
        metrics.snapshots$,
        (s) => s.perQueue['Q']?.delivered === 30 && s.perQueue['Q']?.lag === 0,
      );
      expect(caughtUp).toMatchObject({ state: 'open', delivered: 30, reconnects: 0, gaps: 0 });
      expect(caughtUp.perQueue['Q']).toMatchObject({ lastSeq: 29, endseq: 30 });

      // An explicit seq 40 leaves 30..39 out: the subscription reports a gap of 10.
      await publish(bus.url, [{ type: 'T', queue: 'Q', seq: 40 }]);
      const afterGap = await settled(metrics.snapshots$, (s) => s.gaps === 1 && s.delivered === 31);
      expect(afterGap.perQueue['Q']).toMatchObject({ lastSeq: 40, gaps: 1, missed: 10 });
    } finally {
      subscription.unsubscribe();
    }
  });
});
