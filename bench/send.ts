// Send (issue 9 §5, issue 18): messages/s through the sink at batch sizes 1, 10, 100 and 1,000
// (`maxBatchMessages`), JSON and BSON, against raw undici /send loops on one keep-alive
// connection, one request at a time, as the notes' client did (§13). Two raw senders:
// - "raw encode" builds each body inside the clock (`JSON.stringify` of the batch object,
//   `BSON.serialize` per message): what a user pays who writes the loop by hand. This is the
//   baseline the sink must reach (≥ 90%).
// - "raw prebuilt" sends bodies built before the clock starts: the wire and the bus alone.
// And one-shot sends: `client.send()` of one message at a time against a raw single /send on a
// reused session, encoding inside the clock.
//
// Every variant sends into one queue of its own on a bus whose ring holds 10,000 messages per
// queue, so the bus's memory (and speed) stays the same from the first run to the last: sending
// into fresh queues run after run made the bus fuller and slower, and biased the ratio. Senders
// alternate inside each run, and the order flips from run to run.
//
//   npx tsx bench/send.ts [filter]        e.g. "BSON ×100", "single"
//   BENCH_RUNS=5 (default 5)
import { Agent, request } from 'undici';
import { startBusProcess, type BusProcess } from './lib/bus-process';
import { gc } from './lib/gc';
import { benchClient, sinkAll } from './lib/library-read';
import { machineInfo, machineLine } from './lib/machine';
import { measure } from './lib/measure';
import { ORIGINAL_SEND, rangeText } from './lib/original';
import { PAD, benchMessage, encodeSendBody, type BenchMessage } from './lib/payloads';
import type { Format } from './lib/raw-http';
import { writeResults } from './lib/results';
import { medianRows, ordered, pairedRatio, repeatRuns, runCount, warnNoisy } from './lib/runs';
import { fixed, int, percent, percentRange, printTable } from './lib/table';

const BATCHES = [1, 10, 100, 1_000] as const;
/** One-shot sends per run: each is a whole HTTP exchange. */
const SINGLE_SENDS = 5_000;
/**
 * One-shot sends of each sender before the timed ones of a run, not counted: a run of a few
 * thousand one-message requests is short enough that the first run's JIT warm-up and the bus's
 * first allocations otherwise decide the figure (the first of five runs was 2–4× slower).
 */
const SINGLE_WARM_UP = 1_000;
/** Messages of each batched sender before the first run's timed ones, not counted. */
const WARM_UP_MESSAGES = 20_000;
const BUS = 'send';
/** The bus's ring per queue: bounds its memory, whatever the number of runs. */
const RING = 10_000;
const FILTER = process.argv[2];

/** Fewer messages for small batches, so that each case takes a few seconds at most. */
function messagesFor(batch: number): number {
  return batch <= 10 ? 10_000 : 100_000;
}

type Sender = 'raw encode' | 'raw prebuilt' | 'hmb-rx sink' | 'raw single' | 'hmb-rx send';

interface Row {
  readonly config: string;
  readonly sender: Sender;
  readonly messages: number;
  readonly msgPerSec: number;
  readonly clientCpuMsPer1k: number;
  readonly busCpuMsPer1k: number;
}

async function timed(
  bus: BusProcess,
  config: string,
  sender: Sender,
  messages: number,
  send: () => Promise<void>,
): Promise<Row> {
  gc();
  const bus0 = await bus.cpuUs();
  const m = await measure(send);
  const busUs = (await bus.cpuUs()) - bus0;
  const row: Row = {
    config,
    sender,
    messages,
    msgPerSec: messages / (m.wallMs / 1000),
    clientCpuMsPer1k: m.cpuMs / (messages / 1000),
    busCpuMsPer1k: busUs / 1000 / (messages / 1000),
  };
  console.log(
    `  ${config.padEnd(11)} ${sender.padEnd(12)} ${int(row.msgPerSec).padStart(8)} msg/s  client ${fixed(row.clientCpuMsPer1k, 2)} ms/1k  bus ${fixed(row.busCpuMsPer1k, 2)} ms/1k`,
  );
  return row;
}

/** A raw /send session: one keep-alive connection, one sid, one request at a time. */
async function withRawSession(
  busUrl: string,
  send: (post: (body: string | Uint8Array, contentType: string) => Promise<void>) => Promise<void>,
): Promise<void> {
  const agent = new Agent({ keepAliveTimeout: 60_000 });
  try {
    const open = await request(`${busUrl}/open`, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const { sid } = (await open.body.json()) as { sid: string };
    await send(async (body, contentType) => {
      const res = await request(`${busUrl}/send/${sid}`, {
        method: 'POST',
        dispatcher: agent,
        headers: { 'content-type': contentType },
        body,
      });
      await res.body.dump();
      if (res.statusCode !== 204) throw new Error(`/send: ${res.statusCode}`);
    });
  } finally {
    await agent.close();
  }
}

const CONTENT_TYPE: Readonly<Record<Format, string>> = {
  json: 'application/json',
  bson: 'application/bson',
};

/** Raw sender that encodes inside the clock. */
function rawEncodeSend(
  busUrl: string,
  format: Format,
  batch: number,
  messages: readonly BenchMessage[],
): Promise<void> {
  return withRawSession(busUrl, async (post) => {
    for (let i = 0; i < messages.length; i += batch) {
      const count = Math.min(batch, messages.length - i);
      await post(encodeSendBody(format, messages, i, count), CONTENT_TYPE[format]);
    }
  });
}

/** Raw sender of bodies built before the clock started. */
function rawPrebuiltSend(busUrl: string, format: Format, bodies: readonly Buffer[]): Promise<void> {
  return withRawSession(busUrl, async (post) => {
    for (const body of bodies) await post(body, CONTENT_TYPE[format]);
  });
}

async function sinkSend(
  busUrl: string,
  format: Format,
  batch: number,
  messages: readonly BenchMessage[],
): Promise<void> {
  const client = benchClient(busUrl, format);
  try {
    await sinkAll(client, batch, messages);
  } finally {
    await client.close();
  }
}

/** One message per /send, awaited one after the other, on one client (one session). */
async function clientSingleSend(
  busUrl: string,
  format: Format,
  messages: readonly BenchMessage[],
): Promise<void> {
  const client = benchClient(busUrl, format);
  try {
    for (const m of messages) await client.send(m);
  } finally {
    await client.close();
  }
}

function rawSingleSend(
  busUrl: string,
  format: Format,
  messages: readonly BenchMessage[],
): Promise<void> {
  return withRawSession(busUrl, async (post) => {
    for (let i = 0; i < messages.length; i++)
      await post(encodeSendBody(format, messages, i, 1), CONTENT_TYPE[format]);
  });
}

/**
 * The bus every run sends to, started by the first. A bus process started before each run ran its
 * code cold again, compiling it on the machine's other core while the run's first sender sent
 * (the warm-up below is for the first run only): the first configuration of runs 2 to 5 measured
 * the compiler as much as the senders. The rings keep the bus's memory the same from run to run.
 */
let sharedBus: BusProcess | undefined;

async function oneRun(run: number): Promise<Row[]> {
  const bus = (sharedBus ??= await startBusProcess({ maxSessionsPerIp: 1_000, queueLimit: RING }));
  const busUrl = `${bus.url}/${BUS}`;
  const rows: Row[] = [];
  for (const format of ['json', 'bson'] as const) {
    for (const batch of BATCHES) {
      const config = `${format.toUpperCase()} ×${batch}`;
      if (FILTER !== undefined && !config.includes(FILTER)) continue;
      const n = messagesFor(batch);
      const senders: Sender[] = ['raw encode', 'hmb-rx sink', 'raw prebuilt'];
      if (run === 1) {
        // Once per process, unmeasured: the library has more code for the JIT to warm than a
        // hand-written loop, and a cold first run would count that against it in every median.
        const warmUp = Array.from({ length: Math.min(n, WARM_UP_MESSAGES) }, (_, i) =>
          benchMessage(`W${format}${batch}`, i, PAD.small),
        );
        await rawEncodeSend(busUrl, format, batch, warmUp);
        await sinkSend(busUrl, format, batch, warmUp);
      }
      for (const sender of ordered(run, senders)) {
        // One queue per variant, the same in every run: its ring bounds what the bus holds.
        const queue = `S${format}${batch}${sender.replace(/\W/g, '')}`;
        const messages = Array.from({ length: n }, (_, i) => benchMessage(queue, i, PAD.small));
        const bodies: Buffer[] = [];
        if (sender === 'raw prebuilt') {
          for (let i = 0; i < n; i += batch) {
            // Bytes, not a string: encoding to UTF-8 is work the clock must not see here.
            const body = encodeSendBody(format, messages, i, Math.min(batch, n - i));
            bodies.push(typeof body === 'string' ? Buffer.from(body) : body);
          }
        }
        rows.push(
          await timed(bus, config, sender, n, () =>
            sender === 'raw encode'
              ? rawEncodeSend(busUrl, format, batch, messages)
              : sender === 'raw prebuilt'
                ? rawPrebuiltSend(busUrl, format, bodies)
                : sinkSend(busUrl, format, batch, messages),
          ),
        );
      }
    }
    const config = `${format.toUpperCase()} single`;
    if (FILTER !== undefined && !config.includes(FILTER)) continue;
    const singleSenders = ordered<Sender>(run, ['raw single', 'hmb-rx send']);
    const singleMessages = (sender: Sender, count: number): BenchMessage[] => {
      const queue = `S${format}single${sender.replace(/\W/g, '')}`;
      return Array.from({ length: count }, (_, i) => benchMessage(queue, i, PAD.small));
    };
    for (const sender of singleSenders) {
      const warmUp = singleMessages(sender, SINGLE_WARM_UP);
      await (sender === 'raw single'
        ? rawSingleSend(busUrl, format, warmUp)
        : clientSingleSend(busUrl, format, warmUp));
    }
    for (const sender of singleSenders) {
      const messages = singleMessages(sender, SINGLE_SENDS);
      rows.push(
        await timed(bus, config, sender, SINGLE_SENDS, () =>
          sender === 'raw single'
            ? rawSingleSend(busUrl, format, messages)
            : clientSingleSend(busUrl, format, messages),
        ),
      );
    }
  }
  return rows;
}

async function main(): Promise<void> {
  const machine = machineInfo();
  console.log(`send: sink and send() vs raw /send, small messages; ${machineLine(machine)}`);
  const runs = runCount(5);
  let records;
  try {
    records = await repeatRuns(runs, oneRun);
  } finally {
    await sharedBus?.stop();
  }
  const rows = medianRows(records, (r) => `${r.config}|${r.sender}`, 'msgPerSec');
  warnNoisy(rows, (i) => `${rows[i]!.config} ${rows[i]!.sender}`);
  const find = (config: string, sender: Sender) =>
    rows.find((r) => r.config === config && r.sender === sender);
  const paired = (config: string, numerator: Sender, denominator: Sender) =>
    pairedRatio<Row>(
      records,
      (r) => r.config === config && r.sender === numerator,
      (r) => r.config === config && r.sender === denominator,
      (r) => r.msgPerSec,
    );
  const configs = [...new Set(rows.map((r) => r.config))];
  const batched = configs.filter((c) => !c.endsWith('single'));
  const table = batched.map((config) => {
    const raw = find(config, 'raw encode');
    const prebuilt = find(config, 'raw prebuilt');
    const sink = find(config, 'hmb-rx sink');
    const ratio = paired(config, 'hmb-rx sink', 'raw encode');
    return {
      config,
      messages: sink?.messages ?? raw?.messages,
      raw: raw?.msgPerSec,
      prebuilt: prebuilt?.msgPerSec,
      sink: sink?.msgPerSec,
      ratio: ratio.median,
      ratioPerRun: ratio.perRun,
      ratioOfMedians:
        sink !== undefined && raw !== undefined ? sink.msgPerSec / raw.msgPerSec : NaN,
      rawCpu: raw?.clientCpuMsPer1k,
      sinkCpu: sink?.clientCpuMsPer1k,
      busCpu: sink?.busCpuMsPer1k,
      original: ORIGINAL_SEND[config],
    };
  });
  printTable(
    `Send, small messages, one request at a time, median of ${runs} run(s) (msg/s; sink / raw encode = median of each run's side-by-side ratio; client CPU ms per 1,000 messages)`,
    [
      { header: 'format × batch' },
      { header: 'messages', align: 'right' },
      { header: 'raw encode', align: 'right' },
      { header: 'hmb-rx sink', align: 'right' },
      { header: 'sink / raw encode', align: 'right' },
      { header: 'per run', align: 'right' },
      { header: 'of medians', align: 'right' },
      { header: 'raw prebuilt', align: 'right' },
      { header: 'CPU raw', align: 'right' },
      { header: 'CPU sink', align: 'right' },
      { header: 'bus CPU', align: 'right' },
      { header: 'original (§13)', align: 'right' },
    ],
    table.map((t) => [
      t.config,
      int(t.messages),
      int(t.raw),
      int(t.sink),
      percent(t.ratio),
      percentRange(t.ratioPerRun),
      percent(t.ratioOfMedians),
      int(t.prebuilt),
      fixed(t.rawCpu, 2),
      fixed(t.sinkCpu, 2),
      fixed(t.busCpu, 2),
      rangeText(t.original),
    ]),
  );
  const singles = configs
    .filter((c) => c.endsWith('single'))
    .map((config) => {
      const raw = find(config, 'raw single');
      const send = find(config, 'hmb-rx send');
      const ratio = paired(config, 'hmb-rx send', 'raw single');
      return {
        config,
        raw: raw?.msgPerSec,
        send: send?.msgPerSec,
        ratio: ratio.median,
        ratioPerRun: ratio.perRun,
        ratioOfMedians:
          send !== undefined && raw !== undefined ? send.msgPerSec / raw.msgPerSec : NaN,
        rawCpu: raw?.clientCpuMsPer1k,
        sendCpu: send?.clientCpuMsPer1k,
      };
    });
  if (singles.length > 0) {
    printTable(
      `One-shot sends, ${SINGLE_SENDS.toLocaleString('en')} messages one /send each on a reused session, median of ${runs} run(s)`,
      [
        { header: 'format' },
        { header: 'raw single', align: 'right' },
        { header: 'client.send()', align: 'right' },
        { header: 'send / raw', align: 'right' },
        { header: 'per run', align: 'right' },
        { header: 'of medians', align: 'right' },
        { header: 'CPU raw', align: 'right' },
        { header: 'CPU send', align: 'right' },
      ],
      singles.map((t) => [
        t.config,
        int(t.raw),
        int(t.send),
        percent(t.ratio),
        percentRange(t.ratioPerRun),
        percent(t.ratioOfMedians),
        fixed(t.rawCpu, 2),
        fixed(t.sendCpu, 2),
      ]),
    );
  }
  writeResults('send', { machine, runs: records, medians: rows, summary: table, singles });
}

void main();
