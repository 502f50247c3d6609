// Throughput of the embedded bus, measured as the protocol notes (§13) measured the original:
// one keep-alive connection, request bodies built before the clock starts, 100,000 messages,
// memory mode with a ring large enough to keep them all. The server runs in a child process, so
// client and server share the two cores as they did for the original's figures.
//
//   npx tsx bench/server-throughput.ts           # prints a table, writes bench/results/server-throughput.json
//   SERVER_CPU_PROF=1 npx tsx bench/server-throughput.ts   # also writes a .cpuprofile of the server
import { deserialize, serialize } from 'bson';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'undici';

const MESSAGES = 100_000;
const BATCH = 100;
const SINGLE_SENDS = 10_000;

/** The original's figures (notes §13), msg/s, as [low, high]. */
const ORIGINAL: Record<string, [number, number] | undefined> = {
  'send JSON ×100 small': [99_000, 123_000],
  'send JSON ×100 1KiB': [35_000, 35_000],
  'send BSON ×100 small': [122_000, 151_000],
  'send BSON ×100 1KiB': [46_000, 46_000],
  'send JSON ×1 small': [5_400, 5_400],
  'recv JSON small': [72_000, 83_000],
  'recv JSON 1KiB': [20_000, 20_000],
  'recv JSON limit 64 small': [110_000, 135_000],
  'recv BSON small': [140_000, 203_000],
  'recv BSON 1KiB': [82_000, 82_000],
  'stream JSON small': [79_000, 79_000],
  'stream JSON 1KiB': [24_000, 24_000],
  'stream BSON small': [120_000, 120_000],
  'stream BSON 1KiB': [48_000, 48_000],
};

// --- the server side (child process) --------------------------------------------------------

/** Tells the parent the port, then answers its `cpu` questions and `stop` until stopped. */
function answerParent(port: number, close: () => Promise<void>): void {
  process.send?.({ port });
  process.on('message', (m: unknown) => {
    if (m === 'stop') void close().then(() => process.exit(0));
    // CPU time of the server process, so each figure also says how much of it was the server's.
    if (m === 'cpu') process.send?.({ cpu: process.cpuUsage() });
  });
}

/** A Node HTTP server that reads each request and answers 204 (/open: a fixed sid). */
async function servePlain(): Promise<void> {
  const { createServer } = await import('node:http');
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url?.endsWith('/open'))
        res.writeHead(200, { 'Content-Length': 12 }).end('{"sid":"S1"}');
      else res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  answerParent(
    typeof address === 'object' && address !== null ? address.port : 0,
    () => new Promise((resolve) => server.close(() => resolve())),
  );
}

async function serve(): Promise<void> {
  if (process.argv.includes('--plain')) return servePlain();
  // The built package, as the other benchmarks run it (bench/lib/hmb-rx.ts says why).
  const { startHmbServer } = (await import('./lib/hmb-rx')).serverEntry();
  const server = await startHmbServer({
    port: 0,
    queueLimit: 200_000,
    maxSessionsPerIp: 1_000,
    maxBodyKb: 102_400,
  });
  answerParent(server.port, () => server.close());
}

// --- the client side ------------------------------------------------------------------------

/** `{"type":"T","queue":"PJ","topic":"X","data":{"i":N,"pad":"x"*P}}`: 97 bytes (P=32) as JSON. */
function message(
  queue: string,
  i: number,
  pad: number,
): { type: string; queue: string; topic: string; data: { i: number; pad: string } } {
  return { type: 'T', queue, topic: 'X', data: { i, pad: 'x'.repeat(pad) } };
}

const SMALL_PAD = 32;
// 1022 bytes as compact JSON with a 5-digit i, as in the notes' 1 KiB column.
const LARGE_PAD = 32 + (1022 - 97);

function jsonBodies(queue: string, count: number, per: number, pad: number): Buffer[] {
  const bodies: Buffer[] = [];
  for (let start = 0; start < count; start += per) {
    const list: Record<string, unknown> = {};
    for (let k = 0; k < per; k++) list[k] = message(queue, start + k, pad);
    bodies.push(Buffer.from(JSON.stringify(list)));
  }
  return bodies;
}

function bsonBodies(queue: string, count: number, per: number, pad: number): Buffer[] {
  const bodies: Buffer[] = [];
  for (let start = 0; start < count; start += per) {
    const docs: Buffer[] = [];
    for (let k = 0; k < per; k++) docs.push(Buffer.from(serialize(message(queue, start + k, pad))));
    bodies.push(Buffer.concat(docs));
  }
  return bodies;
}

class Bench {
  private readonly client: Client;

  constructor(readonly base: string) {
    this.client = new Client(base, { keepAliveTimeout: 60_000, pipelining: 1 });
  }

  async call(
    method: 'GET' | 'POST',
    path: string,
    body?: Buffer,
    json = true,
  ): Promise<{ status: number; body: Buffer }> {
    const res = await this.client.request({
      method,
      path,
      headers:
        body === undefined
          ? {}
          : { 'content-type': json ? 'application/json' : 'application/bson' },
      body: body ?? null,
    });
    // arrayBuffer() reads through 'data' events: no per-chunk await, so the 2048-byte chunks of
    // an answer cost the client little.
    return { status: res.statusCode, body: Buffer.from(await res.body.arrayBuffer()) };
  }

  async open(bus: string, params: unknown, json = true): Promise<string> {
    const body = json
      ? Buffer.from(JSON.stringify(params))
      : Buffer.from(serialize(params as object));
    const res = await this.call('POST', `/${bus}/open`, body, json);
    const ack = (json ? JSON.parse(res.body.toString()) : deserialize(res.body)) as { sid: string };
    return ack.sid;
  }

  async sendAll(bus: string, sid: string, bodies: Buffer[], json: boolean): Promise<void> {
    for (const body of bodies) {
      const res = await this.call('POST', `/${bus}/send/${sid}`, body, json);
      if (res.status !== 204) throw new Error(`send: ${res.status} ${res.body.toString()}`);
    }
  }

  /**
   * Receives until EOF with /recv; returns the count. JSON answers are parsed whole; BSON answers
   * are framed by their length prefixes and only the last document is decoded (for the
   * continuity suffix), so the figure measures the server rather than js-bson.
   */
  async recvAll(bus: string, sid: string, json: boolean): Promise<number> {
    let suffix = '';
    let count = 0;
    for (;;) {
      const res = await this.call('GET', `/${bus}/recv/${sid}${suffix}`);
      const frames = json
        ? Object.values(
            JSON.parse(res.body.toString()) as Record<
              string,
              { type: string; queue: string; seq: number }
            >,
          )
        : bsonFrames(res.body);
      for (const f of frames) {
        if (f.type === 'EOF') return count;
        count++;
        suffix = `/${f.queue}/${Number(f.seq)}`;
      }
    }
  }

  /** Reads one /stream answer to its EOF, decoding it; returns the message count. */
  async streamAll(bus: string, sid: string, json: boolean): Promise<number> {
    const res = await this.call('GET', `/${bus}/stream/${sid}`);
    if (!json) return bsonFrames(res.body).length - 1;
    const frames = Object.values(
      JSON.parse(res.body.toString()) as Record<string, { type: string }>,
    );
    return frames.filter((f) => f.type !== 'EOF').length;
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

type Frame = { type: string; queue: string; seq: number };

/** Frames of a BSON body: every document framed, the last two decoded (the last may be EOF). */
function bsonFrames(buf: Buffer): Frame[] {
  const starts: number[] = [];
  for (let p = 0; p < buf.length; p += buf.readInt32LE(p)) starts.push(p);
  const decode = (i: number): Frame => {
    const p = starts[i]!;
    return deserialize(buf.subarray(p, p + buf.readInt32LE(p))) as Frame;
  };
  const out: Frame[] = starts.map(() => ({ type: 'T', queue: '', seq: -1 }));
  for (let i = Math.max(0, starts.length - 2); i < starts.length; i++) out[i] = decode(i);
  return out;
}

interface Row {
  readonly name: string;
  readonly messages: number;
  readonly seconds: number;
  readonly rate: number;
  /** Server CPU time (user + system) per message, in microseconds. */
  readonly serverCpuUsPerMsg: number;
  readonly original: [number, number] | undefined;
}

let serverProcess: ChildProcess | undefined;

/** The server process's CPU time so far, in microseconds. */
function serverCpu(): Promise<number> {
  const child = serverProcess!;
  return new Promise((resolve) => {
    const onMessage = (m: unknown): void => {
      const cpu = (m as { cpu?: { user: number; system: number } }).cpu;
      if (cpu === undefined) return;
      child.off('message', onMessage);
      resolve(cpu.user + cpu.system);
    };
    child.on('message', onMessage);
    child.send('cpu');
  });
}

/** `BENCH_ONLY=regex` runs only the matching operations (for profiling one of them). */
const ONLY =
  process.env['BENCH_ONLY'] === undefined ? undefined : new RegExp(process.env['BENCH_ONLY']);

async function measure(
  name: string,
  messages: number,
  run: () => Promise<number | void>,
): Promise<Row | undefined> {
  if (ONLY !== undefined && !ONLY.test(name)) return undefined;
  const cpu0 = await serverCpu();
  const t0 = process.hrtime.bigint();
  const got = await run();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const serverCpuUsPerMsg = ((await serverCpu()) - cpu0) / messages;
  if (typeof got === 'number' && got !== messages)
    throw new Error(`${name}: expected ${messages} messages, got ${got}`);
  const rate = messages / seconds;
  const row = { name, messages, seconds, rate, serverCpuUsPerMsg, original: ORIGINAL[name] };
  const shown = Math.round(rate).toLocaleString('en').padStart(9);
  console.log(`  ${name.padEnd(26)} ${shown} msg/s, server ${serverCpuUsPerMsg.toFixed(1)} µs/msg`);
  return row;
}

/** One operation: its name, and a function filling a fresh server and measuring on it. */
/** A name, what to measure, and whether it runs against the plain Node server instead of the bus. */
type Operation = readonly [string, (bench: Bench) => Promise<Row | undefined>, 'plain'?];

function operations(): Operation[] {
  const ops: Operation[] = [];
  for (const [size, pad] of [
    ['small', SMALL_PAD],
    ['1KiB', LARGE_PAD],
  ] as const) {
    for (const json of [true, false]) {
      const name = `send ${json ? 'JSON' : 'BSON'} ×100 ${size}`;
      ops.push([
        name,
        async (bench) => {
          const sid = await bench.open('b', { cid: 'sender' });
          const bodies = json
            ? jsonBodies('PJ', MESSAGES, BATCH, pad)
            : bsonBodies('PJ', MESSAGES, BATCH, pad);
          return measure(name, MESSAGES, () => bench.sendAll('b', sid, bodies, json));
        },
      ]);
    }
    if (size === 'small') {
      // The second one is the ceiling of one request at a time on this machine: the same client
      // and bodies against a Node HTTP server that only answers 204 (no parsing, no storing).
      const singles: Array<[string, 'plain' | undefined]> = [
        ['send JSON ×1 small', undefined],
        ['send JSON ×1 small, plain Node 204 server', 'plain'],
      ];
      for (const [name, server] of singles) {
        const run = async (bench: Bench): Promise<Row | undefined> => {
          const sid = await bench.open('b', { cid: 'sender' });
          const bodies = jsonBodies('PJ', SINGLE_SENDS, 1, pad);
          return measure(name, SINGLE_SENDS, () => bench.sendAll('b', sid, bodies, true));
        };
        ops.push(server === undefined ? [name, run] : [name, run, server]);
      }
    }
    // Delivery: the bus is filled first (not timed), so each figure includes encoding every
    // message for that format (nothing is cached yet).
    const deliveries: Array<[string, boolean, 'recv' | 'stream', number | undefined]> = [
      [`recv JSON ${size}`, true, 'recv', undefined],
      [`recv BSON ${size}`, false, 'recv', undefined],
      [`stream JSON ${size}`, true, 'stream', undefined],
      [`stream BSON ${size}`, false, 'stream', undefined],
    ];
    if (size === 'small') deliveries.splice(1, 0, ['recv JSON limit 64 small', true, 'recv', 64]);
    for (const [name, json, method, limit] of deliveries) {
      ops.push([
        name,
        async (bench) => {
          const sender = await bench.open('b', { cid: 'sender' });
          await bench.sendAll('b', sender, jsonBodies('PJ', MESSAGES, 1000, pad), true);
          const params = {
            ...(limit === undefined ? {} : { recv_limit: limit }),
            queue: { PJ: { seq: 0, keep: false } },
          };
          const sid = await bench.open('b', params, json);
          return measure(name, MESSAGES, () =>
            method === 'recv' ? bench.recvAll('b', sid, json) : bench.streamAll('b', sid, json),
          );
        },
      ]);
    }
  }
  return ops.filter(([name]) => ONLY === undefined || ONLY.test(name));
}

/**
 * Runs one operation against a server process of its own, so no figure pays for the heap an
 * earlier one left behind (100,000 1-KiB messages weigh on every later garbage collection).
 */
async function onFreshServer(op: Operation): Promise<Row | undefined> {
  const execArgv =
    process.env['SERVER_CPU_PROF'] === '1'
      ? [...process.execArgv, '--cpu-prof', '--cpu-prof-dir=bench/results']
      : process.execArgv;
  const args = op[2] === 'plain' ? ['--serve', '--plain'] : ['--serve'];
  const child: ChildProcess = fork(__filename, args, { execArgv, stdio: 'inherit' });
  serverProcess = child;
  const port = await new Promise<number>((resolve) =>
    child.once('message', (m) => resolve((m as { port: number }).port)),
  );
  const bench = new Bench(`http://127.0.0.1:${port}`);
  try {
    return await op[1](bench);
  } finally {
    await bench.close();
    child.send('stop');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

async function main(): Promise<void> {
  if (process.argv.includes('--serve')) return serve();
  console.log(
    `hmb-rx embedded bus throughput (${MESSAGES.toLocaleString('en')} messages, each operation on a fresh server process)`,
  );
  // BENCH_RUNS=n repeats everything and keeps each operation's best run: on a shared 2-core
  // machine a single run varies by ±20% or more (the notes' own figures did too).
  const runs = Number(process.env['BENCH_RUNS'] ?? '1');
  const best = new Map<string, Row>();
  for (let run = 1; run <= runs; run++) {
    if (runs > 1) console.log(`run ${run} of ${runs}`);
    for (const op of operations()) {
      const row = await onFreshServer(op);
      if (row === undefined) continue;
      const prev = best.get(row.name);
      if (prev === undefined || row.rate > prev.rate) best.set(row.name, row);
    }
  }
  const rows = [...best.values()];
  console.log('\n| operation | msg/s | server CPU µs/msg | original (notes §13) | ratio |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    const orig =
      r.original === undefined
        ? '–'
        : r.original[0] === r.original[1]
          ? r.original[0].toLocaleString('en')
          : `${r.original[0].toLocaleString('en')}–${r.original[1].toLocaleString('en')}`;
    const ratio = r.original === undefined ? '–' : `${(r.rate / r.original[0]).toFixed(2)}×`;
    console.log(
      `| ${r.name} | ${Math.round(r.rate).toLocaleString('en')} | ${r.serverCpuUsPerMsg.toFixed(1)} | ${orig} | ${ratio} |`,
    );
  }
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'server-throughput.json'),
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, messages: MESSAGES, runs, rows }, null, 2)}\n`,
  );
  console.log(`\nwritten: ${join('bench', 'results', 'server-throughput.json')}`);
}

void main();
