import { InvalidArgumentError } from 'commander';
import type { HmbInfo } from '../../src/node';
import { describeLines, parseMessageLine } from '../../src/cli/message-lines';
import {
  collect,
  parseFilter,
  parseInteger,
  parseJson,
  parseNonNegativeInteger,
  parsePort,
  parseSeconds,
  parseSeqOrTime,
  parseTopic,
  parseTopicPattern,
} from '../../src/cli/parse-options';
import { replayWindow, windowLabel } from '../../src/cli/replay-window';
import { CliUsageError } from '../../src/cli/usage-error';

describe('cli: parse-options', () => {
  it('cli: integers, ports and seconds', () => {
    expect(parseInteger('-5')).toBe(-5);
    expect(parseInteger(' 7 ')).toBe(7);
    expect(() => parseInteger('1.5')).toThrow(InvalidArgumentError);
    expect(() => parseInteger('1e3')).toThrow(InvalidArgumentError);
    expect(() => parseInteger('99999999999999999999')).toThrow(InvalidArgumentError);
    expect(() => parseNonNegativeInteger('-1')).toThrow(/from 0 up/);
    expect(parsePort('0')).toBe(0);
    expect(() => parsePort('65536')).toThrow(/0 to 65535/);
    expect(parseSeconds('0.5')).toBe(0.5);
    expect(() => parseSeconds('')).toThrow(InvalidArgumentError);
  });

  it('cli: a seq or a time, converted to the only form the server takes', () => {
    expect(parseSeqOrTime('42')).toEqual({ kind: 'seq', seq: 42 });
    expect(parseSeqOrTime('-3')).toEqual({ kind: 'seq', seq: -3 });
    expect(parseSeqOrTime('2026-11-24T06:00:00Z')).toEqual({
      kind: 'time',
      time: '2026-11-24T06:00:00.000000Z',
    });
    // Microseconds survive when the input is already in HMB form.
    expect(parseSeqOrTime('2026-11-24T06:00:00.123456Z')).toEqual({
      kind: 'time',
      time: '2026-11-24T06:00:00.123456Z',
    });
    expect(parseSeqOrTime('2026-11-24T07:00:00+01:00')).toEqual({
      kind: 'time',
      time: '2026-11-24T06:00:00.000000Z',
    });
    expect(parseSeqOrTime('2026-11-24')).toEqual({
      kind: 'time',
      time: '2026-11-24T00:00:00.000000Z',
    });
    for (const bad of [
      'yesterday',
      '2026-13-45T00:00:00Z',
      '2026-02-30T00:00:00Z',
      '2026-02-30',
      '',
      '1.5',
    ])
      expect(() => parseSeqOrTime(bad)).toThrow(InvalidArgumentError);
  });

  it('cli: JSON, filters and topics', () => {
    expect(parseJson('{"a":[1]}')).toEqual({ a: [1] });
    expect(() => parseJson('{a}')).toThrow(/Not valid JSON/);
    expect(parseFilter('{"data.m":{"$gte":5}}')).toEqual({ 'data.m': { $gte: 5 } });
    expect(() => parseFilter('[1]')).toThrow(/Expected a JSON object/);
    expect(() => parseFilter('{"data.m":{"$nope":1}}')).toThrow(/Invalid filter/);
    expect(parseTopicPattern('EU*', ['!X'])).toEqual(['!X', 'EU*']);
    expect(() => parseTopicPattern('a.b')).toThrow(InvalidArgumentError);
    expect(() => parseTopicPattern('')).toThrow(InvalidArgumentError);
    expect(parseTopic('EU_1')).toBe('EU_1');
    expect(() => parseTopic('E*')).toThrow(InvalidArgumentError);
    expect(collect('B', ['A'])).toEqual(['A', 'B']);
    expect(() => collect('')).toThrow(InvalidArgumentError);
  });
});

describe('cli: replay-window', () => {
  const info: HmbInfo = {
    queue: {
      Q: { startseq: 50, endseq: 150, starttime: null, endtime: null, topic: null },
      EMPTY: { startseq: null, endseq: null, starttime: null, endtime: null, topic: null },
    },
  };
  const seq = (n: number) => ({ kind: 'seq', seq: n }) as const;
  const time = (t: string) => ({ kind: 'time', time: t }) as const;

  it('cli: a seq window is sized from /info, clipped to what the server holds', () => {
    expect(replayWindow(['Q'], seq(60), seq(69), info)).toEqual({
      queue: { Q: { seq: 60, endseq: 69 } },
      total: 10,
      upperBound: false,
    });
    expect(replayWindow(['Q'], seq(0), seq(1000), info).total).toBe(100);
    expect(replayWindow(['Q'], undefined, undefined, info)).toEqual({
      queue: { Q: { seq: 50 } },
      total: 100,
      upperBound: false,
    });
    expect(replayWindow(['Q'], seq(-11), undefined, info).total).toBe(10);
    expect(replayWindow(['Q'], seq(200), undefined, info).total).toBe(0);
  });

  it('cli: a time window starts at the queue start seq and is only an upper bound', () => {
    const from = time('2026-11-24T06:00:00.000000Z');
    const to = time('2026-11-24T07:00:00.000000Z');
    expect(replayWindow(['Q'], from, to, info)).toEqual({
      queue: {
        Q: { seq: 50, starttime: from.time, endtime: to.time },
      },
      total: 100,
      upperBound: true,
    });
    expect(replayWindow(['Q'], seq(60), to, info)).toMatchObject({
      queue: { Q: { seq: 60, endtime: to.time } },
      total: 90,
      upperBound: true,
    });
  });

  it('cli: several queues add up; an unknown one leaves the size unknown', () => {
    expect(replayWindow(['Q', 'EMPTY'], seq(140), undefined, info)).toMatchObject({
      queue: { Q: { seq: 140 }, EMPTY: { seq: 140 } },
      total: 10,
    });
    expect(replayWindow(['Q', 'NOPE'], undefined, undefined, info)).toMatchObject({
      queue: { NOPE: { seq: 0 } },
      total: undefined,
    });
  });

  it('cli: reversed bounds are usage errors', () => {
    expect(() => replayWindow(['Q'], seq(10), seq(9), info)).toThrow(CliUsageError);
    expect(() =>
      replayWindow(
        ['Q'],
        time('2026-01-02T00:00:00.000000Z'),
        time('2026-01-01T00:00:00.000000Z'),
        info,
      ),
    ).toThrow(/before --from/);
    expect(() => replayWindow(['Q'], undefined, seq(-1), info)).toThrow(/0 or more/);
  });
});

describe('cli: replay window label', () => {
  const info: HmbInfo = {
    queue: { Q: { startseq: 50, endseq: 150, starttime: null, endtime: null, topic: null } },
  };
  const seq = (n: number) => ({ kind: 'seq', seq: n }) as const;
  const time = (t: string) => ({ kind: 'time', time: `2026-11-24T${t}.000000Z` }) as const;

  it('cli: seq windows show absolute seqs, time windows short times', () => {
    expect(windowLabel(['Q'], seq(60), seq(69), info)).toBe('Q seqs 60–69');
    expect(windowLabel(['Q'], undefined, undefined, info)).toBe('Q seqs 50–149');
    expect(windowLabel(['Q'], seq(-11), undefined, info)).toBe('Q seqs 140–149');
    expect(windowLabel(['Q'], time('06:00:00'), time('07:00:00'), info)).toBe(
      'Q 2026-11-24T06:00:00Z–07:00:00Z',
    );
    expect(windowLabel(['Q'], seq(5), time('07:00:00'), info)).toBe(
      'Q seq 5 – 2026-11-24T07:00:00Z',
    );
    expect(windowLabel(['Q', 'R'], seq(5), undefined, info)).toBe('Q,R seq 5 – end');
  });
});

describe('cli: message-lines', () => {
  it('cli: a JSON object becomes a message, with defaults for queue and topic', () => {
    expect(parseMessageLine('{"type":"T","data":{"i":1}}', { queue: 'Q', topic: 'X' })).toEqual({
      kind: 'message',
      message: { type: 'T', data: { i: 1 }, queue: 'Q', topic: 'X' },
    });
    expect(
      parseMessageLine('{"type":"T","queue":"R","topic":"Y"}', { queue: 'Q', topic: 'X' }),
    ).toEqual({
      kind: 'message',
      message: { type: 'T', queue: 'R', topic: 'Y' },
    });
  });

  it('cli: blank lines are skipped, everything else that is not an object is bad', () => {
    expect(parseMessageLine('   ', {})).toEqual({ kind: 'blank' });
    expect(parseMessageLine('{"type":', {})).toMatchObject({
      kind: 'bad',
      reason: expect.stringMatching(/^invalid JSON: /),
    });
    expect(parseMessageLine('null', {})).toEqual({
      kind: 'bad',
      reason: 'expected a JSON object {"type", "queue", …}, got null',
    });
    expect(parseMessageLine('"x"', {})).toMatchObject({
      reason: expect.stringMatching(/got string$/),
    });
  });

  it('cli: line numbers read as ranges', () => {
    expect(describeLines([3])).toBe('line 3');
    expect(describeLines([9, 4, 5, 6, 6])).toBe('lines 4–6, 9');
    expect(describeLines([1, 3])).toBe('lines 1, 3');
  });
});
