import { defer, Subscriber } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import {
  deliverEveryEvent,
  routeMessagesAndCallbacks,
} from '../../src/client/subscription-delivery';
import { resumeAfterFailures, subscriptionRetry } from '../../src/client/subscription-retry';
import { deadLinkWatchdog, silenceLimitMs } from '../../src/client/subscription-watchdog';
import { HmbQueueNotFoundError } from '../../src/errors/queue-not-found-error';
import { HmbTimeoutError } from '../../src/errors/timeout-error';
import { EOF, HEARTBEAT, type HmbMessage } from '../../src/protocol/message';
import type { HmbConnectionState, HmbGap } from '../../src/session/connection-state';
import { ConnectionStateMachine } from '../../src/session/connection-state-machine';
import type { HmbEvent } from '../../src/session/hmb-event';

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

/** A subscriber that hands what it is given to `next`. */
function collector(next: (event: HmbEvent) => void): Subscriber<HmbEvent> {
  return new Subscriber<HmbEvent>({ next, error: () => undefined, complete: () => undefined });
}

const message: HmbMessage = { kind: 'message', type: 'T', queue: 'Q', seq: 3 };
const gap: HmbGap = { kind: 'gap', queue: 'Q', expectedSeq: 1, nextSeq: 3, reason: 'skipped' };

describe('subscription parts, each on its own', () => {
  it('delivery: subscribe gets messages (heartbeats when asked); gaps and live go to their callbacks; events gets everything', () => {
    const all: HmbEvent[] = [message, HEARTBEAT, gap, { kind: 'live' }, EOF];
    for (const heartbeats of [false, true]) {
      const next: HmbEvent[] = [];
      const gaps: HmbGap[] = [];
      let lives = 0;
      const deliver = routeMessagesAndCallbacks(
        collector((e) => next.push(e)),
        {
          heartbeats,
          onGap: (g) => gaps.push(g),
          onLive: () => lives++,
        },
      );
      all.forEach(deliver);
      expect(next).toEqual(heartbeats ? [message, HEARTBEAT] : [message]);
      expect(gaps).toEqual([gap]);
      expect(lives).toBe(1);
    }
    const every: HmbEvent[] = [];
    all.forEach(deliverEveryEvent(collector((e) => every.push(e))));
    expect(every).toEqual(all);
  });

  it('watchdog: the silence allowed is 1.5 heartbeats and 2 s, or readTimeoutMs without heartbeats', () => {
    expect(silenceLimitMs({ queue: {}, heartbeat: 10 }, { readTimeoutMs: 1 })).toBe(17_000);
    expect(silenceLimitMs({ queue: {}, heartbeat: 0 }, { readTimeoutMs: 5_000 })).toBe(5_000);
    expect(silenceLimitMs({ queue: {} }, {})).toBe(0);
  });

  it('watchdog: a silent link fails with HmbTimeoutError naming the bus, except while the consumer holds reading back', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      const dead = new HmbTimeoutError('nothing received for 10 ms (dead link?): http://b/x', {
        bus: 'http://b/x',
      });
      expectObservable(
        cold('a 20ms b').pipe(deadLinkWatchdog(10, 'http://b/x', () => false, ts)),
      ).toBe('a 9ms #', undefined, dead);
      expectObservable(
        cold('a 20ms b|').pipe(deadLinkWatchdog(10, 'http://b/x', () => true, ts)),
      ).toBe('a 20ms b|');
    });
  });

  it('retry: recvAll gives up after 5 attempts unless told otherwise; subscribe follows its own or the client retry', () => {
    expect(subscriptionRetry('recvAll', {}, undefined)).toEqual({ maxAttempts: 5 });
    expect(subscriptionRetry('recvAll', { retry: { maxAttempts: 2 } }, undefined)).toEqual({
      maxAttempts: 2,
    });
    expect(subscriptionRetry('recvAll', { retry: false }, { maxAttempts: 9 })).toBe(false);
    expect(subscriptionRetry('subscribe', {}, { maxAttempts: 9 })).toEqual({ maxAttempts: 9 });
    expect(subscriptionRetry('events', {}, undefined)).toBeUndefined();
  });

  it('retry: a transient failure is retried after the backoff and tells lost then resuming; a fatal one ends it', () => {
    const ts = scheduler();
    const states: HmbConnectionState[] = [];
    const transient = new HmbTimeoutError('silence');
    const fatal = new HmbQueueNotFoundError('queue not found: Q');
    ts.run(({ cold, expectObservable }) => {
      const machine = new ConnectionStateMachine((s) => states.push(s));
      let attempts = 0;
      // The first attempt fails transiently, the second fatally, each 1 ms after it starts.
      const source = defer(() =>
        cold<string>('-#', undefined, attempts++ === 0 ? transient : fatal),
      );
      const resilient = source.pipe(
        resumeAfterFailures<string>(
          { initialDelayMs: 10, jitter: 'none' },
          { explain: (e) => e, report: (i) => machine.report(i), scheduler: ts },
        ),
      );
      // Fails at 1 ms, waits 10 ms, then the second attempt fails fatally at 12 ms.
      expectObservable(resilient).toBe('- 10ms -#', undefined, fatal);
    });
    expect(states).toEqual([
      { type: 'lost', error: transient, attempt: 1 },
      { type: 'resuming', error: transient, attempt: 1, delayMs: 10 },
    ]);
  });
});
