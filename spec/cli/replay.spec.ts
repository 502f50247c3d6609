import { numbered, publish } from '../helpers/publish';
import { startTestBus, type TestBus } from '../helpers/test-bus';
import { ensureCliBuilt, jsonLines, killLeftovers, runCli } from './helpers/cli-process';

let bus: TestBus | undefined;

beforeAll(ensureCliBuilt, 120_000);

afterEach(async () => {
  await killLeftovers();
  await bus?.close();
  bus = undefined;
});

/** Message i covers [i·10 s, i·10 + 10 s] from 2020-01-01T00:00:00Z (notes §6.7). */
const at = (s: number): string => new Date(Date.UTC(2020, 0, 1, 0, 0, s)).toISOString();
const timed = (count: number): Parameters<typeof publish>[1] =>
  Array.from({ length: count }, (_, i) => ({
    type: 'T',
    queue: 'TIMED',
    starttime: at(i * 10),
    endtime: at(i * 10 + 10),
    data: { i },
  }));

describe('cli: replay', () => {
  beforeEach(async () => {
    bus = await startTestBus();
  });

  it('cli: a seq window ends at EOF with exit 0 and exactly its messages', async () => {
    await publish(bus!.url, numbered('Q', 50));
    const result = await runCli(['replay', bus!.url, '-q', 'Q', '--from', '10', '--to', '29']);
    expect(result.code).toBe(0);
    const lines = jsonLines(result.stdout);
    expect(lines.map((l) => l['seq'])).toEqual(Array.from({ length: 20 }, (_, k) => 10 + k));
    expect(lines[0]).toEqual({
      type: 'T',
      queue: 'Q',
      seq: 10,
      sender: expect.any(String),
      data: { i: 10 },
    });
    expect(result.stderr).toMatch(/^hmb replay: 20 messages in \d+\.\d s \(EOF\)$/m);
  });

  it('cli: without bounds it reads everything the server holds, then ends', async () => {
    await publish(bus!.url, numbered('Q', 30));
    const result = await runCli(['replay', bus!.url, '-q', 'Q']);
    expect(result.code).toBe(0);
    expect(jsonLines(result.stdout)).toHaveLength(30);
  });

  it('cli: a negative --from counts back from the end', async () => {
    await publish(bus!.url, numbered('Q', 10));
    const result = await runCli(['replay', bus!.url, '-q', 'Q', '--from=-4']);
    expect(result.code).toBe(0);
    expect(jsonLines(result.stdout).map((l) => l['seq'])).toEqual([7, 8, 9]);
  });

  it('cli: a time window (with a start seq, as the server needs) selects overlapping messages', async () => {
    await publish(bus!.url, timed(10));
    const result = await runCli([
      'replay',
      bus!.url,
      '-q',
      'TIMED',
      '--from',
      '2020-01-01T00:00:25Z',
      // The same instant as 00:00:45Z, written with an offset: converted to UTC for the server.
      '--to',
      '2020-01-01T01:00:45+01:00',
    ]);
    expect(result.code).toBe(0);
    expect(jsonLines(result.stdout).map((l) => l['seq'])).toEqual([2, 3, 4]);
    expect(jsonLines(result.stdout)[0]).toMatchObject({
      starttime: '2020-01-01T00:00:20.000000Z',
      endtime: '2020-01-01T00:00:30.000000Z',
    });
  });

  it('cli: a seq start and a time end mix', async () => {
    await publish(bus!.url, timed(10));
    const result = await runCli([
      'replay',
      bus!.url,
      '-q',
      'TIMED',
      '--from',
      '6',
      '--to',
      '2020-01-01T00:01:25Z',
    ]);
    expect(result.code).toBe(0);
    expect(jsonLines(result.stdout).map((l) => l['seq'])).toEqual([6, 7, 8]);
  });

  it('cli: several queues, with --topic, in BSON', async () => {
    await publish(bus!.url, [
      ...numbered('A', 4, 0, { topic: 'X' }),
      ...numbered('B', 3, 0, { topic: 'Y' }),
      ...numbered('B', 2, 3, { topic: 'X' }),
    ]);
    const result = await runCli([
      'replay',
      bus!.url,
      '-q',
      'A',
      '-q',
      'B',
      '--from',
      '0',
      '-t',
      'X',
      '--bson',
    ]);
    expect(result.code).toBe(0);
    const lines = jsonLines(result.stdout);
    expect(lines.filter((l) => l['queue'] === 'A').map((l) => l['seq'])).toEqual([0, 1, 2, 3]);
    expect(lines.filter((l) => l['queue'] === 'B').map((l) => l['seq'])).toEqual([3, 4]);
  });

  it('cli: an unknown queue exits 1 with HMB_ERR_QUEUE_NOT_FOUND', async () => {
    const result = await runCli(['replay', bus!.url, '-q', 'NOPE', '--from', '0', '--to', '5']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^hmb replay: error HMB_ERR_QUEUE_NOT_FOUND: .*NOPE$/m);
  });

  it('cli: a bus that cannot be reached exits 1 after --retries', async () => {
    const closed = await startTestBus();
    await closed.close();
    const result = await runCli(['replay', closed.url, '-q', 'Q', '--retries', '0']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^hmb replay: error HMB_ERR_NETWORK: .*ECONNREFUSED/m);
  });

  it.each([
    [['--from', 'yesterday'], /'--from <seq\|time>' argument 'yesterday' is invalid/],
    [['--from', '20', '--to', '10'], /--to 10 is before --from 20/],
    [['--from', '2020-01-02T00:00:00Z', '--to', '2020-01-01'], /--to .* is before --from/],
    [['--to=-1'], /a seq to end at must be 0 or more/],
  ])('cli: usage error %j exits 2', async (args, message) => {
    await publish(bus!.url, numbered('Q', 1));
    const result = await runCli(['replay', bus!.url, '-q', 'Q', ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });
});
