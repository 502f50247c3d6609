import { firstValueFrom, lastValueFrom, take, timeout, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { HmbClient } from '../../src/node';
import { isHmbError } from '../../src/errors/hmb-error';
import {
  mergeBuses,
  type HmbSourceFailure,
  type HmbSourcedMessage,
} from '../../src/client/merge-buses';
import type { HmbMessage } from '../../src/protocol/message';
import { publish } from '../helpers/publish';
import { startTestBus, type TestBus } from '../helpers/test-bus';

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

interface Ev {
  readonly id: string;
  readonly t: number;
}

const m = (seq: number, id: string, t = seq): HmbMessage<Ev> => ({
  kind: 'message',
  type: 'ALERT',
  queue: 'Q',
  seq,
  data: { id, t },
});
const on = (bus: string, message: HmbMessage<Ev>): HmbSourcedMessage<Ev> => ({ ...message, bus });

describe('operators: mergeBuses (virtual time)', () => {
  it('mergeBuses: merges the sources and labels each message with its bus', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const one = cold('a - c |', { a: m(0, 'A'), c: m(1, 'C') });
      const two = cold('- b - - |', { b: m(0, 'B') });
      const out = mergeBuses<Ev>([
        { bus: 'dc1', messages: one },
        { bus: 'dc2', messages: two },
      ]);
      expectObservable(out).toBe('a b c - |', {
        a: on('dc1', m(0, 'A')),
        b: on('dc2', m(0, 'B')),
        c: on('dc1', m(1, 'C')),
      });
      expectSubscriptions(one.subscriptions).toBe('^ - - !');
      expectSubscriptions(two.subscriptions).toBe('^ - - - !');
    });
  });

  it('mergeBuses: bare Observables are labelled source[i] unless their messages carry a bus', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const bare = cold('a |', { a: m(0, 'A') });
      const sourced = cold('- b |', { b: on('upstream', m(0, 'B')) });
      expectObservable(mergeBuses<Ev>([bare, sourced])).toBe('a b |', {
        a: on('source[0]', m(0, 'A')),
        b: on('upstream', m(0, 'B')),
      });
    });
  });

  it('mergeBuses: dedupe lets the first copy of each key through', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const one = cold('a - b - |', { a: m(0, 'A'), b: m(1, 'B') });
      const two = cold('- a - b c |', { a: m(7, 'A'), b: m(8, 'B'), c: m(9, 'C') });
      const out = mergeBuses<Ev>(
        [
          { bus: 'dc1', messages: one },
          { bus: 'dc2', messages: two },
        ],
        { dedupe: { key: (x) => x.data?.id } },
      );
      expectObservable(out).toBe('a - b - c |', {
        a: on('dc1', m(0, 'A')),
        b: on('dc1', m(1, 'B')),
        c: on('dc2', m(9, 'C')),
      });
    });
  });

  it('mergeBuses: dedupe windows are bounded by count and time', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const one = cold('a 20ms |', { a: m(0, 'A') });
      const two = cold('5ms a 9ms a |', { a: m(3, 'A') });
      const out = mergeBuses<Ev>(
        [
          { bus: 'dc1', messages: one },
          { bus: 'dc2', messages: two },
        ],
        { dedupe: { key: (x) => x.data?.id, windowMs: 10 } },
      );
      // The copy at 5 ms is a duplicate; the one at 15 ms is outside the 10 ms window.
      expectObservable(out).toBe('a 14ms b 5ms |', {
        a: on('dc1', m(0, 'A')),
        b: on('dc2', m(3, 'A')),
      });
    });
  });

  it('mergeBuses: reorder puts messages in time order within the lag and flushes at the end', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const fast = cold('(ab) 10ms e |', { a: m(0, 'A', 10), b: m(1, 'B', 30), e: m(2, 'E', 60) });
      const slow = cold('1ms c 4ms d |', { c: m(0, 'C', 20), d: m(1, 'D', 40) });
      const out = mergeBuses<Ev>(
        [
          { bus: 'fast', messages: fast },
          { bus: 'slow', messages: slow },
        ],
        { reorder: { time: (x) => x.data!.t, lagMs: 5 } },
      );
      // a and b (times 10, 30) wait 5 ms; c (20) overtakes b meanwhile. d arrives at 6 ms and
      // goes at 11 ms; e is still held when the last source completes, and is flushed.
      expectObservable(out).toBe('5ms (acb) - d 3ms (e|)', {
        a: on('fast', m(0, 'A', 10)),
        b: on('fast', m(1, 'B', 30)),
        c: on('slow', m(0, 'C', 20)),
        d: on('slow', m(1, 'D', 40)),
        e: on('fast', m(2, 'E', 60)),
      });
    });
  });

  it('mergeBuses: a failing source is reported and the others go on (failFast off)', () => {
    const failures: HmbSourceFailure[] = [];
    const boom = new Error('queue not found');
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const good = cold('a - - c |', { a: m(0, 'A'), c: m(1, 'C') });
      const bad = cold('- b #', { b: m(0, 'B') }, boom);
      const out = mergeBuses<Ev>(
        [
          { bus: 'dc1', messages: good },
          { bus: 'dc2', messages: bad },
        ],
        { onSourceError: (f) => failures.push(f) },
      );
      expectObservable(out).toBe('a b - c |', {
        a: on('dc1', m(0, 'A')),
        b: on('dc2', m(0, 'B')),
        c: on('dc1', m(1, 'C')),
      });
      expectSubscriptions(good.subscriptions).toBe('^ - - - !');
    });
    expect(failures).toEqual([{ bus: 'dc2', index: 1, error: boom }]);
  });

  it('mergeBuses: failFast errors at the first failure and unsubscribes the other sources', () => {
    const failures: HmbSourceFailure[] = [];
    const boom = new Error('boom');
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const good = cold('a - - c |', { a: m(0, 'A'), c: m(1, 'C') });
      const bad = cold<HmbMessage<Ev>>('- - #', {}, boom);
      const out = mergeBuses<Ev>([good, bad], {
        failFast: true,
        onSourceError: (f) => failures.push(f),
      });
      expectObservable(out).toBe('a - #', { a: on('source[0]', m(0, 'A')) }, boom);
      expectSubscriptions(good.subscriptions).toBe('^ - !');
    });
    expect(failures).toEqual([{ bus: 'source[1]', index: 1, error: boom }]);
  });

  it('mergeBuses: when every source has failed, the merged stream errors with an AggregateError', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const e1 = new Error('one');
      const e2 = new Error('two');
      const out = mergeBuses<Ev>([cold('#', {}, e1), cold('- #', {}, e2)]);
      expectObservable(out).toBe(
        '- #',
        undefined,
        new AggregateError([e1, e2], 'mergeBuses: every source failed (one; two)'),
      );
    });
  });

  it('mergeBuses: no sources completes at once; unsubscribing ends every source', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      expectObservable(mergeBuses<Ev>([])).toBe('|');
      const one = cold('a 9ms b', { a: m(0, 'A'), b: m(1, 'B') });
      const two = cold<HmbMessage<Ev>>('-');
      const out = mergeBuses<Ev>([one, two], { reorder: { time: (x) => x.data!.t, lagMs: 2 } });
      expectObservable(out, '^ 4ms !').toBe('2ms a', { a: on('source[0]', m(0, 'A')) });
      expectSubscriptions(one.subscriptions).toBe('^ 4ms !');
      expectSubscriptions(two.subscriptions).toBe('^ 4ms !');
    });
  });
});

describe('operators: mergeBuses (embedded buses)', () => {
  let bus1: TestBus;
  let bus2: TestBus;
  let dc1: HmbClient;
  let dc2: HmbClient;

  beforeEach(async () => {
    [bus1, bus2] = await Promise.all([startTestBus(), startTestBus()]);
    dc1 = new HmbClient(bus1.url, { heartbeat: 0 });
    dc2 = new HmbClient(bus2.url, { heartbeat: 0 });
  });

  afterEach(async () => {
    await Promise.all([dc1?.close(), dc2?.close()]);
    await Promise.all([bus1?.close(), bus2?.close()]);
  });

  const alerts = (ids: string[]): { type: string; queue: string; data: Ev }[] =>
    ids.map((id) => ({ type: 'ALERT', queue: 'ALERTS', data: { id, t: Number(id.slice(1)) } }));
  const window = { queue: { ALERTS: { seq: 0, keep: false } } };

  it('mergeBuses: the same alerts from two buses appear once, each labelled with its bus', async () => {
    await publish(bus1.url, alerts(['e1', 'e2', 'e3', 'e4']));
    await publish(bus2.url, alerts(['e3', 'e4', 'e5', 'e6']));
    const got = await lastValueFrom(
      mergeBuses<Ev>(
        [
          { client: dc1, params: window },
          { client: dc2, params: window },
        ],
        { dedupe: { key: (x) => x.data?.id, windowSize: 100 } },
      ).pipe(toArray(), timeout(10_000)),
    );
    expect(got.map((x) => x.data?.id).sort()).toEqual(['e1', 'e2', 'e3', 'e4', 'e5', 'e6']);
    for (const x of got) {
      expect([bus1.url, bus2.url]).toContain(x.bus);
      if (x.data!.id === 'e1' || x.data!.id === 'e2') expect(x.bus).toBe(bus1.url);
      if (x.data!.id === 'e5' || x.data!.id === 'e6') expect(x.bus).toBe(bus2.url);
    }
  });

  it('mergeBuses: live messages from two buses come out in time order within the lag', async () => {
    // The queue does not exist yet: wait for it to be created by the first send.
    const live = { params: { queue: { ALERTS: { seq: 0 } } }, options: { waitForQueues: true } };
    const merged = firstValueFrom(
      mergeBuses<Ev>(
        [
          { client: dc1, ...live },
          { client: dc2, ...live },
        ],
        { reorder: { time: (x) => x.data!.t, lagMs: 600 } },
      ).pipe(take(4), toArray(), timeout(10_000)),
    );
    // Later times first, on the faster bus; the earlier ones follow on the other bus 100 ms later.
    await publish(bus1.url, alerts(['e30', 'e40']));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await publish(bus2.url, alerts(['e10', 'e20']));
    const got = await merged;
    expect(got.map((x) => x.data?.id)).toEqual(['e10', 'e20', 'e30', 'e40']);
    expect(got.map((x) => x.bus)).toEqual([bus2.url, bus2.url, bus1.url, bus1.url]);
  });

  it('mergeBuses: one bus failing for good (a missing queue) is reported while the other keeps delivering', async () => {
    await publish(bus2.url, alerts(['e1', 'e2', 'e3']));
    const failures: HmbSourceFailure[] = [];
    const got = await lastValueFrom(
      mergeBuses<Ev>(
        [
          { client: dc1, params: { queue: { NO_SUCH_QUEUE: { seq: 0 } } } },
          { client: dc2, params: window },
        ],
        { onSourceError: (f) => failures.push(f) },
      ).pipe(toArray(), timeout(10_000)),
    );
    expect(got.map((x) => [x.bus, x.data?.id])).toEqual([
      [bus2.url, 'e1'],
      [bus2.url, 'e2'],
      [bus2.url, 'e3'],
    ]);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ bus: bus1.url, index: 0 });
    expect(isHmbError(failures[0]!.error, 'HMB_ERR_QUEUE_NOT_FOUND')).toBe(true);
  });

  it('mergeBuses: is cold: no session is opened before subscribing', async () => {
    await publish(bus1.url, alerts(['e1']));
    const merged = mergeBuses<Ev>([{ client: dc1, params: window }]);
    const queueSessions = async (): Promise<number> =>
      Object.values((await firstValueFrom(dc1.status())).session).filter(
        (s) => s.queue['ALERTS'] !== undefined,
      ).length;
    expect(await queueSessions()).toBe(0);
    const got = await lastValueFrom(merged.pipe(toArray(), timeout(10_000)));
    expect(got).toHaveLength(1);
    expect(await queueSessions()).toBe(1);
  });
});
