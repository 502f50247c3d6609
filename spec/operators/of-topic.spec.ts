import { from, lastValueFrom, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { HmbBadParamError } from '../../src/errors/bad-param-error';
import { HmbClient } from '../../src/node';
import { ofTopic } from '../../src/operators/of-topic';
import { EOF, HEARTBEAT, type HmbMessage } from '../../src/protocol/message';
import type { HmbEvent } from '../../src/session/hmb-event';
import { publish } from '../helpers/publish';
import { startTestBus, type TestBus } from '../helpers/test-bus';

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

const message = (seq: number, topic?: string): HmbMessage => ({
  kind: 'message',
  type: 'T',
  queue: 'Q',
  seq,
  ...(topic === undefined ? {} : { topic }),
});

describe('operators: ofTopic', () => {
  const values = {
    a: message(0, 'T0'),
    b: message(1, 'T1'),
    c: message(2, 'T10'),
    d: message(3),
    h: HEARTBEAT,
    e: EOF,
  };

  it('ofTopic: keeps the matching messages, and lets heartbeats and EOF through as the server does', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<HmbEvent>('a h b c d e |', values);
      expectObservable(source.pipe(ofTopic('T*', '!T1'))).toBe('a h - c - e |', values);
      expectSubscriptions(source.subscriptions).toBe('^ - - - - - !');
    });
  });

  it('ofTopic: no patterns let everything through; a message without topic has topic ""', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold('a b c d |', values);
      expectObservable(source.pipe(ofTopic())).toBe('a b c d |', values);
      expectObservable(source.pipe(ofTopic('*'))).toBe('a b c d |', values);
      expectObservable(source.pipe(ofTopic('T?'))).toBe('a b - - |', values);
      expectObservable(source.pipe(ofTopic('!'))).toBe('a b c - |', values);
    });
  });

  it('ofTopic: errors pass through and unsubscribing unsubscribes the source', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const failing = cold('a #', values, new Error('boom'));
      expectObservable(failing.pipe(ofTopic('T0'))).toBe('a #', values, new Error('boom'));
      const endless = cold('a 5ms b', values);
      expectObservable(endless.pipe(ofTopic('T1')), '^ 3ms !').toBe('');
      expectSubscriptions(endless.subscriptions).toBe('^ 3ms !');
    });
  });

  it('ofTopic: an invalid pattern throws HmbBadParamError when the operator is created', () => {
    expect(() => ofTopic('T-1')).toThrow(HmbBadParamError);
    expect(() => ofTopic('T1', 'bad topic')).toThrow('topic contains invalid characters');
    expect(() => ofTopic('!!')).toThrow(HmbBadParamError);
  });
});

describe('operators: ofTopic agrees with the server', () => {
  // Topics of the published messages; undefined is a message without topic ("").
  const TOPICS = ['T0', 'T1', 'T2', undefined, 'T10', 'XT2', 'T', 'AB_c', 'ab_C', 'T1T1'];
  const PATTERN_TABLE: string[][] = [
    ['T1'],
    ['T1', 'T2'],
    ['T0', 'T1', 'T2'],
    ['T*'],
    ['T?'],
    ['*'],
    [],
    ['!T1'],
    ['!T1', '!T2'],
    ['T*', '!T1'],
    ['!T*'],
    ['!'],
    ['t1'],
    ['*1'],
    ['*T1*'],
    ['T*1'],
    ['?'],
    ['??'],
    ['AB_?', 'ab*'],
    ['*', '!*_*'],
    ['T1T1', '!T1*'],
  ];

  let bus: TestBus;
  let client: HmbClient;
  let all: HmbMessage[];

  beforeAll(async () => {
    bus = await startTestBus({ maxSessionsPerIp: 100 });
    // recheck: false, so that what arrives is what the server's own matching let through.
    client = new HmbClient(bus.url, { recheck: false, heartbeat: 0 });
    await publish(
      bus.url,
      TOPICS.map((topic, i) => ({
        type: 'T',
        queue: 'Q',
        data: { i },
        ...(topic ? { topic } : {}),
      })),
    );
    all = await lastValueFrom(client.recvAll({ queue: { Q: { seq: 0 } } }).pipe(toArray()));
  });

  afterAll(async () => {
    await client?.close();
    await bus?.close();
  });

  it.each(PATTERN_TABLE.map((patterns) => [JSON.stringify(patterns), patterns] as const))(
    'ofTopic: %s lets through exactly what the server delivers',
    async (_name, patterns) => {
      expect(all).toHaveLength(TOPICS.length);
      const server = await lastValueFrom(
        client.recvAll({ queue: { Q: { seq: 0, topics: patterns } } }).pipe(toArray()),
      );
      const local = await lastValueFrom(from(all).pipe(ofTopic(...patterns), toArray()));
      expect(local).toEqual(server);
    },
  );
});
