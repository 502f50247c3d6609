import { lastValueFrom, tap, timeout, toArray } from 'rxjs';
import { HmbClient } from '../../src/node';
import { isHmbError } from '../../src/errors/hmb-error';
import { planWindow, recvWindow } from '../../src/client/recv-window';
import type { HmbInfo, HmbQueueInfo } from '../../src/protocol/bus-info';
import { numbered, publish } from '../helpers/publish';
import { startTestBus, type TestBus } from '../helpers/test-bus';

const held = (startseq: number | null, endseq: number | null): HmbQueueInfo => ({
  startseq,
  endseq,
  starttime: null,
  endtime: null,
  topic: null,
});
const info = (queues: Record<string, HmbQueueInfo>): HmbInfo => ({ queue: queues });

describe('operators: recvWindow planning (planWindow)', () => {
  const q10 = info({ Q: held(0, 10), R: held(95, 100), E: held(null, null) });

  it('recvWindow: a seq window is pinned to the current end and counted', () => {
    expect(planWindow({ queue: { Q: { seq: 0 } } }, q10)).toEqual({
      params: { queue: { Q: { seq: 0, endseq: 9 } } },
      total: 10,
    });
    expect(planWindow({ queue: { Q: { seq: 4, endseq: 6 } } }, q10)).toEqual({
      params: { queue: { Q: { seq: 4, endseq: 6 } } },
      total: 3,
    });
    expect(planWindow({ queue: { Q: { seq: 4, endseq: 60 } } }, q10).total).toBe(6);
  });

  it('recvWindow: negative seq becomes the absolute seq it stands for, as the server counts it', () => {
    expect(planWindow({ queue: { Q: { seq: -5 } } }, q10)).toEqual({
      params: { queue: { Q: { seq: 6, endseq: 9 } } },
      total: 4,
    });
    expect(planWindow({ queue: { Q: { seq: -1000 } } }, q10).params.queue['Q']!.seq).toBe(0);
    // Default seq (-1): only new messages, none in a window.
    expect(planWindow({ queue: { Q: {} } }, q10).total).toBe(0);
    // Beyond the end: clamped to the next seq, empty.
    expect(planWindow({ queue: { Q: { seq: 50 } } }, q10).total).toBe(0);
  });

  it('recvWindow: seqs older than the server holds are not counted; several queues add up', () => {
    expect(planWindow({ queue: { R: { seq: 0 } } }, q10).total).toBe(5);
    expect(planWindow({ queue: { Q: { seq: 0 }, R: { seq: -3 }, E: { seq: 0 } } }, q10).total).toBe(
      12,
    );
  });

  it('recvWindow: topics, filters, time windows, qlen or an unknown queue make the total unknown', () => {
    expect(planWindow({ queue: { Q: { seq: 0, topics: ['A*'] } } }, q10).total).toBeUndefined();
    expect(
      planWindow({ queue: { Q: { seq: 0, filter: { type: 'A' } } } }, q10).total,
    ).toBeUndefined();
    expect(planWindow({ queue: { Q: { seq: 0, qlen: 3 } } }, q10).total).toBeUndefined();
    expect(planWindow({ queue: { NOPE: { seq: 0 } } }, q10).total).toBeUndefined();
    expect(planWindow({ queue: { Q: { seq: 0 } } }, undefined)).toEqual({
      params: { queue: { Q: { seq: 0 } } },
      total: undefined,
    });
    // A filtered window is still pinned, so that it ends even while publishers go on.
    expect(planWindow({ queue: { Q: { seq: 0, topics: ['A*'] } } }, q10).params.queue['Q']).toEqual(
      {
        seq: 0,
        topics: ['A*'],
        endseq: 9,
      },
    );
  });

  it('recvWindow: a time window without seq is read from seq 0 (notes §16.3); endtime is not pinned', () => {
    const plan = planWindow(
      { queue: { Q: { starttime: '2020-01-01T00:00:25Z', endtime: '2020-01-01T00:00:45Z' } } },
      q10,
    );
    expect(plan).toEqual({
      params: {
        queue: {
          Q: { seq: 0, starttime: '2020-01-01T00:00:25Z', endtime: '2020-01-01T00:00:45Z' },
        },
      },
      total: undefined,
    });
  });
});

describe('operators: recvWindow (embedded bus)', () => {
  let bus: TestBus;
  let client: HmbClient;

  beforeEach(async () => {
    bus = await startTestBus();
    client = new HmbClient(bus.url, { heartbeat: 0 });
  });

  afterEach(async () => {
    await client?.close();
    await bus?.close();
  });

  it('recvWindow: reads a seq window with progress out of a total from /info, then completes', async () => {
    await publish(bus.url, numbered('Q', 25));
    const got = await lastValueFrom(
      recvWindow<{ i: number }>(client, { queue: { Q: { seq: 5 } } }).pipe(
        toArray(),
        timeout(10_000),
      ),
    );
    expect(got.map((x) => x.message.seq)).toEqual(Array.from({ length: 20 }, (_, k) => k + 5));
    expect(got.map((x) => x.received)).toEqual(Array.from({ length: 20 }, (_, k) => k + 1));
    expect(new Set(got.map((x) => x.total))).toEqual(new Set([20]));
    expect(got[19]!.message.data).toEqual({ i: 24 });
  });

  it('recvWindow: the window is pinned at the start: messages published while reading are not in it', async () => {
    // Big messages and recv_limit 1 KB: two per /recv, so the read is still going on when the
    // publisher (started at the first message) adds more.
    const pad = 'x'.repeat(600);
    await publish(bus.url, numbered('Q', 20, 0, { data: { pad } }));
    let published: Promise<string> | undefined;
    const got = await lastValueFrom(
      recvWindow(client, { queue: { Q: { seq: -11 } }, recv_limit: 1 }).pipe(
        tap(() => {
          published ??= publish(bus.url, numbered('Q', 20, 100, { data: { pad } }));
        }),
        toArray(),
        timeout(10_000),
      ),
    );
    await published;
    expect(got.map((x) => [x.message.seq, x.received, x.total])).toEqual(
      Array.from({ length: 10 }, (_, k) => [k + 10, k + 1, 10]),
    );
  });

  it('recvWindow: with topics the total is unknown, and the window still ends', async () => {
    await publish(
      bus.url,
      ['A1', 'B1', 'A2', 'B2'].map((topic) => ({ type: 'T', queue: 'Q', topic })),
    );
    const got = await lastValueFrom(
      recvWindow(client, { queue: { Q: { seq: 0, topics: ['A*'] } } }).pipe(
        toArray(),
        timeout(10_000),
      ),
    );
    expect(got.map((x) => [x.message.topic, x.received, x.total])).toEqual([
      ['A1', 1, undefined],
      ['A2', 2, undefined],
    ]);
  });

  it('recvWindow: a time window without seq reads history from seq 0 (untimed messages pass, as on the server)', async () => {
    const timed = (
      i: number,
    ): { type: string; queue: string; starttime: string; endtime: string } => ({
      type: 'T',
      queue: 'Q',
      starttime: `2020-01-01T00:00:${String(i * 10).padStart(2, '0')}Z`,
      endtime: `2020-01-01T00:00:${String(i * 10 + 9).padStart(2, '0')}Z`,
    });
    await publish(bus.url, [
      timed(0),
      timed(1),
      timed(2),
      { type: 'U', queue: 'Q' },
      timed(3),
      timed(4),
    ]);
    const got = await lastValueFrom(
      recvWindow(client, {
        queue: { Q: { starttime: '2020-01-01T00:00:15Z', endtime: '2020-01-01T00:00:35Z' } },
      }).pipe(toArray(), timeout(10_000)),
    );
    expect(got.map((x) => [x.message.seq, x.message.type])).toEqual([
      [1, 'T'],
      [2, 'T'],
      [3, 'U'],
      [4, 'T'],
    ]);
    expect(got.every((x) => x.total === undefined)).toBe(true);
  });

  it('recvWindow: a queue that does not exist fails with HmbQueueNotFoundError', async () => {
    const failure = await lastValueFrom(recvWindow(client, { queue: { NOPE: { seq: 0 } } })).catch(
      (error: unknown) => error,
    );
    expect(isHmbError(failure, 'HMB_ERR_QUEUE_NOT_FOUND')).toBe(true);
  });

  it('recvWindow: an empty window completes with no value', async () => {
    await publish(bus.url, numbered('Q', 3));
    const got = await lastValueFrom(
      recvWindow(client, { queue: { Q: {} } }).pipe(toArray(), timeout(10_000)),
    );
    expect(got).toEqual([]);
  });
});
