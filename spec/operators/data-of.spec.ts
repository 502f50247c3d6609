import { from, lastValueFrom, toArray, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { dataOf } from '../../src/operators/data-of';
import { EOF, HEARTBEAT, type HmbMessage } from '../../src/protocol/message';
import type { HmbEvent } from '../../src/session/hmb-event';

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

interface Alert {
  eventId: string;
  magnitude: number;
}

const message = (seq: number, data?: Alert): HmbMessage<Alert> => ({
  kind: 'message',
  type: 'ALERT',
  queue: 'Q',
  seq,
  ...(data === undefined ? {} : { data }),
});

describe('operators: dataOf', () => {
  const x: Alert = { eventId: 'e1', magnitude: 5.1 };
  const y: Alert = { eventId: 'e2', magnitude: 3.3 };

  it('dataOf: hands on each message data and drops messages without data and non-messages', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<HmbEvent<Alert>>('a h n b e |', {
        a: message(0, x),
        h: HEARTBEAT,
        n: message(1),
        b: message(2, y),
        e: EOF,
      });
      expectObservable(source.pipe(dataOf<Alert>())).toBe('x - - y - |', { x, y });
      expectSubscriptions(source.subscriptions).toBe('^ - - - - !');
    });
  });

  it('dataOf: errors pass through and unsubscribing unsubscribes the source', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const failing = cold('a #', { a: message(0, x) }, new Error('boom'));
      expectObservable(failing.pipe(dataOf())).toBe('x #', { x }, new Error('boom'));
      const endless = cold('a 5ms b', { a: message(0, x), b: message(1, y) });
      expectObservable(endless.pipe(dataOf()), '^ 3ms !').toBe('x', { x });
      expectSubscriptions(endless.subscriptions).toBe('^ 3ms !');
    });
  });

  it('dataOf: types the data as asked (an assertion, not a check)', async () => {
    const source: Observable<HmbMessage> = from([message(0, x), message(1, y)]);
    const typed: Observable<Alert> = source.pipe(dataOf<Alert>());
    const got = await lastValueFrom(typed.pipe(toArray()));
    expect(got.map((a) => a.magnitude)).toEqual([5.1, 3.3]);
  });
});
