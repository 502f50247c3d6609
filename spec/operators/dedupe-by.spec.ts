import { TestScheduler } from 'rxjs/testing';
import { HmbBadParamError } from '../../src/errors/bad-param-error';
import { dedupeBy } from '../../src/operators/dedupe-by';

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

interface Item {
  readonly id?: string;
  readonly from: string;
}

const v = (id: string | undefined, from: string): Item => ({ ...(id ? { id } : {}), from });
const byId = (item: Item): string | undefined => item.id;

describe('operators: dedupeBy', () => {
  const values = {
    a: v('A', 'bus1'),
    A: v('A', 'bus2'),
    b: v('B', 'bus1'),
    B: v('B', 'bus2'),
    c: v('C', 'bus1'),
    n: v(undefined, 'bus1'),
  };

  it('dedupeBy: the first value with a key passes, repeats are dropped', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a b A c B a |', values);
      expectObservable(source.pipe(dedupeBy(byId))).toBe('a b - c - - |', values);
      expectSubscriptions(source.subscriptions).toBe('^ - - - - - !');
    });
  });

  it('dedupeBy: values without a key (undefined) are never duplicates', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold('n n a n |', values);
      expectObservable(source.pipe(dedupeBy(byId))).toBe('n n a n |', values);
    });
  });

  it('dedupeBy: windowSize bounds the memory: the oldest key is forgotten', () => {
    scheduler().run(({ cold, expectObservable }) => {
      // With room for 2 keys, A is forgotten when C arrives, so A passes again; C is still known.
      const source = cold('a b c c A |', values);
      expectObservable(source.pipe(dedupeBy(byId, { windowSize: 2 }))).toBe('a b c - A |', values);
    });
  });

  it('dedupeBy: windowMs forgets a key that long after its first sighting (repeats do not extend it)', () => {
    scheduler().run(({ cold, expectObservable }) => {
      // a at 0, A at 5 (dropped), A at 9 (dropped: first sighting 9 ms ago), A at 10 (passes).
      const source = cold('a 4ms A 3ms A A 5ms b |', values);
      expectObservable(source.pipe(dedupeBy(byId, { windowMs: 10 }))).toBe(
        'a 4ms - 3ms - A 5ms b |',
        values,
      );
    });
  });

  it('dedupeBy: each subscription has its own memory (cold)', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold('a A |', values);
      const deduped = source.pipe(dedupeBy(byId));
      expectObservable(deduped).toBe('a - |', values);
      expectObservable(deduped).toBe('a - |', values);
    });
  });

  it('dedupeBy: errors pass through; unsubscribing unsubscribes the source', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const failing = cold('a A #', values, new Error('boom'));
      expectObservable(failing.pipe(dedupeBy(byId))).toBe('a - #', values, new Error('boom'));
      const endless = cold('a 5ms b', values);
      expectObservable(endless.pipe(dedupeBy(byId)), '^ 3ms !').toBe('a', values);
      expectSubscriptions(endless.subscriptions).toBe('^ 3ms !');
    });
  });

  it('dedupeBy: refuses windows that cannot hold anything', () => {
    expect(() => dedupeBy(byId, { windowSize: 0 })).toThrow(HmbBadParamError);
    expect(() => dedupeBy(byId, { windowMs: -1 })).toThrow(HmbBadParamError);
  });

  it('dedupeBy: memory stays bounded on a long stream of distinct keys', async () => {
    const { range, lastValueFrom, count } = await import('rxjs');
    const n = await lastValueFrom(
      range(0, 50_000).pipe(
        dedupeBy((i) => i % 25_000, { windowSize: 100 }),
        count(),
      ),
    );
    // Every key comes back only after 24,999 others: long forgotten, so nothing is dropped.
    expect(n).toBe(50_000);
  });
});
