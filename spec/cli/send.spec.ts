import { lastValueFrom, toArray } from 'rxjs';
import { HmbClient, type HmbMessage } from '../../src/node';
import { startTestBus, type TestBus } from '../helpers/test-bus';
import { ensureCliBuilt, killLeftovers, runCli } from './helpers/cli-process';

let bus: TestBus | undefined;

beforeAll(ensureCliBuilt, 120_000);

afterEach(async () => {
  await killLeftovers();
  await bus?.close();
  bus = undefined;
});

/** Everything a queue holds, read with the library (not with the command under test). */
async function readQueue(url: string, queue: string): Promise<HmbMessage[]> {
  const client = new HmbClient(url);
  try {
    return await lastValueFrom(
      client.recvAll({ queue: { [queue]: { seq: 0 } } }, { waitForQueues: true }).pipe(toArray()),
    );
  } finally {
    await client.close();
  }
}

/** The number of messages in a queue, from /info (0 when the queue does not exist). */
async function queueLength(url: string, queue: string): Promise<number> {
  const client = new HmbClient(url);
  try {
    const info = await lastValueFrom(client.info());
    const q = info.queue[queue];
    return q?.endseq == null ? 0 : q.endseq - (q.startseq ?? 0);
  } finally {
    await client.close();
  }
}

describe('cli: send', () => {
  beforeEach(async () => {
    bus = await startTestBus();
  });

  it('cli: sends one message built from the options', async () => {
    const result = await runCli([
      'send',
      bus!.url,
      '-q',
      'Q',
      '--type',
      'ALERT',
      '-t',
      'EU',
      '--data',
      '{"magnitude":5.2,"tags":["a"]}',
      '--cid',
      'cli-test',
    ]);
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(result.stderr).toMatch(/^hmb send: 1 of 1 message sent$/m);
    const [m] = await readQueue(bus!.url, 'Q');
    expect(m).toMatchObject({
      type: 'ALERT',
      queue: 'Q',
      seq: 0,
      topic: 'EU',
      sender: 'cli-test',
      data: { magnitude: 5.2, tags: ['a'] },
    });
  });

  it.each(['json', 'bson'] as const)(
    'cli: sends JSON lines from stdin in order (%s), with --queue and --topic as defaults',
    async (format) => {
      const input = [
        '{"type":"T","data":{"i":0}}',
        '',
        '{"type":"T","queue":"OTHER","data":{"i":1}}',
        '{"type":"T","topic":"X","starttime":"2020-01-01T00:00:00Z","endtime":"2020-01-01T00:00:10Z","data":{"i":2}}',
        '{"type":"T"}',
      ].join('\n');
      const args = ['send', bus!.url, '-q', 'Q', '-t', 'DEF'];
      const result = await runCli(format === 'bson' ? [...args, '--bson'] : args, { input });
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/4 of 4 messages sent/);
      const q = await readQueue(bus!.url, 'Q');
      expect(q.map((m) => [m.seq, m.topic, m.data])).toEqual([
        [0, 'DEF', { i: 0 }],
        [1, 'X', { i: 2 }],
        [2, 'DEF', undefined],
      ]);
      expect(q[1]).toMatchObject({
        starttime: '2020-01-01T00:00:00.000000Z',
        endtime: '2020-01-01T00:00:10.000000Z',
      });
      expect((await readQueue(bus!.url, 'OTHER')).map((m) => m.data)).toEqual([{ i: 1 }]);
    },
  );

  it('cli: an invalid JSON line stops the input: exit 1, the line named, earlier lines sent', async () => {
    const input = [
      '{"type":"T","queue":"Q","data":{"i":0}}',
      '{"type":"T","queue":"Q","data":{"i":',
      '{"type":"T","queue":"Q","data":{"i":2}}',
    ].join('\n');
    const result = await runCli(['send', bus!.url], { input });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^hmb send: line 2: invalid JSON: /m);
    expect(result.stderr).toMatch(/stopped at line 2/);
    expect(result.stderr).toMatch(/1 of 1 message sent/);
    expect(await queueLength(bus!.url, 'Q')).toBe(1);
  });

  it.each([
    ['{"type":"EOF","queue":"Q"}', /line 3: type is reserved: EOF/],
    ['{"queue":"Q"}', /line 3: type is missing or empty/],
    ['{"type":"T","queue":"Q","topic":"a b"}', /line 3: topic must be word characters only/],
    ['[1,2]', /line 3: expected a JSON object .*, got an array/],
  ])('cli: a bad message on line 3 (%s) is named and refused', async (bad, message) => {
    const input = [
      '{"type":"T","queue":"Q","data":{"i":0}}',
      '{"type":"T","queue":"Q","data":{"i":1}}',
      bad,
      '{"type":"T","queue":"Q","data":{"i":3}}',
    ].join('\n');
    const result = await runCli(['send', bus!.url], { input });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(await queueLength(bus!.url, 'Q')).toBe(2);
  });

  it('cli: --keep-going reports every bad line and sends the others, still exiting 1', async () => {
    const input = [
      '{"type":"T","queue":"Q","data":{"i":0}}',
      'nope',
      '{"type":"T","queue":"Q","data":{"i":2}}',
      '{"type":"NEW_QUEUE","queue":"Q"}',
      '{"type":"T","queue":"Q","data":{"i":4}}',
    ].join('\n');
    const result = await runCli(['send', bus!.url, '--keep-going'], { input });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/line 2: invalid JSON/);
    expect(result.stderr).toMatch(/line 4: type is reserved: NEW_QUEUE/);
    expect(result.stderr).toMatch(/3 of 4 messages sent/);
    expect((await readQueue(bus!.url, 'Q')).map((m) => m.data)).toEqual([
      { i: 0 },
      { i: 2 },
      { i: 4 },
    ]);
  });

  it('cli: a bus that cannot be reached exits 1 naming the lines not sent', async () => {
    const closed = await startTestBus();
    await closed.close();
    const input = '{"type":"T","queue":"Q"}\n'.repeat(3);
    const result = await runCli(['send', closed.url, '--retries', '0'], { input });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^hmb send: line 1 not sent: HMB_ERR_SEND: .*ECONNREFUSED/m);
    // Without --keep-going the first failure ends the run: the rest is not tried in vain.
    expect(result.stderr).toMatch(
      /^hmb send: lines 2–3 not sent: given up after the failure above$/m,
    );
    expect(result.stderr).toMatch(/0 of 3 messages sent/);
  });

  it('cli: a batch the server refuses (400) is reported with the server text and its lines', async () => {
    const small = await startTestBus({ maxBodyKb: 1 });
    try {
      const input = `{"type":"T","queue":"Q","data":"${'x'.repeat(2000)}"}\n`;
      const result = await runCli(['send', small.url], { input });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^hmb send: line 1 not sent: HMB_ERR_SEND: .*too large/m);
    } finally {
      await small.close();
    }
  });

  it('cli: 20,000 lines go through in order, reading paced by the sink', async () => {
    const count = 20_000;
    const input = Array.from(
      { length: count },
      (_, i) => `{"type":"T","queue":"Q","data":{"i":${i}}}`,
    ).join('\n');
    const result = await runCli(['send', bus!.url], { input });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/20000 of 20000 messages sent/);
    const q = await readQueue(bus!.url, 'Q');
    expect(q).toHaveLength(count);
    expect(q.every((m, i) => (m.data as { i: number }).i === i && m.seq === i)).toBe(true);
  });

  it.each([
    [['-q', 'Q', '--type', 'T', '--data', '{oops'], /'--data <json>' argument '\{oops' is invalid/],
    [['-q', 'Q', '--type', 'EOF'], /the message:.* type is reserved: EOF/],
    [['--type', 'T'], /--type needs --queue/],
    [['-q', 'Q', '--data', '1'], /--data needs --type/],
    [['-q', 'Q', '--type', 'T', '-t', 'a-b'], /Expected a topic of letters, digits and _ only/],
  ])('cli: usage error %j exits 2', async (args, message) => {
    const result = await runCli(['send', bus!.url, ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(await queueLength(bus!.url, 'Q')).toBe(0);
  });
});
