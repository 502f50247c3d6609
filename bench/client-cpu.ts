// Client CPU without a server: the library reads 100,000 messages from a transport that answers
// from memory (bench/lib/replay-transport.ts, the bus's own framing and 2048-byte chunks), next to
// a loop that only decodes the same bodies (JSON.parse of each /recv answer or of the whole
// stream; BSON.deserialize of each document). The difference is what hmb-rx adds per message:
// framing, frames, duplicate and gap checks, the RxJS pipeline. With no sockets and no bus process
// competing for the cores, these figures are steadier than the end-to-end ones. Each configuration
// runs in a process of its own: an application reads one format one way, and mixing them in one
// process makes the JIT's code polymorphic.
//
//   npx tsx bench/client-cpu.ts [filter]      e.g. "poll BSON"
//   BENCH_RUNS=3 BENCH_N=100000
//   BENCH_IN_PROCESS=1 node --cpu-prof --expose-gc --import tsx bench/client-cpu.ts "poll JSON small"
import { deserialize } from 'bson';
import { library } from './lib/hmb-rx';
import { recvAllCount, type Transport } from './lib/library-read';
import { machineInfo, machineLine } from './lib/machine';
import { alternatingCpuRuns } from './lib/cpu-runs';
import { PAD, type PayloadSize } from './lib/payloads';
import type { Format } from './lib/raw-http';
import { answerParent, measureEachInChild } from './lib/child-runs';
import { ReplayTransport } from './lib/replay-transport';
import { writeResults } from './lib/results';
import { medianRows, runCount, warnNoisy, type RunRecord } from './lib/runs';
import { fixed, int, percent, printTable } from './lib/table';
import { recvBodies, serverChunks, streamBody } from './lib/wire-bodies';

const N = Number(process.env['BENCH_N'] ?? 100_000);
const QUEUE = 'PJ';
const FILTER = process.argv[2];
const BSON_OPTIONS = { promoteLongs: true, promoteValues: true, promoteBuffers: false } as const;

interface Row {
  readonly config: string;
  readonly reader: 'decode only' | 'hmb-rx';
  /** CPU per message, µs. */
  readonly cpuUsPerMsg: number;
}

/** The decode-only baseline: the same chunks, concatenated per body, decoded, counted. */
function decodeOnly(format: Format, bodies: readonly Buffer[][]): number {
  let count = 0;
  for (const chunks of bodies) {
    const body = Buffer.concat(chunks);
    if (format === 'json') {
      const list = JSON.parse(body.toString('utf8')) as Record<string, { type: string }>;
      for (let i = 0; ; i++) {
        const m = list[i];
        if (m === undefined) break;
        if (m.type !== 'EOF') count++;
      }
    } else {
      for (let p = 0; p < body.length;) {
        const length = body.readInt32LE(p);
        const m = deserialize(body.subarray(p, p + length), BSON_OPTIONS) as { type: string };
        if (m.type !== 'EOF') count++;
        p += length;
      }
    }
  }
  return count;
}

interface Config {
  readonly config: string;
  readonly transport: Transport;
  readonly format: Format;
  readonly size: PayloadSize;
}

/** Measures one configuration, in a process of its own (see main). */
async function measureConfig(c: Config, runs: number): Promise<RunRecord<Row>[]> {
  const pad = 'x'.repeat(PAD[c.size]);
  const replay = new ReplayTransport({
    format: c.format,
    queue: QUEUE,
    recvBodies: recvBodies(c.format, QUEUE, N, pad),
    streamBody: streamBody(c.format, QUEUE, N, pad),
  });
  const chunked =
    c.transport === 'poll'
      ? recvBodies(c.format, QUEUE, N, pad).map(serverChunks)
      : [serverChunks(streamBody(c.format, QUEUE, N, pad))];
  const client = new library.HmbClient('http://replay.invalid/bench', {
    format: c.format,
    transport: replay,
  });
  const params = { queue: { [QUEUE]: { seq: 0 } } };
  const records = await alternatingCpuRuns({
    runs,
    messages: N,
    config: c.config,
    ways: ['decode only', 'hmb-rx'] as const,
    once: async (reader) => {
      replay.reset();
      const count =
        reader === 'hmb-rx'
          ? await recvAllCount(client, params, c.transport)
          : decodeOnly(c.format, chunked);
      if (count !== N) throw new Error(`${c.config} ${reader}: ${count} of ${N}`);
    },
    row: (reader, cpuUsPerMsg): Row => ({ config: c.config, reader, cpuUsPerMsg }),
  });
  await client.close();
  return records;
}

async function main(): Promise<void> {
  if (await answerParent(measureConfig)) return;
  const machine = machineInfo();
  console.log(
    `client CPU, ${int(N)} messages from memory, each configuration in a process of its own; ${machineLine(machine)}`,
  );
  const configs: Config[] = [];
  for (const size of ['small', '1KiB'] as const)
    for (const transport of ['poll', 'stream'] as const)
      for (const format of ['json', 'bson'] as const) {
        const config = `${transport} ${format.toUpperCase()} ${size}`;
        if (FILTER === undefined || config.includes(FILTER))
          configs.push({ config, transport, format, size });
      }
  const runs = runCount();
  const records = await measureEachInChild(__filename, configs, runs, measureConfig);
  const rows = medianRows(records, (r) => `${r.config}|${r.reader}`, 'cpuUsPerMsg');
  warnNoisy(rows, (i) => `${rows[i]!.config} ${rows[i]!.reader}`);
  const table = configs.map((c) => {
    const base = rows.find((r) => r.config === c.config && r.reader === 'decode only')!;
    const lib = rows.find((r) => r.config === c.config && r.reader === 'hmb-rx')!;
    return {
      config: c.config,
      decode: base.cpuUsPerMsg,
      library: lib.cpuUsPerMsg,
      added: lib.cpuUsPerMsg - base.cpuUsPerMsg,
      ratio: base.cpuUsPerMsg / lib.cpuUsPerMsg,
    };
  });
  printTable(
    `Client CPU per message without a server, ${int(N)} messages, median of ${runs} run(s) (µs/message)`,
    [
      { header: 'read' },
      { header: 'decode only', align: 'right' },
      { header: 'hmb-rx', align: 'right' },
      { header: 'added by hmb-rx', align: 'right' },
      { header: 'decode / hmb-rx', align: 'right' },
    ],
    table.map((t) => [
      t.config,
      fixed(t.decode, 2),
      fixed(t.library, 2),
      fixed(t.added, 2),
      percent(t.ratio),
    ]),
  );
  writeResults('client-cpu', {
    machine,
    messages: N,
    runs: records,
    medians: rows,
    summary: table,
  });
}

void main();
