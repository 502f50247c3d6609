// Soak (issue 14): 200 subscribers and one publisher on `hmb serve` (a child process) for a few
// minutes. Reports delivery completeness (every message to every subscriber once, in order),
// publish-to-delivery latency, and the bus process's RSS and event-loop delay over time.
//
// Subscribers read BSON /stream answers with a minimal reader (length-prefixed documents), not the
// hmb-rx client, so the benchmark process's CPU goes to 200 streams and not to the library: this
// measures the bus. Publisher and subscribers share this process (one clock for latencies).
//
//   npx tsx bench/soak.ts [--seconds 180] [--subscribers 200] [--rate 500]
import { deserialize, serialize } from 'bson';
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import type { BusProbeSample } from './lib/bus-probe';
import { machineInfo, machineLine } from './lib/machine';
import { epochMs, sleep } from './lib/measure';
import { visitBsonDocuments } from './lib/raw-http';
import { writeResults } from './lib/results';
import { median } from './lib/stats';
import { fixed, int, printTable } from './lib/table';

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at < 0 ? fallback : Number(process.argv[at + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

const SECONDS = flag('seconds', 180);
const SUBSCRIBERS = flag('subscribers', 200);
/** Messages per second the publisher sends, in batches every {@link TICK_MS}. */
const RATE = flag('rate', 500);
const TICK_MS = 10;
const BUS = 'soak';
const QUEUE = 'SOAK';
/** Latency histogram: 0.1 ms buckets up to a minute. */
const BUCKET_MS = 0.1;
const BUCKETS = 600_000;

interface BusChild {
  readonly url: string;
  readonly samples: BusProbeSample[];
  stop(): Promise<void>;
}

/** Starts `hmb serve` (through tsx, with the probe loaded first) and reads its URL. */
async function startServe(): Promise<BusChild> {
  const root = join(__dirname, '..');
  const child: ChildProcess = fork(
    join(root, 'src/cli/main.ts'),
    ['serve', '--port', '0', '--quiet', '--max-sessions-per-ip', String(SUBSCRIBERS + 10)],
    {
      execArgv: ['--import', 'tsx', '--import', join(__dirname, 'lib/bus-probe.ts')],
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    },
  );
  const samples: BusProbeSample[] = [];
  child.on('message', (m) => {
    const probe = (m as { probe?: BusProbeSample }).probe;
    if (probe !== undefined) samples.push(probe);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString('utf8');
      const line = /^(http:\/\/\S+)\n/.exec(out);
      if (line !== null) resolve(line[1]!);
    });
    void exited.then(() => reject(new Error('hmb serve exited before printing its URL')));
  });
  return {
    url,
    samples,
    stop: async () => {
      child.kill('SIGINT');
      await exited;
    },
  };
}

/** What a subscriber reads of each message. */
interface SoakMessage {
  readonly type: string;
  readonly seq?: number;
  readonly data?: { readonly i: number; readonly t: number };
}

/** One subscriber: a BSON session on the queue from the next message, read by /stream. */
class Subscriber {
  received = 0;
  gaps = 0;
  duplicates = 0;
  lastI = -1;
  private lastSeq = -1;
  private readonly abort = new AbortController();
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly latencies: Uint32Array) {}

  /** Opens a BSON session and reads its /stream until stopped. */
  async run(busUrl: string, agent: Agent): Promise<void> {
    // A BSON /open: the session's format (its /stream) follows the /open's Content-Type.
    const body = Buffer.from(serialize({ queue: { [QUEUE]: { seq: -1 } } }));
    const open = await request(`${busUrl}/open`, {
      method: 'POST',
      headers: { 'content-type': 'application/bson' },
      body,
      dispatcher: agent,
    });
    if (open.statusCode !== 200)
      throw new Error(`/open: ${open.statusCode} ${await open.body.text()}`);
    const ack = deserialize(Buffer.from(await open.body.arrayBuffer())) as { sid: string };
    const res = await request(`${busUrl}/stream/${ack.sid}`, {
      dispatcher: agent,
      signal: this.abort.signal,
    });
    try {
      for await (const chunk of res.body) this.push(chunk as Buffer);
    } catch (err) {
      if (!this.abort.signal.aborted) throw err;
    }
  }

  private push(chunk: Buffer): void {
    const buf = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const rest = buf.subarray(visitBsonDocuments(buf, 0, (m: SoakMessage) => this.onMessage(m)));
    this.pending = rest.length === 0 ? Buffer.alloc(0) : Buffer.from(rest);
  }

  private onMessage(msg: SoakMessage): void {
    const now = epochMs();
    if (msg.type !== 'T' || msg.seq === undefined || msg.data === undefined) return;
    if (this.lastSeq >= 0 && msg.seq <= this.lastSeq) this.duplicates++;
    else if (this.lastSeq >= 0 && msg.seq !== this.lastSeq + 1)
      this.gaps += msg.seq - this.lastSeq - 1;
    this.lastSeq = Math.max(this.lastSeq, msg.seq);
    this.received++;
    this.lastI = Math.max(this.lastI, msg.data.i);
    const bucket = Math.min(BUCKETS - 1, Math.max(0, Math.round((now - msg.data.t) / BUCKET_MS)));
    this.latencies[bucket]!++;
  }

  stop(): void {
    this.abort.abort();
  }
}

function histogramPercentile(hist: Uint32Array, total: number, p: number): number {
  const rank = Math.ceil((p / 100) * total);
  let seen = 0;
  for (let b = 0; b < hist.length; b++) {
    seen += hist[b]!;
    if (seen >= rank) return b * BUCKET_MS;
  }
  return NaN;
}

async function main(): Promise<void> {
  const machine = machineInfo();
  console.log(machineLine(machine));
  console.log(
    `soak: ${SUBSCRIBERS} subscribers, 1 publisher at ${RATE} msg/s for ${SECONDS} s on hmb serve`,
  );
  const bus = await startServe();
  const busUrl = `${bus.url}/${BUS}`;
  const agent = new Agent({ connections: SUBSCRIBERS + 10, bodyTimeout: 0, headersTimeout: 0 });
  const latencies = new Uint32Array(BUCKETS);
  const subscribers = Array.from({ length: SUBSCRIBERS }, () => new Subscriber(latencies));
  // The queue must exist before a subscriber can open it: a first message creates it.
  const publisher = new Agent({ connections: 1 });
  const openPub = await request(`${busUrl}/open`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"cid":"soak-publisher"}',
    dispatcher: publisher,
  });
  const pubSid = ((await openPub.body.json()) as { sid: string }).sid;
  const send = async (messages: unknown[]): Promise<void> => {
    const body: Record<string, unknown> = {};
    messages.forEach((m, k) => (body[k] = m));
    const res = await request(`${busUrl}/send/${pubSid}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      dispatcher: publisher,
    });
    await res.body.dump();
    if (res.statusCode !== 204) throw new Error(`/send: ${res.statusCode}`);
  };
  await send([{ type: 'CREATE', queue: QUEUE }]);
  const running = subscribers.map((s) => s.run(busUrl, agent));
  // A stream sends nothing before its first message: give the /stream requests time to arrive.
  await sleep(2_000);
  bus.samples.length = 0;

  const total = Math.round(RATE * SECONDS);
  const perTick = RATE / (1000 / TICK_MS);
  const started = performance.now();
  const rssTimeline: Array<{ atSec: number; rssMb: number }> = [];
  let sent = 0;
  while (sent < total) {
    const due = Math.min(
      total,
      Math.floor(((performance.now() - started) / TICK_MS + 1) * perTick),
    );
    const batch: unknown[] = [];
    for (; sent < due; sent++)
      batch.push({ type: 'T', queue: QUEUE, data: { i: sent, t: epochMs() } });
    if (batch.length > 0) await send(batch);
    const last = bus.samples.at(-1);
    const atSec = Math.floor((performance.now() - started) / 1000);
    if (last !== undefined && atSec % Math.max(1, Math.round(SECONDS / 12)) === 0) {
      if (rssTimeline.at(-1)?.atSec !== atSec) rssTimeline.push({ atSec, rssMb: last.rssMb });
    }
    await sleep(Math.max(0, started + (sent / perTick) * TICK_MS - performance.now()));
  }
  const publishSec = (performance.now() - started) / 1000;
  // Let the last messages arrive (at most 10 s).
  const drainUntil = performance.now() + 10_000;
  while (performance.now() < drainUntil && subscribers.some((s) => s.lastI < total - 1))
    await sleep(50);
  const samples = [...bus.samples];
  for (const s of subscribers) s.stop();
  await Promise.allSettled(running);
  await agent.close();
  await publisher.close();
  await bus.stop();

  const received = subscribers.reduce((n, s) => n + s.received, 0);
  const expected = total * SUBSCRIBERS;
  const gaps = subscribers.reduce((n, s) => n + s.gaps, 0);
  const duplicates = subscribers.reduce((n, s) => n + s.duplicates, 0);
  const summary = {
    subscribers: SUBSCRIBERS,
    rate: RATE,
    seconds: SECONDS,
    published: total,
    publishedPerSec: total / publishSec,
    expectedDeliveries: expected,
    delivered: received,
    completeness: received / expected,
    gaps,
    duplicates,
    latencyP50Ms: histogramPercentile(latencies, received, 50),
    latencyP99Ms: histogramPercentile(latencies, received, 99),
    latencyMaxMs: histogramPercentile(latencies, received, 100),
    busRssStartMb: samples[0]?.rssMb,
    busRssEndMb: samples.at(-1)?.rssMb,
    busRssMaxMb: Math.max(...samples.map((s) => s.rssMb)),
    busDelayP50Ms: median(samples.map((s) => s.delayP50Ms)),
    busDelayP99MedianMs: median(samples.map((s) => s.delayP99Ms)),
    busDelayP99WorstMs: Math.max(...samples.map((s) => s.delayP99Ms)),
    busDelayMaxMs: Math.max(...samples.map((s) => s.delayMaxMs)),
  };
  printTable(
    `Soak: ${SUBSCRIBERS} subscribers × ${int(total)} messages (${RATE} msg/s, ${SECONDS} s)`,
    [
      { header: 'delivered', align: 'right' },
      { header: 'of', align: 'right' },
      { header: 'complete', align: 'right' },
      { header: 'gaps', align: 'right' },
      { header: 'dups', align: 'right' },
      { header: 'p50 ms', align: 'right' },
      { header: 'p99 ms', align: 'right' },
      { header: 'max ms', align: 'right' },
    ],
    [
      [
        int(received),
        int(expected),
        `${fixed(summary.completeness * 100, 3)}%`,
        int(gaps),
        int(duplicates),
        fixed(summary.latencyP50Ms),
        fixed(summary.latencyP99Ms),
        fixed(summary.latencyMaxMs),
      ],
    ],
  );
  console.log(
    `bus RSS ${rssTimeline.map((r) => `${r.atSec}s:${Math.round(r.rssMb)}`).join(' ')} MB (max ${Math.round(summary.busRssMaxMb)} MB)`,
  );
  console.log(
    `bus event-loop delay: p50 ${fixed(summary.busDelayP50Ms)} ms, p99 ${fixed(summary.busDelayP99MedianMs)} ms (median second; worst second ${fixed(summary.busDelayP99WorstMs)} ms), max ${fixed(summary.busDelayMaxMs)} ms`,
  );
  writeResults('soak', { machine, summary, rssTimeline, samples });
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
