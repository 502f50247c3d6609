import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHmbServer, type HmbServerHandle } from '../../src/server/index';
import { publish } from '../helpers/publish';
import { startTestBus, type TestBus } from '../helpers/test-bus';
import {
  ensureCliBuilt,
  interrupt,
  jsonLines,
  killLeftovers,
  lineCount,
  runCli,
  startCli,
} from './helpers/cli-process';

let bus: TestBus | undefined;

beforeAll(ensureCliBuilt, 120_000);

afterEach(async () => {
  await killLeftovers();
  await bus?.close();
  bus = undefined;
});

describe('cli: tail', () => {
  it('cli: prints what `hmb send` publishes as JSON lines without kind, and stops on Ctrl-C within a second', async () => {
    bus = await startTestBus();
    await publish(bus.url, [{ type: 'INIT', queue: 'Q' }]);
    const tail = startCli(['tail', bus.url, '--queue', 'Q']);
    await tail.waitFor('stderr', /connected \(session/);

    const sent = await runCli([
      'send',
      bus.url,
      '--queue',
      'Q',
      '--type',
      'ALERT',
      '--topic',
      'EU',
      '--data',
      '{"magnitude":5.2}',
    ]);
    expect(sent.code).toBe(0);

    await tail.waitFor('stdout', lineCount(1));
    const [line] = jsonLines(tail.stdout());
    expect(line).toEqual({
      type: 'ALERT',
      queue: 'Q',
      seq: 1,
      topic: 'EU',
      sender: expect.any(String),
      data: { magnitude: 5.2 },
    });
    expect(tail.stderr()).toMatch(/connecting to http:\/\/127\.0\.0\.1:\d+\/test\d+/);

    const ended = await interrupt(tail);
    expect(ended.code).toBe(130);
    expect(ended.ms).toBeLessThan(1000);
  });

  it('cli: follows several queues and receives JSON lines sent through stdin, in order', async () => {
    bus = await startTestBus();
    await publish(bus.url, [
      { type: 'INIT', queue: 'A' },
      { type: 'INIT', queue: 'B' },
    ]);
    const tail = startCli(['tail', bus.url, '-q', 'A', '-q', 'B']);
    await tail.waitFor('stderr', /connected/);

    const input = [
      '{"type":"T","queue":"A","data":{"i":1}}',
      '{"type":"T","queue":"B","data":{"i":2}}',
      '{"type":"T","queue":"A","topic":"X","data":{"i":3}}',
    ].join('\n');
    const sent = await runCli(['send', bus.url], { input });
    expect(sent.code).toBe(0);
    expect(sent.stderr).toMatch(/3 of 3 messages sent/);

    await tail.waitFor('stdout', lineCount(3));
    const lines = jsonLines(tail.stdout());
    const of = (queue: string): unknown[] =>
      lines.filter((l) => l['queue'] === queue).map((l) => [l['seq'], l['data']]);
    expect(of('A')).toEqual([
      [1, { i: 1 }],
      [2, { i: 3 }],
    ]);
    expect(of('B')).toEqual([[1, { i: 2 }]]);
    expect((await interrupt(tail)).code).toBe(130);
  });

  it('cli: --seq, --topic and --filter select the backlog, over --stream in BSON', async () => {
    bus = await startTestBus();
    await publish(bus.url, [
      { type: 'T', queue: 'Q', topic: 'EU', data: { m: 4 } },
      { type: 'T', queue: 'Q', topic: 'EU', data: { m: 6 } },
      { type: 'T', queue: 'Q', topic: 'ASIA', data: { m: 7 } },
      { type: 'T', queue: 'Q', topic: 'EUROPE', data: { m: 5 } },
    ]);
    const tail = startCli([
      'tail',
      bus.url,
      '-q',
      'Q',
      '--seq',
      '0',
      '--topic',
      'EU*',
      '--filter',
      '{"data.m":{"$gte":5}}',
      '--stream',
      '--bson',
    ]);
    await tail.waitFor('stdout', lineCount(2));
    expect(jsonLines(tail.stdout()).map((l) => [l['seq'], l['topic']])).toEqual([
      [1, 'EU'],
      [3, 'EUROPE'],
    ]);
    expect((await interrupt(tail)).code).toBe(130);
  });

  it('cli: a negative --seq counts back from the end of the queue', async () => {
    bus = await startTestBus();
    await publish(
      bus.url,
      [0, 1, 2, 3].map((i) => ({ type: 'T', queue: 'Q', data: { i } })),
    );
    const tail = startCli(['tail', bus.url, '-q', 'Q', '--seq', '-3']);
    await tail.waitFor('stdout', lineCount(2));
    expect(jsonLines(tail.stdout()).map((l) => l['seq'])).toEqual([2, 3]);
    await interrupt(tail);
  });

  it('cli: --wait waits for a queue that does not exist yet', async () => {
    bus = await startTestBus();
    const tail = startCli(['tail', bus.url, '-q', 'LATER', '--wait']);
    await tail.waitFor('stderr', /connected/);
    await publish(bus.url, [{ type: 'T', queue: 'LATER', data: { first: true } }]);
    await tail.waitFor('stdout', lineCount(1));
    expect(jsonLines(tail.stdout())[0]).toMatchObject({ queue: 'LATER', seq: 0 });
    await interrupt(tail);
  });

  it('cli: shows reconnecting on stderr while the bus is down and resumes without loss or duplicate', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hmb-cli-tail-'));
    let server: HmbServerHandle | undefined = await startHmbServer({ port: 0, persistDir: dir });
    try {
      const url = `${server.url}/restart`;
      await publish(
        url,
        [0, 1].map((i) => ({ type: 'T', queue: 'Q', data: { i } })),
      );
      const tail = startCli(['tail', url, '-q', 'Q', '--seq', '0']);
      await tail.waitFor('stdout', lineCount(2));

      await server.close();
      await tail.waitFor('stderr', /reconnecting in \d+ ms because .+ \(attempt 1\)/);
      server = await startHmbServer({ port: server.port, persistDir: dir });
      await publish(url, [{ type: 'T', queue: 'Q', data: { i: 2 } }]);

      await tail.waitFor('stdout', lineCount(3));
      expect(jsonLines(tail.stdout()).map((l) => l['data'])).toEqual([
        { i: 0 },
        { i: 1 },
        { i: 2 },
      ]);
      expect(tail.stderr()).toMatch(/reconnected \(session/);
      await interrupt(tail);
    } finally {
      await server?.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('cli: ends quietly with exit 0 when the reader of its stdout goes away (| head)', async () => {
    bus = await startTestBus();
    await publish(bus.url, [{ type: 'T', queue: 'Q', data: { i: 0 } }]);
    const tail = startCli(['tail', bus.url, '-q', 'Q', '--seq', '0']);
    await tail.waitFor('stdout', lineCount(1));
    tail.child.stdout!.destroy();
    // The next write finds the pipe closed (EPIPE).
    await publish(bus.url, [{ type: 'T', queue: 'Q', data: { i: 1 } }]);
    const ended = await tail.exited;
    expect(ended.code).toBe(0);
    expect(ended.stderr).not.toMatch(/error/i);
  });

  it('cli: SIGTERM stops it with exit 143', async () => {
    bus = await startTestBus();
    await publish(bus.url, [{ type: 'T', queue: 'Q' }]);
    const tail = startCli(['tail', bus.url, '-q', 'Q']);
    await tail.waitFor('stderr', /connected/);
    tail.child.kill('SIGTERM');
    expect((await tail.exited).code).toBe(143);
  });

  it('cli: an unknown queue exits 1 with HMB_ERR_QUEUE_NOT_FOUND', async () => {
    bus = await startTestBus();
    const result = await runCli(['tail', bus.url, '-q', 'NOPE']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^hmb tail: error HMB_ERR_QUEUE_NOT_FOUND: .*NOPE/m);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    [
      ['tail', 'ftp://example.org/bus', '-q', 'Q'],
      /HMB_ERR_BAD_PARAM: bus URL must be http or https/,
    ],
    [['tail', 'not a url', '-q', 'Q'], /HMB_ERR_BAD_PARAM: invalid bus URL/],
    [
      ['tail', 'http://127.0.0.1:1/bus', '-q', 'Q', '--filter', '{"data.m":{"$bad":1}}'],
      /Invalid filter/,
    ],
    [
      ['tail', 'http://127.0.0.1:1/bus', '-q', 'Q', '--seq', 'x'],
      /'--seq <n>' argument 'x' is invalid/,
    ],
    [['tail', 'http://127.0.0.1:1/bus', '-q', 'Q', '-t', 'a/b'], /Expected a topic pattern/],
    [['tail', 'http://127.0.0.1:1/bus'], /required option '-q, --queue <name>'/],
  ])('cli: usage error %j exits 2', async (args, message) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});
