import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { Binary, BSON, Double, Int32, Long } from 'bson';
import { publish } from '../helpers/publish';
import { storedDocs } from '../helpers/raw-http';
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

/** The data documents of a queue as the bus stores them, every BSON type kept. */
async function storedData(busUrl: string, queue: string): Promise<Record<string, unknown>[]> {
  const docs = await storedDocs(busUrl, queue, { promoteValues: false, bsonRegExp: true });
  return docs.map((doc) => doc['data'] as Record<string, unknown>);
}

describe('cli: types and EMSC', () => {
  it('cli: tail --ejson | send --ejson copies a queue with every BSON type kept', async () => {
    bus = await startTestBus();
    const data = {
      int32: new Int32(5),
      int64: Long.fromNumber(5),
      int64Big: Long.fromNumber(2 ** 40),
      beyond: Long.fromString('4611686018427387905'),
      double: new Double(5),
      fraction: new Double(0.25),
      uuid: new Binary(Buffer.alloc(16, 7), 4),
      vendor: new Binary(Buffer.from([1, 2, 3]), 0x80),
      when: new Date('2026-12-04T10:00:00.123Z'),
      nested: { list: [new Double(1), Long.fromNumber(2), new Int32(3)] },
    };
    await publish(bus.url, [{ type: 'T', queue: 'SRC', data }], { format: 'bson' });
    const tail = startCli(['tail', bus.url, '-q', 'SRC', '--seq', '0', '--ejson']);
    await tail.waitFor('stdout', lineCount(1));
    expect((await interrupt(tail)).code).toBe(130);
    const [line] = jsonLines(tail.stdout());
    expect(line).toMatchObject({ type: 'T', queue: 'SRC', seq: 0 });
    expect((line!['data'] as Record<string, unknown>)['int64']).toEqual({ $numberLong: '5' });
    expect((line!['data'] as Record<string, unknown>)['double']).toEqual({ $numberDouble: '5.0' });
    const { seq: _seq, queue: _queue, ...rest } = line!;
    const sent = await runCli(['send', bus.url, '-q', 'COPY', '--ejson'], {
      input: `${JSON.stringify(rest)}\n`,
    });
    expect(sent).toMatchObject({ code: 0, stderr: expect.stringMatching(/1 of 1 message sent/) });
    const [source, copy] = await Promise.all([
      storedData(bus.url, 'SRC'),
      storedData(bus.url, 'COPY'),
    ]);
    expect(copy).toHaveLength(1);
    expect(Buffer.from(BSON.serialize(copy[0]!))).toEqual(Buffer.from(BSON.serialize(source[0]!)));
  });

  it('cli: send --ejson reports a line with broken Extended JSON by its number', async () => {
    bus = await startTestBus();
    const sent = await runCli(['send', bus.url, '-q', 'Q', '--ejson'], {
      input: '{"type":"T","data":{"n":{"$numberLong":"x"}}}\n',
    });
    expect(sent.code).toBe(1);
    expect(sent.stderr).toMatch(/line 1: invalid Extended JSON in data/);
  });

  it('cli: send --emsc-text and --emsc-file publish EMSC envelopes that tail --emsc decodes', async () => {
    bus = await startTestBus();
    const dir = await mkdtemp(join(tmpdir(), 'hmb-emsc-'));
    try {
      const path = join(dir, 'event.xml');
      await writeFile(path, '<q>Ü</q>');
      const text = await runCli([
        'send',
        bus.url,
        '-q',
        'EQ',
        '--emsc-text',
        'héllo',
        '--agency',
        'GFZ',
      ]);
      expect(text.code).toBe(0);
      const file = await runCli([
        'send',
        bus.url,
        '-q',
        'EQ',
        '--emsc-file',
        path,
        '--agency',
        'GFZ',
        '--author',
        'me',
      ]);
      expect(file.code).toBe(0);
      const raw = await storedData(bus.url, 'EQ');
      expect(raw[1]).toMatchObject({ _type: 'FILE', file: 'event.xml', zlib: true });
      expect(inflateSync((raw[1]!['content'] as Binary).buffer).toString()).toBe('<q>Ü</q>');
      expect((raw[1]!['_header'] as Record<string, unknown>)['creationtime']).toBeInstanceOf(Date);

      await publish(bus.url, [{ type: 'OTHER', queue: 'EQ', data: {} }]);
      const tail = startCli(['tail', bus.url, '-q', 'EQ', '--seq', '0', '--emsc']);
      await tail.waitFor('stdout', lineCount(2));
      await tail.waitFor('stderr', /skipped: .*EQ#2 is a OTHER message/);
      expect((await interrupt(tail)).code).toBe(130);
      const lines = jsonLines(tail.stdout());
      expect(lines[0]).toMatchObject({
        queue: 'EQ',
        seq: 0,
        header: { agency: 'GFZ', author: 'hmb-rx' },
        payload: { kind: 'text', encoding: 'utf-8', text: 'héllo' },
      });
      expect(lines[1]).toMatchObject({
        seq: 1,
        header: { author: 'me' },
        payload: {
          kind: 'file',
          file: 'event.xml',
          base64: Buffer.from('<q>Ü</q>').toString('base64'),
        },
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('cli: send --emsc-text without --agency is a usage error; a missing --emsc-file is named', async () => {
    bus = await startTestBus();
    const noAgency = await runCli(['send', bus.url, '-q', 'EQ', '--emsc-text', 'x']);
    expect(noAgency.code).toBe(2);
    expect(noAgency.stderr).toMatch(/--agency/);
    const missing = await runCli([
      'send',
      bus.url,
      '-q',
      'EQ',
      '--emsc-file',
      '/nonexistent/file.xml',
      '--agency',
      'GFZ',
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--emsc-file: .*ENOENT/);
  });
});
