import { BSONRegExp, Double, Int32, Long } from 'bson';
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HmbServerLogEvent, HmbServerOptions } from '../../src/server';
import { msgs, TestBus } from '../helpers/raw-http';

const hex = (name: string): string => `x-${Buffer.from(name, 'utf8').toString('hex')}`;

describe('server persistence across restarts', () => {
  let dir: string;
  const open: TestBus[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hmb-persist-'));
  });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((b) => b.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  async function boot(options: HmbServerOptions = {}): Promise<TestBus> {
    const bus = await TestBus.start({ persistDir: dir, ...options });
    open.push(bus);
    return bus;
  }

  async function shut(bus: TestBus): Promise<void> {
    open.splice(open.indexOf(bus), 1);
    await bus.close();
  }

  /** The raw bodies a JSON and a BSON session receive for these queues from seq 0. */
  async function snapshot(bus: TestBus, queues: string[]): Promise<{ json: string; bson: Buffer }> {
    const params = Object.fromEntries(queues.map((q) => [q, { seq: 0, keep: false }]));
    const json = (await bus.recv((await bus.open({ queue: params })).sid)).text;
    const bson = (await bus.recv((await bus.openBson({ queue: params })).sid)).body;
    return { json, bson };
  }

  it('server persistence: messages survive a restart with the same seqs and identical bytes in both formats, ANNOUNCEMENT included', async () => {
    const first = await boot();
    const sid = await first.seed([]);
    await first.sendJson(
      sid,
      '{"0":{"type":"T","queue":"Q","topic":"A","starttime":"2020-01-01T00:00:00.123456789Z","endtime":"2020-01-01T00:00:01Z","data":{"z":1,"a":-0,"k":[1.5,"<>",null,{"2":1,"1":2}]},"scMessageType":3,"scContentType":"x","gdacs":{"g":1}},"1":{"type":"T","queue":"a b/ü","data":"s"}}',
    );
    await first.sendBson(sid, [
      {
        type: 'B',
        queue: 'Q',
        data: {
          l: Long.fromString('9007199254740993'),
          d: new Double(1),
          i: new Int32(2),
          r: new BSONRegExp('x', 'i'),
          t: new Date(0),
        },
      },
      {
        type: 'B',
        queue: 'Q',
        seq: new Int32(10),
        data: 'jump',
        scMessageType: Long.fromString('9999999999'),
      },
    ]);
    const queues = ['Q', 'a b/ü', 'ANNOUNCEMENT'];
    const before = await snapshot(first, queues);
    const info = (await first.req('/info')).text;
    await shut(first);

    const second = await boot();
    expect((await second.req('/info')).text).toBe(info);
    const after = await snapshot(second, queues);
    expect(after.json).toBe(before.json);
    expect(after.bson).toEqual(before.bson);
    // The queues carry on where they were, and old sessions are gone.
    expect((await second.sendJson(sid, [{ type: 'T', queue: 'Q' }])).text).toBe(
      'invalid session\n',
    );
    const sid2 = await second.seed([
      { type: 'T', queue: 'Q' },
      { type: 'T', queue: 'NEW' },
    ]);
    expect(sid2).toBeDefined();
    const q = await second.getJson<{ queue: Record<string, { endseq: number }> }>('info');
    expect(q.queue['Q']!.endseq).toBe(12);
    expect(q.queue['ANNOUNCEMENT']!.endseq).toBe(3);
  });

  it('server persistence: close() writes and fsyncs everything, whatever the timer', async () => {
    const first = await boot({ fsyncIntervalMs: 60_000 });
    await first.seed(msgs('Q', 5));
    await shut(first);
    const second = await boot();
    const info = await second.getJson<{ queue: Record<string, { endseq: number }> }>('info');
    expect(info.queue['Q']!.endseq).toBe(5);
  });

  it('server persistence: a torn last record is detected, dropped and the file truncated to the last good record', async () => {
    const first = await boot();
    await first.seed(msgs('Q', 3));
    await shut(first);
    const file = join(dir, hex('test'), `${hex('Q')}.log`);
    const good = statSync(file).size;
    // Half a record: a length promising more bytes than follow (as a crash mid-write leaves it).
    const torn = Buffer.alloc(12);
    torn.writeUInt32LE(100, 0);
    appendFileSync(file, torn);

    const events: HmbServerLogEvent[] = [];
    const second = await boot({ logger: (e) => events.push(e) });
    expect(statSync(file).size).toBe(good);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'storage-recovered', file, droppedBytes: 12 }),
    );
    const ack = await second.open({ queue: { Q: { seq: 0, keep: false } } });
    expect((await second.recvAll(ack.sid)).map((m) => m['data'])).toEqual([
      { i: 0 },
      { i: 1 },
      { i: 2 },
    ]);
    await second.seed([{ type: 'T', queue: 'Q' }]);
    expect(
      (await second.getJson<{ queue: Record<string, { endseq: number }> }>('info')).queue['Q']!
        .endseq,
    ).toBe(4);
  });

  it('server persistence: a corrupt last record (CRC mismatch) is dropped, never loaded as garbage', async () => {
    const first = await boot();
    await first.seed(msgs('Q', 3));
    await shut(first);
    const file = join(dir, hex('test'), `${hex('Q')}.log`);
    const bytes = readFileSync(file);
    bytes[bytes.length - 3] = bytes[bytes.length - 3]! ^ 0xff;
    writeFileSync(file, bytes);
    const second = await boot();
    const ack = await second.open({ queue: { Q: { seq: 0, keep: false } } });
    expect((await second.recvAll(ack.sid)).map((m) => m['seq'])).toEqual([0, 1]);
    expect(statSync(file).size).toBeLessThan(bytes.length);
  });

  it('server persistence: the log is compacted so disk use stays bounded, and what is kept survives', async () => {
    const first = await boot({ queueLimit: 10 });
    const sid = await first.seed([]);
    const pad = 'p'.repeat(200);
    for (let batch = 0; batch < 30; batch++) {
      await first.send(
        sid,
        Array.from({ length: 100 }, (_, i) => ({
          type: 'T',
          queue: 'Q',
          data: { n: batch * 100 + i, pad },
        })),
      );
    }
    await shut(first);
    const file = join(dir, hex('test'), `${hex('Q')}.log`);
    // 3000 records of ~270 bytes would be ~800 KB; compaction keeps it near 2 × 1024 records.
    expect(statSync(file).size).toBeLessThan(1100 * 300);
    const second = await boot({ queueLimit: 10 });
    const ack = await second.open({ queue: { Q: { seq: 0, keep: false } } });
    const got = await second.recvAll(ack.sid);
    expect(got.map((m) => m['seq'])).toEqual(Array.from({ length: 10 }, (_, i) => 2990 + i));
    expect((got[9]!['data'] as { n: number }).n).toBe(2999);
  });

  it('server persistence: long and odd names are stored safely', async () => {
    const long = `L${'ü'.repeat(150)}`;
    const first = await boot();
    const bus = first.other('bus ü');
    await bus.seed([
      { type: 'T', queue: long },
      { type: 'T', queue: '../../etc' },
    ]);
    await shut(first);
    const second = await boot();
    const info = await second.other('bus ü').getJson<{ queue: Record<string, unknown> }>('info');
    expect(Object.keys(info.queue).sort()).toEqual(['../../etc', 'ANNOUNCEMENT', long].sort());
  });
  /** Seqs and data.n of queue Q, from seq 0. */
  async function stored(bus: TestBus): Promise<Array<[unknown, unknown]>> {
    const ack = await bus.open({ queue: { Q: { seq: 0, keep: false } } });
    return (await bus.recvAll(ack.sid)).map((m) => [m['seq'], (m['data'] as { n: number }).n]);
  }

  it('server persistence: a directory named like a log does not stop the start; it is skipped with a storage-skipped event', async () => {
    const first = await boot();
    await first.seed([{ type: 'T', queue: 'Q', data: { n: 0 } }]);
    await shut(first);
    const odd = join(dir, hex('test'), 'odd.log');
    mkdirSync(odd);
    const events: HmbServerLogEvent[] = [];
    const second = await boot({ logger: (e) => events.push(e) });
    expect(events).toContainEqual({
      type: 'storage-skipped',
      file: odd,
      reason: 'not a regular file',
    });
    expect(await stored(second)).toEqual([[0, 0]]);
  });

  it('server persistence: a missing bus-name file is restored from the directory name, so new messages never land behind an old log that the next start cuts', async () => {
    const first = await boot();
    const sid = await first.seed([]);
    await first.send(
      sid,
      [0, 1, 2].map((n) => ({ type: 'T', queue: 'Q', data: { n } })),
    );
    await shut(first);
    rmSync(join(dir, hex('test'), 'bus-name'));
    const events: HmbServerLogEvent[] = [];
    const second = await boot({ logger: (e) => events.push(e) });
    expect(events.map((e) => e.type)).toContain('storage-recovered');
    expect(await stored(second)).toEqual([
      [0, 0],
      [1, 1],
      [2, 2],
    ]);
    await second.send(await second.seed([]), [{ type: 'T', queue: 'Q', data: { n: 3 } }]);
    await shut(second);
    const third = await boot();
    expect(await stored(third)).toEqual([
      [0, 0],
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
  });

  it('server persistence: a bus directory whose name cannot be recovered is moved aside, and the bus starts a fresh log that survives', async () => {
    const long = `B${'x'.repeat(120)}`;
    const first = await boot();
    await first.other(long).seed([{ type: 'T', queue: 'Q', data: { n: 7 } }]);
    await shut(first);
    const busDir = readdirSync(dir).find((d) => d.startsWith('h-'))!;
    rmSync(join(dir, busDir, 'bus-name'));
    const events: HmbServerLogEvent[] = [];
    const second = await boot({ logger: (e) => events.push(e) });
    expect(events.map((e) => e.type)).toContain('storage-skipped');
    await second.other(long).seed([{ type: 'T', queue: 'Q', data: { n: 0 } }]);
    await shut(second);
    const third = await boot();
    expect(await stored(third.other(long))).toEqual([[0, 0]]);
    expect(readdirSync(dir).filter((d) => d.startsWith(`${busDir}.orphaned-`))).toHaveLength(1);
  });
  it('server persistence: a log write that fails answers that /send 503 once, and later sends (another bus, another queue) answer 204 again', async () => {
    const events: HmbServerLogEvent[] = [];
    const bus = await boot({ logger: (e) => events.push(e) });
    const sid = await bus.seed([{ type: 'T', queue: 'A' }]);
    // Queue F's log is /dev/full: its first write fails with ENOSPC, even for root.
    symlinkSync('/dev/full', join(dir, hex('test'), `${hex('F')}.log`));
    const failed = await bus.sendJson(sid, [{ type: 'T', queue: 'F' }]);
    expect(failed.status).toBe(503);
    expect(events.some((e) => e.type === 'storage-error')).toBe(true);
    const other = bus.other('other');
    const otherSid = await other.seed([]);
    expect((await other.sendJson(otherSid, [{ type: 'T', queue: 'R' }])).status).toBe(204);
    expect((await bus.sendJson(sid, [{ type: 'T', queue: 'A' }])).status).toBe(204);
  });
});
