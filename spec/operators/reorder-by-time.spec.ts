import { TestScheduler } from 'rxjs/testing';
import { take } from 'rxjs';
import { HmbBadParamError } from '../../src/errors/bad-param-error';
import { reorderByTime } from '../../src/operators/reorder-by-time';

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

interface Timed {
  readonly name: string;
  readonly t: number | string;
}

const at = (name: string, t: number | string): Timed => ({ name, t });
const timeOf = (v: Timed): number | string => v.t;

describe('operators: reorderByTime', () => {
  const values = {
    a: at('a', 100),
    b: at('b', 200),
    c: at('c', 300),
    d: at('d', 400),
    x: at('x', 150),
    y: at('y', 'not a time'),
    e: at('e', 200),
  };

  it('reorderByTime: holds each value for the lag and releases it with every earlier one, in time order', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      // b (200) at 0, a (100) at 3: both wait; at 10 b's wait is over and a goes first.
      const source = cold('b 2ms a 20ms c 20ms |', values);
      expectObservable(source.pipe(reorderByTime(timeOf, { lagMs: 10 }))).toBe(
        '10ms (ab) 20ms c 10ms |',
        values,
      );
      expectSubscriptions(source.subscriptions).toBe('^ 44ms !');
    });
  });

  it('reorderByTime: a value arriving later than the lag after a later one comes out late', () => {
    scheduler().run(({ cold, expectObservable }) => {
      // c (300) at 0 is released at 10; x (150) arrives at 15, waits its own lag, out at 25.
      const source = cold('c 14ms x 19ms |', values);
      expectObservable(source.pipe(reorderByTime(timeOf, { lagMs: 10 }))).toBe(
        '10ms c 14ms x 9ms |',
        values,
      );
    });
  });

  it('reorderByTime: completion flushes everything held, in time order', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold('d c b a |', values);
      expectObservable(source.pipe(reorderByTime(timeOf, { lagMs: 1000 }))).toBe(
        '---- (abcd|)',
        values,
      );
    });
  });

  it('reorderByTime: an error flushes what is held, then errors', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold('b a #', values, new Error('boom'));
      expectObservable(source.pipe(reorderByTime(timeOf, { lagMs: 1000 }))).toBe(
        '-- (ab#)',
        values,
        new Error('boom'),
      );
    });
  });

  it('reorderByTime: equal times keep their arrival order; ISO time strings are read', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const iso = {
        p: at('p', '2026-11-24T06:12:31.400000Z'),
        q: at('q', '2026-11-24T06:12:31.4Z'),
        r: at('r', '2026-11-24T06:12:30Z'),
      };
      const source = cold('p q r |', iso);
      expectObservable(source.pipe(reorderByTime(timeOf, { lagMs: 50 }))).toBe('--- (rpq|)', iso);
    });
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold('b e a |', values);
      expectObservable(source.pipe(reorderByTime(timeOf, { lagMs: 50 }))).toBe(
        '--- (abe|)',
        values,
      );
    });
  });

  it('reorderByTime: values without a valid time pass straight through', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold('b y a 20ms |', values);
      expectObservable(source.pipe(reorderByTime(timeOf, { lagMs: 10 }))).toBe(
        '- y 8ms (ab) 9ms |',
        values,
      );
    });
  });

  it('reorderByTime: maxBuffered bounds the buffer: the earliest goes out at once when one more arrives', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold('d c b a 20ms |', values);
      expectObservable(source.pipe(reorderByTime(timeOf, { lagMs: 10, maxBuffered: 2 }))).toBe(
        '-- b a 6ms (cd) 10ms |',
        values,
      );
    });
  });

  it('reorderByTime: unsubscribing clears the timer and the buffer, and unsubscribes the source', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('b a 50ms c', values);
      expectObservable(source.pipe(reorderByTime(timeOf, { lagMs: 10 })), '^ 5ms !').toBe('');
      expectSubscriptions(source.subscriptions).toBe('^ 5ms !');
    });
  });

  it('reorderByTime: a subscriber that leaves while values are released stops the releases', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('b a 50ms c', values);
      expectObservable(source.pipe(reorderByTime(timeOf, { lagMs: 10 }), take(1))).toBe(
        '10ms (a|)',
        values,
      );
      expectSubscriptions(source.subscriptions).toBe('^ 9ms !');
    });
  });

  it('reorderByTime: refuses a negative lag or an empty buffer', () => {
    expect(() => reorderByTime(timeOf, { lagMs: -1 })).toThrow(HmbBadParamError);
    expect(() => reorderByTime(timeOf, { lagMs: Infinity })).toThrow(HmbBadParamError);
    expect(() => reorderByTime(timeOf, { lagMs: 10, maxBuffered: 0 })).toThrow(HmbBadParamError);
  });
});
