import { from, lastValueFrom, toArray, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { HmbInvalidDataError } from '../../src/errors/invalid-data-error';
import { isHmbError } from '../../src/errors/hmb-error';
import { decodeData } from '../../src/operators/decode-data';
import type { HmbSourcedMessage } from '../../src/client/merge-buses';
import type { HmbMessage } from '../../src/protocol/message';

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

interface Alert {
  eventId: string;
  magnitude: number;
}

const isAlert = (d: unknown): d is Alert =>
  typeof d === 'object' &&
  d !== null &&
  typeof (d as Alert).eventId === 'string' &&
  typeof (d as Alert).magnitude === 'number';

/** A parser in the style of a schema library: returns a new value or throws. */
const AlertSchema = {
  calls: 0,
  parse(d: unknown): Alert & { strong: boolean } {
    this.calls++;
    if (!isAlert(d)) throw new TypeError('expected { eventId: string, magnitude: number }');
    return { ...d, strong: d.magnitude >= 5 };
  },
};

const message = (seq: number, data: unknown): HmbMessage => ({
  kind: 'message',
  type: 'ALERT',
  queue: 'Q',
  seq,
  data,
});

describe('operators: decodeData', () => {
  const good1 = message(0, { eventId: 'e1', magnitude: 5.2 });
  const bad = message(1, { eventId: 'e2', magnitude: 'big' });
  const good2 = message(2, { eventId: 'e3', magnitude: 3.0 });

  it('decodeData: with a type guard, valid messages pass unchanged and typed', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a c |', { a: good1, c: good2 });
      expectObservable(source.pipe(decodeData(isAlert))).toBe('a c |', { a: good1, c: good2 });
      expectSubscriptions(source.subscriptions).toBe('^ - !');
    });
  });

  it('decodeData: by default, invalid data errors the stream with HmbInvalidDataError naming queue and seq, and unsubscribes the source', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a b c |', { a: good1, b: bad, c: good2 });
      const expected = new HmbInvalidDataError(
        'invalid data in ALERT message Q#1: rejected by the type guard',
        { queue: 'Q', seq: 1 },
      );
      expectObservable(source.pipe(decodeData(isAlert))).toBe('a #', { a: good1 }, expected);
      expectSubscriptions(source.subscriptions).toBe('^ !');
    });
  });

  it('decodeData: the error carries queue, seq, bus and the parser error as cause', async () => {
    const sourced: HmbSourcedMessage = { ...bad, bus: 'http://dc2:8000/alerts' };
    const failure = await lastValueFrom(from([sourced]).pipe(decodeData(AlertSchema))).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(HmbInvalidDataError);
    expect(isHmbError(failure, 'HMB_ERR_INVALID_DATA')).toBe(true);
    const error = failure as HmbInvalidDataError;
    expect(error).toMatchObject({ queue: 'Q', seq: 1, bus: 'http://dc2:8000/alerts' });
    expect(error.cause).toBeInstanceOf(TypeError);
    expect(error.message).toBe(
      'invalid data in ALERT message Q#1 from http://dc2:8000/alerts: expected { eventId: string, magnitude: number }',
    );
  });

  it("decodeData: onInvalid 'drop' skips invalid messages and goes on", () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold('a b c |', { a: good1, b: bad, c: good2 });
      expectObservable(source.pipe(decodeData(isAlert, { onInvalid: 'drop' }))).toBe('a - c |', {
        a: good1,
        c: good2,
      });
    });
  });

  it('decodeData: onInvalid as a function is told of each invalid message, which is dropped', () => {
    const told: [number | undefined, number][] = [];
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold('a b c b |', { a: good1, b: bad, c: good2 });
      const out = source.pipe(
        decodeData(isAlert, { onInvalid: (error, m) => told.push([error.seq, m.seq]) }),
      );
      expectObservable(out).toBe('a - c - |', { a: good1, c: good2 });
    });
    expect(told).toEqual([
      [1, 1],
      [1, 1],
    ]);
  });

  it('decodeData: a schema object with parse replaces the data by the parsed value (called as a method)', async () => {
    const got = await lastValueFrom(from([good1, good2]).pipe(decodeData(AlertSchema), toArray()));
    expect(got.map((m) => [m.seq, m.data.strong])).toEqual([
      [0, true],
      [2, false],
    ]);
    expect(AlertSchema.calls).toBeGreaterThan(0);
  });

  it('decodeData: a parse function works too; a thrown error makes the message invalid', async () => {
    const parse = (d: unknown): number => {
      if (typeof d !== 'number') throw new Error('not a number');
      return d * 2;
    };
    const numbers = [message(0, 1), message(1, 'x'), message(2, 3)];
    const got = await lastValueFrom(
      from(numbers).pipe(decodeData(parse, { onInvalid: 'drop' }), toArray()),
    );
    expect(got.map((m) => m.data)).toEqual([2, 6]);
  });

  it('decodeData: keeps the other fields of the message type (e.g. bus) and types data (type test)', async () => {
    const source: Observable<HmbSourcedMessage> = from([{ ...good1, bus: 'b1' }]);
    const out = source.pipe(decodeData(isAlert));
    const typed: Observable<{ readonly bus: string; readonly data: Alert }> = out;
    const [m] = await lastValueFrom(typed.pipe(toArray()));
    expect(m).toEqual({ ...good1, bus: 'b1' });
    // @ts-expect-error: the data is an Alert now, which has no `region`
    void m?.data.region;
  });

  it('decodeData: unsubscribing unsubscribes the source', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a 5ms c', { a: good1, c: good2 });
      expectObservable(source.pipe(decodeData(isAlert)), '^ 3ms !').toBe('a', { a: good1 });
      expectSubscriptions(source.subscriptions).toBe('^ 3ms !');
    });
  });
});
