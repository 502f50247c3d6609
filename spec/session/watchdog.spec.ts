import { TestScheduler } from 'rxjs/testing';
import { HmbTimeoutError } from '../../src/errors/timeout-error';
import { watchdog } from '../../src/session/watchdog';

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('operators: watchdog', () => {
  const dead = new HmbTimeoutError('nothing received');

  it('watchdog: passes values through while they keep coming within the margin', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      const source = cold('a 9ms b 9ms c 9ms |');
      expectObservable(source.pipe(watchdog(10, () => dead, ts))).toBe('a 9ms b 9ms c 9ms |');
    });
  });

  it('watchdog: fails with the given error after a silence, and unsubscribes the source (aborting its request)', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a 5ms b 30ms c');
      expectObservable(source.pipe(watchdog(10, () => dead, ts))).toBe(
        'a 5ms b 9ms #',
        undefined,
        dead,
      );
      expectSubscriptions(source.subscriptions).toBe('^ 15ms !');
    });
  });

  it('watchdog: the deadline follows the last value, however values fall between its checks', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      // Values at 0, 6, 12 and 18 ms; with one timer that is set again for the rest of the margin,
      // the failure still comes exactly 10 ms after the last value.
      const source = cold('a 5ms b 5ms c 5ms d 20ms e');
      expectObservable(source.pipe(watchdog(10, () => dead, ts))).toBe(
        'a 5ms b 5ms c 5ms d 9ms #',
        undefined,
        dead,
      );
    });
  });

  it('watchdog: counts the silence from subscription too', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      const source = cold('20ms a');
      expectObservable(source.pipe(watchdog(10, () => dead, ts))).toBe('10ms #', undefined, dead);
    });
  });

  it('watchdog: a zero or infinite margin disables it', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      const source = cold('100ms a |');
      expectObservable(source.pipe(watchdog(0, () => dead, ts))).toBe('100ms a |');
      expectObservable(source.pipe(watchdog(Infinity, () => dead, ts))).toBe('100ms a |');
    });
  });

  it('watchdog: silence while paused (the consumer asked to wait) is not held against the source', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      let paused = true;
      ts.schedule(() => (paused = false), 25);
      const source = cold('a 40ms b');
      // Paused until 25 ms: the checks at 10 and 20 ms pass; the one at 30 ms fails.
      expectObservable(
        source.pipe(
          watchdog(
            10,
            () => dead,
            ts,
            () => paused,
          ),
        ),
      ).toBe('a 29ms #', undefined, dead);
    });
  });

  it('watchdog: unsubscribing clears its timer', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-');
      expectObservable(source.pipe(watchdog(10, () => dead, ts)), '^ 5ms !').toBe('');
      expectSubscriptions(source.subscriptions).toBe('^ 5ms !');
    });
  });
});
