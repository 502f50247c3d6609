import { numbered, publish } from '../helpers/publish';
import { startTestBus, type TestBus } from '../helpers/test-bus';
import { ensureCliBuilt, killLeftovers, runCli } from './helpers/cli-process';

let bus: TestBus | undefined;

beforeAll(ensureCliBuilt, 120_000);

afterEach(async () => {
  await killLeftovers();
  await bus?.close();
  bus = undefined;
});

describe('cli: info, features, status', () => {
  it('cli: info prints /info as JSON when stdout is not a terminal', async () => {
    bus = await startTestBus();
    await publish(bus.url, numbered('Q', 3, 0, { topic: 'EU' }));
    const result = await runCli(['info', bus.url]);
    expect(result.code).toBe(0);
    const info = JSON.parse(result.stdout) as { queue: Record<string, unknown> };
    expect(info.queue['Q']).toMatchObject({ startseq: 0, endseq: 3, topic: { EU: {} } });
  });

  it('cli: features prints /features as JSON', async () => {
    bus = await startTestBus({ regex: true });
    const result = await runCli(['features', bus.url]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      functions: [],
      capabilities: expect.arrayContaining(['JSON', 'BSON', 'STREAM', 'REGEX']),
    });
  });

  it('cli: status prints /status as JSON, listing the sessions', async () => {
    bus = await startTestBus();
    await publish(bus.url, [{ type: 'T', queue: 'Q' }], { cid: 'publisher' });
    const result = await runCli(['status', bus.url]);
    expect(result.code).toBe(0);
    const status = JSON.parse(result.stdout) as { session: Record<string, { cid: string }> };
    expect(Object.values(status.session).map((s) => s.cid)).toContain('publisher');
  });

  it('cli: a bus that cannot be reached exits 1 with HMB_ERR_NETWORK, in one line', async () => {
    const closed = await startTestBus();
    await closed.close();
    const result = await runCli(['info', closed.url]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^hmb info: error HMB_ERR_NETWORK: .*ECONNREFUSED.*\n$/);
  });

  it('cli: HMB_DEBUG=1 adds the stack trace', async () => {
    const result = await runCli(['info', 'http://127.0.0.1:1/bus'], { env: { HMB_DEBUG: '1' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/\n\s+at /);
  });

  it.each([
    [['info', 'http://127.0.0.1:8000'], /HMB_ERR_BAD_PARAM: bus URL names no bus/],
    [['status', 'mailto:x@y'], /HMB_ERR_BAD_PARAM: bus URL must be http or https/],
    [['features'], /missing required argument 'bus-url'/],
    [['info', 'http://127.0.0.1:8000/b', '--nope'], /unknown option '--nope'/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [[], /Usage: hmb/],
  ])('cli: usage error %j exits 2', async (args, message) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});

describe('cli: help', () => {
  it.each(['tail', 'replay', 'send', 'info', 'features', 'status', 'serve'])(
    'cli: hmb %s --help shows options and examples, exit 0',
    async (command) => {
      const result = await runCli([command, '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^Usage: hmb ${command} `));
      expect(result.stdout).toMatch(/\nExamples:\n {2}# .+\n {2}hmb /);
    },
  );

  it('cli: hmb --help lists every command and the exit codes', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['tail', 'replay', 'send', 'info', 'features', 'status', 'serve'])
      expect(result.stdout).toMatch(new RegExp(`\\n {2}${command} `));
    expect(result.stdout).toMatch(/Exit codes:[\s\S]*130 {2}interrupted/);
  });

  it('cli: hmb --version prints the package version', async () => {
    const result = await runCli(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});
