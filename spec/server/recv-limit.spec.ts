import { type TestBus, useTestBuses } from '../helpers/raw-http';

// Messages whose JSON frame (with its `"n":` key) is about 600 bytes, like the ~560-byte
// messages of the notes: 2 cross 1 KB, 4 cross 2 KB, 9 cross 5 KB.
const PAD = 'x'.repeat(540);

/** The sizes of successive /recv answers until EOF, EOF counted as 'EOF'. */
async function answerSizes(bus: TestBus, sid: string): Promise<Array<number | string>> {
  const sizes: Array<number | string> = [];
  let suffix = '';
  for (let i = 0; i < 100; i++) {
    const frames = await bus.recvJson(sid, suffix);
    const real = frames.filter((f) => f['type'] !== 'EOF');
    const eof = frames.length !== real.length;
    sizes.push(eof ? (real.length > 0 ? `${real.length}+EOF` : 'EOF') : real.length);
    if (eof) return sizes;
    const last = real[real.length - 1]!;
    suffix = `/${last['queue'] as string}/${last['seq'] as number}`;
  }
  throw new Error('no EOF');
}

describe('server recv_limit', () => {
  const start = useTestBuses();

  async function seeded(n: number): Promise<TestBus> {
    const bus = await start();
    await bus.seed(
      Array.from({ length: n }, (_, i) => ({ type: 'T', queue: 'Q', data: { i, pad: PAD } })),
    );
    return bus;
  }

  it.each([
    [1, [...Array<number>(25).fill(2), 'EOF']],
    [2, [...Array<number>(12).fill(4), '2+EOF']],
    [5, [9, 9, 9, 9, 9, '5+EOF']],
    [0, ['50+EOF']],
    [-3, ['50+EOF']],
  ])(
    'server recv_limit %p KB on 50 messages: the message crossing the limit is included',
    async (limit, expected) => {
      const bus = await seeded(50);
      const ack = await bus.open({ recv_limit: limit, queue: { Q: { seq: 0, keep: false } } });
      expect(await answerSizes(bus, ack.sid)).toEqual(expected);
    },
  );

  it.each([
    [1, [...Array<number>(20).fill(2), 'EOF']],
    [5, [9, 9, 9, 9, '4+EOF']],
  ])(
    'server recv_limit %p KB on 40 messages: once the limit is reached, EOF comes in an answer of its own',
    async (limit, expected) => {
      const bus = await seeded(40);
      const ack = await bus.open({ recv_limit: limit, queue: { Q: { seq: 0, keep: false } } });
      expect(await answerSizes(bus, ack.sid)).toEqual(expected);
    },
  );

  it('server recv_limit: the default is 1024 KB per answer', async () => {
    const bus = await start();
    const big = 'y'.repeat(100 * 1024);
    await bus.seed(Array.from({ length: 15 }, () => ({ type: 'T', queue: 'Q', data: big })));
    const ack = await bus.open({ queue: { Q: { seq: 0, keep: false } } });
    expect(await answerSizes(bus, ack.sid)).toEqual([11, '4+EOF']);
  });

  it('server recv_limit: /stream ignores it', async () => {
    const bus = await seeded(40);
    const ack = await bus.open({ recv_limit: 1, queue: { Q: { seq: 0, keep: false } } });
    const res = await bus.req(`/stream/${ack.sid}`);
    const list = JSON.parse(res.text) as Record<string, unknown>;
    expect(Object.keys(list)).toHaveLength(41);
  });
});
