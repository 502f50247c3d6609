import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { numbered, publish } from '../helpers/publish';
import {
  ensureCliBuilt,
  interrupt,
  jsonLines,
  killLeftovers,
  runCli,
  startCli,
  type CliProcess,
} from './helpers/cli-process';

beforeAll(ensureCliBuilt, 120_000);

afterEach(killLeftovers);

/** Starts `hmb serve` on a free port and returns it with its URL (the first line of stdout). */
async function serve(args: readonly string[] = []): Promise<{ cli: CliProcess; url: string }> {
  const cli = startCli(['serve', '--port', '0', ...args]);
  const url = (await cli.waitFor('stdout', /^http:\/\/127\.0\.0\.1:\d+(?=\n)/)).trim();
  return { cli, url };
}

describe('cli: serve', () => {
  it('cli: prints its URL, logs sessions and queues on stderr, and stops on Ctrl-C within a second', async () => {
    const { cli, url } = await serve();
    await publish(`${url}/demo`, numbered('ALERTS', 2), { cid: 'pub' });
    await cli.waitFor('stderr', /demo: queue ALERTS created/);
    expect(cli.stderr()).toMatch(/^\d\d:\d\d:\d\d\.\d{3} listening on http:\/\/127\.0\.0\.1:\d+$/m);
    expect(cli.stderr()).toMatch(/demo: session \S+ opened by 127\.0\.0\.1:\d+ \(cid pub, JSON\)/);

    const ended = await interrupt(cli);
    expect(ended.code).toBe(130);
    expect(ended.ms).toBeLessThan(1000);
    expect(ended.stderr).toMatch(/stopped\n$/);
  });

  it('cli: stops within a second while a tail holds a long poll, and the tail sees it', async () => {
    const { cli, url } = await serve();
    await publish(`${url}/b`, [{ type: 'T', queue: 'Q' }]);
    const tail = startCli(['tail', `${url}/b`, '-q', 'Q']);
    await tail.waitFor('stderr', /connected/);

    const ended = await interrupt(cli);
    expect(ended.code).toBe(130);
    expect(ended.ms).toBeLessThan(1000);
    await tail.waitFor('stderr', /reconnecting in \d+ ms because/);
    expect((await interrupt(tail)).code).toBe(130);
  });

  it('cli: --persist keeps messages across a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hmb-cli-serve-'));
    try {
      const first = await serve(['--persist', dir]);
      await publish(`${first.url}/p`, numbered('Q', 3));
      await interrupt(first.cli);

      const second = await serve(['--persist', dir]);
      await second.cli.waitFor('stderr', /p: queue Q loaded \(3 messages\)/);
      const replay = await runCli(['replay', `${second.url}/p`, '-q', 'Q']);
      expect(jsonLines(replay.stdout).map((l) => l['data'])).toEqual([
        { i: 0 },
        { i: 1 },
        { i: 2 },
      ]);
      await interrupt(second.cli);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('cli: --cors, --regex, --queue-limit and --quiet reach the server', async () => {
    const { cli, url } = await serve([
      '--cors',
      'http://localhost:4200',
      '--regex',
      '--queue-limit',
      '2',
      '--quiet',
    ]);
    await publish(`${url}/b`, numbered('Q', 5));
    const features = await fetch(`${url}/b/features`, {
      headers: { origin: 'http://localhost:4200' },
    });
    expect(features.headers.get('access-control-allow-origin')).toBe('http://localhost:4200');
    expect(((await features.json()) as { capabilities: string[] }).capabilities).toContain('REGEX');
    const info = await runCli(['info', `${url}/b`]);
    expect(JSON.parse(info.stdout)).toMatchObject({ queue: { Q: { startseq: 3, endseq: 5 } } });
    const ended = await interrupt(cli);
    // --quiet: the URL on stdout, nothing on stderr.
    expect(ended.stderr).toBe('');
  });

  it('cli: --max-sessions-per-ip raises the per-address cap: 12 long polls from one address and a publisher all get sessions', async () => {
    const { cli, url } = await serve(['--max-sessions-per-ip', '20', '--quiet']);
    const polls: AbortController[] = [];
    try {
      for (let i = 0; i < 12; i++) {
        const open = await fetch(`${url}/b/open`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"queue":{"ANNOUNCEMENT":{}}}',
        });
        expect(open.status).toBe(200);
        const { sid } = (await open.json()) as { sid: string };
        const abort = new AbortController();
        polls.push(abort);
        // A long poll keeps its session active: without the option the 11th /open got 503.
        void fetch(`${url}/b/recv/${sid}`, { signal: abort.signal }).catch(() => undefined);
      }
      await new Promise((r) => setTimeout(r, 200));
      await publish(`${url}/b`, numbered('Q', 1));
    } finally {
      for (const abort of polls) abort.abort();
    }
    await interrupt(cli);
  });

  it('cli: a port in use exits 1 with EADDRINUSE', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const port = (blocker.address() as { port: number }).port;
      const result = await runCli(['serve', '--port', String(port)]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^hmb serve: error EADDRINUSE: .*address already in use/m);
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it.each([
    [['--port', '70000'], /Expected a port from 0 to 65535/],
    [['--queue-limit', '0'], /queueLimit must be a positive number/],
    [['--max-sessions-per-ip', '0'], /maxSessionsPerIp must be a positive number/],
  ])('cli: usage error %j exits 2', async (args, message) => {
    const result = await runCli(['serve', ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});
