// Sink CPU without a server (issue 18): what `client.sink()` costs the client per message, next to
// a hand-written sender that only encodes the same bodies (`JSON.stringify` of the batch object,
// `BSON.serialize` per message and one concat), with no HTTP at all. The sink runs on a transport
// that answers every /send with 204 from memory, so the difference is everything hmb-rx adds:
// checking each message against the type table, encoding, batching, the request's bookkeeping and
// each batch's result. With no bus process competing for the cores these figures are steadier than
// bench/send.ts, which they explain. Each configuration runs in a process of its own.
//
//   npx tsx bench/sink-cpu.ts [filter]      e.g. "JSON ×1000"
//   BENCH_RUNS=5 BENCH_N=100000
//   BENCH_IN_PROCESS=1 node --cpu-prof --expose-gc --import tsx bench/sink-cpu.ts "BSON ×1000"
import { serialize } from 'bson';
import { library } from './lib/hmb-rx';
import type {
  HmbTransport,
  HmbTransportRequest,
  HmbTransportResponse,
} from '../src/transport/transport';
import { answerParent, measureEachInChild } from './lib/child-runs';
import { sinkAll } from './lib/library-read';
import { machineInfo, machineLine } from './lib/machine';
import { alternatingCpuRuns } from './lib/cpu-runs';
import { PAD, benchMessage, encodeSendBody, type BenchMessage } from './lib/payloads';
import type { Format } from './lib/raw-http';
import { writeResults } from './lib/results';
import { medianRows, runCount, warnNoisy, type RunRecord } from './lib/runs';
import { fixed, int, percent, printTable } from './lib/table';

const N = Number(process.env['BENCH_N'] ?? 100_000);
const FILTER = process.argv[2];

type Sender = 'encode only' | 'hmb-rx sink';

interface Row {
  readonly config: string;
  readonly sender: Sender;
  /** CPU per message, µs. */
  readonly cpuUsPerMsg: number;
}

interface Config {
  readonly config: string;
  readonly format: Format;
  readonly batch: number;
}

/** Answers /open with a fixed session and every /send with 204, from memory. */
class AcceptingTransport implements HmbTransport {
  private readonly ack: Uint8Array;

  constructor(private readonly format: Format) {
    const ack = { sid: 'SID', cid: 'CID', queue: {} };
    this.ack = format === 'json' ? Buffer.from(JSON.stringify(ack)) : serialize(ack);
  }

  request(req: HmbTransportRequest): Promise<HmbTransportResponse> {
    const open = req.url.endsWith('/open');
    const bytes = open ? this.ack : new Uint8Array(0);
    const contentType = this.format === 'json' ? 'application/json' : 'application/bson';
    return Promise.resolve({
      status: open ? 200 : 204,
      header: (name: string) => (name === 'content-type' && open ? contentType : undefined),
      body: (async function* () {
        yield bytes;
      })(),
      bytes: () => Promise.resolve(bytes),
    });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** The bodies a hand-written sender builds, as bench/send.ts's "raw encode" does; returns bytes. */
function encodeOnly(format: Format, batch: number, messages: readonly BenchMessage[]): number {
  let bytes = 0;
  for (let first = 0; first < messages.length; first += batch) {
    const body = encodeSendBody(format, messages, first, Math.min(batch, messages.length - first));
    bytes += typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  }
  return bytes;
}

async function measureConfig(c: Config, runs: number): Promise<RunRecord<Row>[]> {
  const transport = new AcceptingTransport(c.format);
  const client = new library.HmbClient('http://memory.invalid/bench', {
    format: c.format,
    transport,
  });
  const messages = Array.from({ length: N }, (_, i) => benchMessage('Q', i, PAD.small));
  const records = await alternatingCpuRuns({
    runs,
    messages: N,
    config: c.config,
    ways: ['encode only', 'hmb-rx sink'] satisfies Sender[],
    once: (sender) =>
      sender === 'hmb-rx sink'
        ? sinkAll(client, c.batch, messages)
        : encodeOnly(c.format, c.batch, messages),
    row: (sender, cpuUsPerMsg): Row => ({ config: c.config, sender, cpuUsPerMsg }),
  });
  await client.close();
  return records;
}

async function main(): Promise<void> {
  if (await answerParent(measureConfig)) return;
  const machine = machineInfo();
  console.log(
    `sink CPU, ${int(N)} small messages to a transport that accepts from memory, each configuration in a process of its own; ${machineLine(machine)}`,
  );
  const configs: Config[] = [];
  for (const format of ['json', 'bson'] as const)
    for (const batch of [100, 1_000]) {
      const config = `${format.toUpperCase()} ×${batch}`;
      if (FILTER === undefined || config.includes(FILTER)) configs.push({ config, format, batch });
    }
  const runs = runCount(5);
  const records = await measureEachInChild(__filename, configs, runs, measureConfig);
  const rows = medianRows(records, (r) => `${r.config}|${r.sender}`, 'cpuUsPerMsg');
  warnNoisy(rows, (i) => `${rows[i]!.config} ${rows[i]!.sender}`);
  const table = configs.map((c) => {
    const base = rows.find((r) => r.config === c.config && r.sender === 'encode only')!;
    const sink = rows.find((r) => r.config === c.config && r.sender === 'hmb-rx sink')!;
    return {
      config: c.config,
      encode: base.cpuUsPerMsg,
      sink: sink.cpuUsPerMsg,
      added: sink.cpuUsPerMsg - base.cpuUsPerMsg,
      ratio: base.cpuUsPerMsg / sink.cpuUsPerMsg,
    };
  });
  printTable(
    `Client CPU per message without a server, ${int(N)} small messages, median of ${runs} run(s) (µs/message)`,
    [
      { header: 'format × batch' },
      { header: 'encode only', align: 'right' },
      { header: 'hmb-rx sink', align: 'right' },
      { header: 'added by the sink', align: 'right' },
      { header: 'encode / sink', align: 'right' },
    ],
    table.map((t) => [
      t.config,
      fixed(t.encode, 3),
      fixed(t.sink, 3),
      fixed(t.added, 3),
      percent(t.ratio),
    ]),
  );
  writeResults('sink-cpu', { machine, messages: N, runs: records, medians: rows, summary: table });
}

void main();
