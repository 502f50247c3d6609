import { from, lastValueFrom, toArray, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { HmbFilterError } from '../../src/errors/filter-error';
import type { HmbDataFilter } from '../../src/operators/hmb-data-filter';
import { whereData } from '../../src/operators/where-data';
import { EOF, HEARTBEAT, type HmbMessage } from '../../src/protocol/message';
import type { HmbEvent } from '../../src/session/hmb-event';
import {
  FILTER_CASES,
  FILTER_MESSAGES,
  FILTER_NO_REGEX_CASES,
  FILTER_REGEX_CASES,
  FILTER_SENDER_CID,
  type FilterCase,
} from '../fixtures/filter-cases';

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

interface Alert {
  eventId: string;
  magnitude: number;
  tags: string[];
  origin: { depthKm: number; agency?: string };
  picks: { station: string; phase: 'P' | 'S' }[];
}

const alert = (seq: number, magnitude: number, extra: Partial<Alert> = {}): HmbMessage<Alert> => ({
  kind: 'message',
  type: 'ALERT',
  queue: 'Q',
  seq,
  sender: 'dc1',
  data: {
    eventId: `e${seq}`,
    magnitude,
    tags: [],
    origin: { depthKm: 10 },
    picks: [],
    ...extra,
  },
});

describe('operators: whereData', () => {
  const messages = {
    a: alert(0, 3.1),
    b: alert(1, 5.4, { tags: ['tsunami'] }),
    c: alert(2, 6.0, { origin: { depthKm: 120 } }),
    d: alert(3, 4.9, { picks: [{ station: 'GE.APE', phase: 'S' }] }),
  };
  const values = { ...messages, h: HEARTBEAT, e: EOF };

  it('whereData: keeps the messages the filter accepts, passing heartbeats and EOF', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<HmbEvent<Alert>>('a h b c d e |', values);
      const shallowBig = whereData({
        'data.magnitude': { $gte: 5 },
        'data.origin.depthKm': { $lt: 70 },
      });
      expectObservable(source.pipe(shallowBig)).toBe('- h b - - e |', values);
      expectSubscriptions(source.subscriptions).toBe('^ - - - - - !');
    });
  });

  it('whereData: type, sender, arrays, arrays of documents and logical operators', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold<HmbMessage<Alert>>('a b c d |', messages);
      expectObservable(source.pipe(whereData({ 'data.tags': 'tsunami' }))).toBe(
        '- b - - |',
        values,
      );
      expectObservable(source.pipe(whereData({ 'data.picks.phase': 'S' }))).toBe(
        '- - - d |',
        values,
      );
      expectObservable(
        source.pipe(
          whereData({ $or: [{ 'data.magnitude': { $lt: 4 } }, { 'data.eventId': 'e2' }] }),
        ),
      ).toBe('a - c - |', values);
      expectObservable(source.pipe(whereData({ $not: { type: 'ALERT' } }))).toBe('- - - - |');
      expectObservable(
        source.pipe(whereData({ sender: 'dc1', 'data.origin.agency': { $exists: false } })),
      ).toBe('a b c d |', values);
    });
  });

  it('whereData: $regex is accepted by default (RE2) and refused with regex: false', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold<HmbMessage<Alert>>('a b c d |', messages);
      expectObservable(source.pipe(whereData({ 'data.eventId': { $regex: '^e[13]$' } }))).toBe(
        '- b - d |',
        values,
      );
    });
    expect(() => whereData({ 'data.x': { $regex: 'a' } }, { regex: false })).toThrow(
      'unknown operator: $regex',
    );
  });

  it('whereData: an invalid filter throws HmbFilterError with the server text when the operator is created', () => {
    expect(() => whereData({})).toThrow(HmbFilterError);
    expect(() => whereData({})).toThrow('invalid filter expression');
    expect(() => whereData({ 'data.i': { $in: 5 as unknown as number[] } })).toThrow(
      '$in expects list argument',
    );
    expect(() => whereData({ 'data.i': { $gt: true as unknown as number } })).toThrow(
      '$gt expects numeric or string argument',
    );
  });

  it('whereData: errors pass through and unsubscribing unsubscribes the source', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const failing = cold('b #', messages, new Error('boom'));
      expectObservable(failing.pipe(whereData({ type: 'ALERT' }))).toBe(
        'b #',
        values,
        new Error('boom'),
      );
      const endless = cold('a 5ms b', messages);
      expectObservable(endless.pipe(whereData({ type: 'ALERT' })), '^ 3ms !').toBe('a', values);
      expectSubscriptions(endless.subscriptions).toBe('^ 3ms !');
    });
  });

  it('whereData: the filter is typed against the data (type test)', () => {
    const ok: HmbDataFilter<Alert> = {
      type: { $in: ['ALERT', 'UPDATE'] },
      'data.magnitude': { $gte: 4, $lt: 9 },
      'data.tags': { $in: ['tsunami'] },
      'data.picks.station': { $regex: '^GE\\.' },
      'data.origin': { $exists: true },
      $nor: [{ 'data.origin.agency': 'TEST' }],
    };
    expect(typeof whereData(ok)).toBe('function');
    // Compiled by tsc, never run: the invalid filters would throw HmbFilterError at run time.
    const typeOnly = (
      source: Observable<HmbMessage<Alert>>,
      untyped: Observable<HmbMessage>,
    ): void => {
      // @ts-expect-error: magnitude is a number, not a string
      source.pipe(whereData({ 'data.magnitude': '5' }));
      // @ts-expect-error: no such path in Alert
      source.pipe(whereData({ 'data.magnitud': 5 }));
      // @ts-expect-error: $regex needs a string field
      source.pipe(whereData({ 'data.magnitude': { $regex: '5' } }));
      // @ts-expect-error: phase is 'P' | 'S'
      source.pipe(whereData({ 'data.picks.phase': 'X' }));
      // @ts-expect-error: documents are never compared, only tested with $exists
      source.pipe(whereData({ 'data.origin': { depthKm: 10 } }));
      // Untyped data: any data.<path> is accepted.
      untyped.pipe(whereData({ 'data.anything.at.all': 1 }));
    };
    expect(typeof typeOnly).toBe('function');
  });
});

describe('operators: whereData runs the shared filter table', () => {
  /** The table's messages as the server delivers them (sender = the sending session's cid). */
  const MESSAGES: HmbMessage[] = FILTER_MESSAGES.map((m, seq) => ({
    kind: 'message',
    queue: 'Q',
    seq,
    sender: FILTER_SENDER_CID,
    ...m,
  }));

  async function runCase(c: FilterCase, regex: boolean): Promise<void> {
    const filter = c.filter as HmbDataFilter;
    if ('error' in c) {
      let thrown: unknown;
      try {
        whereData(filter, { regex });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(HmbFilterError);
      expect((thrown as Error).message).toBe(c.error);
      return;
    }
    const passed = await lastValueFrom(
      from(MESSAGES).pipe(whereData(filter, { regex }), toArray()),
    );
    expect(passed.map((m) => m.seq)).toEqual(c.matches);
  }

  test.each(FILTER_CASES.map((c) => [c.name, c] as const))('whereData: %s', async (_name, c) => {
    await runCase(c, false);
    await runCase(c, true);
  });
  test.each(FILTER_NO_REGEX_CASES.map((c) => [c.name, c] as const))(
    'whereData: regex: false: %s',
    (_name, c) => runCase(c, false),
  );
  test.each(FILTER_REGEX_CASES.map((c) => [c.name, c] as const))(
    'whereData: with regex: %s',
    (_name, c) => runCase(c, true),
  );
});
