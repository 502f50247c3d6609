import { type TestBus, useTestBuses } from '../helpers/raw-http';

async function topicsDelivered(bus: TestBus, topics: unknown): Promise<unknown[] | string> {
  const ack = await bus.open({ queue: { Q: { seq: 0, topics, keep: false } } });
  if (ack.queue['Q']!.error !== null) return ack.queue['Q']!.error;
  const frames = await bus.recvAll(ack.sid);
  return frames.map((f) => f['topic'] ?? '-');
}

describe('server topics', () => {
  const start = useTestBuses();
  const seedTopics = (bus: TestBus): Promise<string> =>
    bus.seed(
      ['T0', 'T1', 'T2', undefined, 'T10', 'XT2'].map((topic) => ({
        type: 'T',
        queue: 'Q',
        ...(topic === undefined ? {} : { topic }),
      })),
    );

  it.each([
    [['T1'], ['T1']],
    [
      ['T1', 'T2'],
      ['T1', 'T2'],
    ],
    [['T*'], ['T0', 'T1', 'T2', 'T10']],
    [['T?'], ['T0', 'T1', 'T2']],
    [['*'], ['T0', 'T1', 'T2', '-', 'T10', 'XT2']],
    [[], ['T0', 'T1', 'T2', '-', 'T10', 'XT2']],
    [null, ['T0', 'T1', 'T2', '-', 'T10', 'XT2']],
    [['!T1'], ['T0', 'T2', '-', 'T10', 'XT2']],
    [
      ['T*', '!T1'],
      ['T0', 'T2', 'T10'],
    ],
    [['!T*'], ['-', 'XT2']],
    [['!'], ['T0', 'T1', 'T2', 'T10', 'XT2']],
    [['t1'], []],
    [
      ['!T1', '!T2'],
      ['T0', '-', 'T10', 'XT2'],
    ],
    [
      ['T0', 'T1', 'T2'],
      ['T0', 'T1', 'T2'],
    ],
  ])(
    'server topics: %j delivers %j (each pattern anchored on its own)',
    async (topics, expected) => {
      const bus = await start();
      await seedTopics(bus);
      expect(await topicsDelivered(bus, topics)).toEqual(expected);
    },
  );

  it.each([[['T1!']], [['T-1']], [['T.1']], [['T[1]']], [['T1', 'bad topic']], [['']], [['!!']]])(
    'server topics: %j is a per-queue error',
    async (topics) => {
      const bus = await start();
      await seedTopics(bus);
      expect(await topicsDelivered(bus, topics)).toBe('topic contains invalid characters');
    },
  );

  it('server topics: a hostile pattern is matched in linear time', async () => {
    const bus = await start();
    const long = 'a'.repeat(5000);
    await bus.seed([{ type: 'T', queue: 'Q', topic: `${long}b` }]);
    const t0 = Date.now();
    expect(await topicsDelivered(bus, [`${'*a'.repeat(2000)}*c`])).toEqual([]);
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});
