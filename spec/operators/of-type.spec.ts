import { TestScheduler } from 'rxjs/testing';
import { from, lastValueFrom, toArray, type Observable } from 'rxjs';
import { ofType } from '../../src/operators/of-type';
import { EOF, HEARTBEAT, type HmbMessage } from '../../src/protocol/message';
import type { HmbEvent } from '../../src/session/hmb-event';

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

const message = (type: string, seq: number): HmbMessage<{ n: number }> => ({
  kind: 'message',
  type,
  queue: 'Q',
  seq,
  data: { n: seq },
});

describe('operators: ofType', () => {
  const values = {
    a: message('ORIGIN', 0),
    b: message('PICK', 1),
    c: message('MAGNITUDE', 2),
    d: message('origin', 3),
  };

  it('ofType: keeps the messages of the given types, in order, and completes with the source', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a b c d |', values);
      expectObservable(source.pipe(ofType('ORIGIN', 'MAGNITUDE'))).toBe('a - c - |', values);
      expectSubscriptions(source.subscriptions).toBe('^ - - - !');
    });
  });

  it('ofType: drops heartbeats, EOF and the other events (it selects messages only)', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const events: Record<string, HmbEvent<{ n: number }>> = {
        a: values.a,
        h: HEARTBEAT,
        e: EOF,
        s: { kind: 'state', state: { type: 'opening', attempt: 0 } },
        g: { kind: 'gap', queue: 'Q', expectedSeq: 1, nextSeq: 4, reason: 'skipped' },
      };
      const source = cold('s h a g e |', events);
      expectObservable(source.pipe(ofType('ORIGIN', 'HEARTBEAT', 'EOF'))).toBe(
        '- - a - - |',
        events,
      );
    });
  });

  it('ofType: with no types nothing passes; errors pass through', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a b #', values, new Error('boom'));
      expectObservable(source.pipe(ofType())).toBe('- - #', undefined, new Error('boom'));
      expectSubscriptions(source.subscriptions).toBe('^ - !');
    });
  });

  it('ofType: unsubscribing unsubscribes the source', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a 5ms b', values);
      expectObservable(source.pipe(ofType('PICK')), '^ 3ms !').toBe('');
      expectSubscriptions(source.subscriptions).toBe('^ 3ms !');
    });
  });

  it('ofType: narrows the type to the literals given and keeps the data type', async () => {
    const source: Observable<HmbEvent<{ n: number }>> = from([
      values.a,
      HEARTBEAT,
      values.b,
      values.c,
    ]);
    const out = source.pipe(ofType('ORIGIN', 'PICK'));
    const typed: Observable<HmbMessage<{ n: number }> & { readonly type: 'ORIGIN' | 'PICK' }> = out;
    // @ts-expect-error: MAGNITUDE was not selected, so no message can have that type.
    const wrong: Observable<{ readonly type: 'MAGNITUDE' }> = out;
    void wrong;
    const got = await lastValueFrom(typed.pipe(toArray()));
    expect(got.map((m) => [m.type, m.data?.n])).toEqual([
      ['ORIGIN', 0],
      ['PICK', 1],
    ]);
  });
});
