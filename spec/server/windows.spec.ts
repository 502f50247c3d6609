import { Double } from 'bson';
import { type TestBus, useTestBuses } from '../helpers/raw-http';

const T0 = Date.UTC(2020, 0, 1);
const iso = (sec: number): string => new Date(T0 + sec * 1000).toISOString().replace('.000Z', 'Z');

/** 10 timed messages, message i covering [10i s, 10i+10 s], plus an untimed one at seq 5. */
async function seedWindowData(bus: TestBus): Promise<string> {
  const list: unknown[] = [];
  for (let i = 0; i < 10; i++) {
    if (i === 5) list.push({ type: 'T', queue: 'W', data: { untimed: true } });
    list.push({
      type: 'T',
      queue: 'W',
      starttime: iso(10 * i),
      endtime: iso(10 * i + 10),
      data: { i },
    });
  }
  return bus.seed(list);
}

describe('server time windows', () => {
  const start = useTestBuses();
  const seqs = (frames: Array<Record<string, unknown>>): unknown[] =>
    frames.map((f) => (f['type'] === 'EOF' ? 'EOF' : f['seq']));

  it('server windows: seq 0, 00:25–00:45 → ack 1 (a message then skipped), seqs 2,3,4, the untimed 5, EOF', async () => {
    const bus = await start();
    await seedWindowData(bus);
    const ack = await bus.open({
      queue: { W: { seq: 0, starttime: iso(25), endtime: iso(45), keep: true } },
    });
    expect(ack.queue['W']!.seq).toBe(1);
    expect(seqs(await bus.recvJson(ack.sid))).toEqual([2, 3, 4, 5, 'EOF']);
  });

  it('server windows: starttime alone delivers everything ending after it, then waits (keep) or ends (keep:false)', async () => {
    const bus = await start();
    await seedWindowData(bus);
    const kept = await bus.open({ queue: { W: { seq: 0, starttime: iso(25) } } });
    expect(seqs(await bus.recvJson(kept.sid))).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const ended = await bus.open({ queue: { W: { seq: 0, starttime: iso(25), keep: false } } });
    expect(seqs(await bus.recvJson(ended.sid))).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 'EOF']);
  });

  it('server windows: starttime == endtime keeps the message starting there and drops the one ending there', async () => {
    const bus = await start();
    await seedWindowData(bus);
    const ack = await bus.open({ queue: { W: { seq: 0, starttime: iso(30), endtime: iso(30) } } });
    const frames = await bus.recvJson(ack.sid);
    expect(seqs(frames)).toEqual([3, 'EOF']);
    expect(frames[0]).toMatchObject({
      starttime: '2020-01-01T00:00:30.000000Z',
      endtime: '2020-01-01T00:00:40.000000Z',
    });
  });

  it('server windows: a window does not move the default start: nothing old is delivered', async () => {
    const bus = await start();
    await seedWindowData(bus);
    const ack = await bus.open({ queue: { W: { starttime: iso(0), keep: false } } });
    expect(ack.queue['W']!.seq).toBe(11);
    expect(await bus.recvJson(ack.sid)).toEqual([{ type: 'EOF' }]);
  });

  it('server windows: a starttime after every message acks the last one (seq 0, 2021 → 4 on five messages)', async () => {
    const bus = await start();
    await bus.seed(
      Array.from({ length: 5 }, (_, i) => ({
        type: 'T',
        queue: 'W',
        starttime: iso(i),
        endtime: iso(i + 1),
      })),
    );
    const ack = await bus.open({
      queue: { W: { seq: 0, starttime: '2021-01-01T00:00:00Z', keep: false } },
    });
    expect(ack.queue['W']!.seq).toBe(4);
    expect(await bus.recvJson(ack.sid)).toEqual([{ type: 'EOF' }]);
  });

  it('server windows: the start walks forward only while the next message ends by starttime; an untimed one stops it (notes §17.1: 5, 7, 8)', async () => {
    const bus = await start();
    await seedWindowData(bus);
    const ack = await bus.open({
      queue: { W: { seq: -1000, starttime: iso(65), endtime: iso(75), keep: true } },
    });
    expect(ack.queue['W']!.seq).toBe(4);
    expect(seqs(await bus.recvJson(ack.sid))).toEqual([5, 7, 8, 'EOF']);
  });

  it('server windows: endtime with keep:true ends when a message starting after it arrives', async () => {
    const bus = await start();
    const sender = await bus.seed([{ type: 'T', queue: 'W', starttime: iso(0), endtime: iso(10) }]);
    const ack = await bus.open({ queue: { W: { seq: 0, endtime: iso(30) } } });
    expect(seqs(await bus.recvJson(ack.sid))).toEqual([0]);
    const pending = bus.recvJson(ack.sid, '/W/0');
    await bus.send(sender, [
      { type: 'T', queue: 'W', starttime: iso(20), endtime: iso(40) },
      { type: 'T', queue: 'W', starttime: iso(31), endtime: iso(41) },
    ]);
    expect(seqs(await pending)).toEqual([1, 'EOF']);
  });

  it('server windows: times come back with exactly six fraction digits (truncated), null means unset', async () => {
    const bus = await start();
    await bus.seed([
      {
        type: 'T',
        queue: 'W',
        starttime: '2020-01-01T00:00:10.5Z',
        endtime: '2020-01-01T00:00:10.123456789Z',
      },
      { type: 'T', queue: 'W', starttime: null, endtime: '2020-01-01T5:00:00,25Z' },
    ]);
    const ack = await bus.open({
      queue: { W: { seq: 0, starttime: null, endtime: null, keep: false } },
    });
    const frames = await bus.recvJson(ack.sid);
    expect(frames[0]).toMatchObject({
      starttime: '2020-01-01T00:00:10.500000Z',
      endtime: '2020-01-01T00:00:10.123456Z',
    });
    expect(frames[1]).toMatchObject({ endtime: '2020-01-01T05:00:00.250000Z' });
    expect(frames[1]).not.toHaveProperty('starttime');
  });

  it.each([
    [
      '2020-01-01T00:00:25+00:00',
      'parsing time "\\"2020-01-01T00:00:25+00:00\\"" as "\\"2006-01-02T15:04:05Z\\"": cannot parse "+00:00\\"" as "Z\\""',
    ],
    [
      '2020-01-01',
      'parsing time "\\"2020-01-01\\"" as "\\"2006-01-02T15:04:05Z\\"": cannot parse "\\"" as "T"',
    ],
    [
      1577836800,
      'parsing time "1577836800" as "\\"2006-01-02T15:04:05Z\\"": cannot parse "1577836800" as "\\""',
    ],
    ['2020-13-01T00:00:00Z', 'parsing time "\\"2020-13-01T00:00:00Z\\"": month out of range'],
    ['2019-02-29T00:00:00Z', 'parsing time "\\"2019-02-29T00:00:00Z\\"": day out of range'],
    ['2020-01-01T24:00:00Z', 'parsing time "\\"2020-01-01T24:00:00Z\\"": hour out of range'],
    [
      '2020-01-01T00:00:00Zx',
      'parsing time "\\"2020-01-01T00:00:00Zx\\"" as "\\"2006-01-02T15:04:05Z\\"": cannot parse "x\\"" as "Z\\""',
    ],
  ])("server windows: JSON /open time %j is refused with Go's text", async (time, text) => {
    const bus = await start();
    const res = await bus.openRaw({ queue: { ANNOUNCEMENT: { starttime: time } } });
    expect([res.status, res.text]).toEqual([400, `${text}\n`]);
    const sid = await bus.seed([]);
    const sent = await bus.sendJson(sid, [{ type: 'T', queue: 'Q', endtime: time }]);
    expect([sent.status, sent.text]).toEqual([400, `invalid JSON data: ${text}\n`]);
  });

  it('server windows: BSON times must be strings (invalid Time) and an offset gives the bare parse text', async () => {
    const bus = await start();
    const dt = await bus.openBsonRaw({ queue: { ANNOUNCEMENT: { starttime: new Date(T0) } } });
    expect([dt.status, dt.text]).toEqual([400, 'invalid Time\n']);
    const offset = await bus.openBsonRaw({
      queue: { ANNOUNCEMENT: { endtime: '2020-01-01T00:00:25+00:00' } },
    });
    expect(offset.text).toBe(
      'parsing time "2020-01-01T00:00:25+00:00" as "2006-01-02T15:04:05Z": cannot parse "+00:00" as "Z"\n',
    );
    const sid = await bus.seed([]);
    expect(
      (await bus.sendBson(sid, [{ type: 'T', queue: 'Q', starttime: new Date(T0) }])).text,
    ).toBe('invalid BSON data: invalid Time\n');
    expect(
      (await bus.sendBson(sid, [{ type: 'T', queue: 'Q', starttime: new Double(1) }])).text,
    ).toBe('invalid BSON data: invalid Time\n');
    expect(
      (await bus.sendBson(sid, [{ type: 'T', queue: 'Q', starttime: '2020-01-01T00:00:25+00:00' }]))
        .text,
    ).toBe(
      'invalid BSON data: parsing time "2020-01-01T00:00:25+00:00" as "2006-01-02T15:04:05Z": cannot parse "+00:00" as "Z"\n',
    );
  });
});
