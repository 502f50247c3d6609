// Send (issue 9 §5): messages/s through the sink at batch sizes 1, 10, 100 and 1,000
// (`maxBatchMessages`), JSON and BSON, against a raw undici /send loop with bodies built before
// the clock starts. Both send one request at a time on one keep-alive connection, as the notes'
// client did (§13). The bus runs in a child process.
//
//   npx tsx bench/send.ts [filter]        e.g. "BSON ×100"
//   BENCH_RUNS=3
import { Agent, request } from 'undici';
import { startBusProcess, type BusProcess } from './lib/bus-process';
import { gc } from './lib/gc';
import { benchClient } from './lib/library-read';
import { machineInfo, machineLine } from './lib/machine';
import { measure } from './lib/measure';
import { ORIGINAL_SEND, rangeText } from './lib/original';
import { PAD, benchMessage, bsonSendBody, jsonSendBody, type BenchMessage } from './lib/payloads';
import type { Format } from './lib/raw-http';
import { writeResults } from './lib/results';
import { medianRows, repeatRuns, runCount, warnNoisy } from './lib/runs';
import { fixed, int, percent, printTable } from './lib/table';

const BATCHES = [1, 10, 100, 1_000] as const;
const BUS = 'send';
const FILTER = process.argv[2];

/** Fewer messages for small batches, so that each case takes a few seconds at most. */
function messagesFor(batch: number): number {
  return batch <= 10 ? 10_000 : 100_000;
}

type Sender = 'raw undici' | 'hmb-rx sink';

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

async function rawSend(busUrl: string, format: Format, bodies: Buffer[]): Promise<void> {
  const agent = new Agent({ keepAliveTimeout: 60_000 });
  const contentType = format === 'json' ? 'application/json' : 'application/bson';
  try {
    const open = await request(`${busUrl}/open`, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const { sid } = (await open.body.json()) as { sid: string };
    for (const body of bodies) {
      const res = await request(`${busUrl}/send/${sid}`, {
        method: 'POST',
        dispatcher: agent,
        headers: { 'content-type': contentType },
        body,
      });
      await res.body.dump();
      if (res.statusCode !== 204) throw new Error(`/send: ${res.statusCode}`);
    }
  } finally {
    await agent.close();
  }
}

async function sinkSend(
  busUrl: string,
  format: Format,
  batch: number,
  messages: readonly BenchMessage[],
): Promise<void> {
  const client = benchClient(busUrl, format);
  try {
    const sink = client.sink({ maxBatchMessages: batch, keepAliveSec: 0 });
    for (const m of messages) sink.next(m);
    sink.complete();
    const summary = await sink.done;
    if (summary.sent !== messages.length)
      throw new Error(`sink: ${summary.sent} of ${messages.length} sent`);
  } finally {
    await client.close();
  }
}

async function oneRun(run: number): Promise<Row[]> {
  const bus = await startBusProcess({ maxSessionsPerIp: 1_000 });
  const busUrl = `${bus.url}/${BUS}`;
  const rows: Row[] = [];
  try {
    for (const format of ['json', 'bson'] as const) {
      for (const batch of BATCHES) {
        const config = `${format.toUpperCase()} ×${batch}`;
        if (FILTER !== undefined && !config.includes(FILTER)) continue;
        const n = messagesFor(batch);
        const queue = `S${batch}`;
        const messages = Array.from({ length: n }, (_, i) => benchMessage(queue, i, PAD.small));
        const bodies: Buffer[] = [];
        for (let i = 0; i < n; i += batch) {
          bodies.push(
            format === 'json'
              ? jsonSendBody(queue, i, batch, PAD.small)
              : bsonSendBody(queue, i, batch, PAD.small),
          );
        }
        const order: Sender[] =
          run % 2 === 1 ? ['raw undici', 'hmb-rx sink'] : ['hmb-rx sink', 'raw undici'];
        for (const sender of order) {
          rows.push(
            await timed(bus, config, sender, n, () =>
              sender === 'raw undici'
                ? rawSend(busUrl, format, bodies)
                : sinkSend(busUrl, format, batch, messages),
            ),
          );
        }
      }
    }
  } finally {
    await bus.stop();
  }
  return rows;
}

async function main(): Promise<void> {
  const machine = machineInfo();
  console.log(`send: sink vs raw /send, small messages; ${machineLine(machine)}`);
  const runs = runCount();
  const records = await repeatRuns(runs, oneRun);
  const rows = medianRows(records, (r) => `${r.config}|${r.sender}`, 'msgPerSec');
  warnNoisy(rows, (i) => `${rows[i]!.config} ${rows[i]!.sender}`);
  const configs = [...new Set(rows.map((r) => r.config))];
  const table = configs.map((config) => {
    const raw = rows.find((r) => r.config === config && r.sender === 'raw undici');
    const sink = rows.find((r) => r.config === config && r.sender === 'hmb-rx sink');
    return {
      config,
      messages: sink?.messages ?? raw?.messages,
      raw: raw?.msgPerSec,
      sink: sink?.msgPerSec,
      ratio: sink !== undefined && raw !== undefined ? sink.msgPerSec / raw.msgPerSec : NaN,
      rawCpu: raw?.clientCpuMsPer1k,
      sinkCpu: sink?.clientCpuMsPer1k,
      busCpu: sink?.busCpuMsPer1k,
      original: ORIGINAL_SEND[config],
    };
  });
  printTable(
    `Send, small messages, one request at a time, median of ${runs} run(s) (msg/s; client CPU ms per 1,000 messages)`,
    [
      { header: 'format × batch' },
      { header: 'messages', align: 'right' },
      { header: 'raw undici', align: 'right' },
      { header: 'hmb-rx sink', align: 'right' },
      { header: 'sink / raw', align: 'right' },
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
      fixed(t.rawCpu, 2),
      fixed(t.sinkCpu, 2),
      fixed(t.busCpu, 2),
      rangeText(t.original),
    ]),
  );
  writeResults('send', { machine, runs: records, medians: rows, summary: table });
}

void main();
