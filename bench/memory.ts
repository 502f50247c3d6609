// Memory (issue 9 §3): 1,000,000 messages through one long-running live subscription. A publisher
// in the bus's child process sends batches of 1,000 while the subscription consumes them, never
// more than WINDOW ahead of it, and the bus keeps only QUEUE_LIMIT messages, so the bus stays
// bounded and nothing is skipped. This process holds only the client: its heap after GC is
// sampled before publishing, every 100,000 messages and at the end, and must not grow.
//
//   npx tsx bench/memory.ts [filter]          e.g. "stream BSON"
//   BENCH_RUNS=1 BENCH_MEMORY_N=1000000        (defaults)
import type { Subscription } from 'rxjs';
import { deferred } from './lib/deferred';
import { startBusProcess } from './lib/bus-process';
import { heapAfterGc, type HeapFigures } from './lib/gc';
import { benchClient, type Transport } from './lib/library-read';
import { machineInfo, machineLine } from './lib/machine';
import { cpuNowUs, sleep } from './lib/measure';
import { PAD } from './lib/payloads';
import type { Format } from './lib/raw-http';
import { writeResults } from './lib/results';
import { medianRows, repeatRuns, runCount } from './lib/runs';
import { fixed, int, printTable } from './lib/table';

const N = Number(process.env['BENCH_MEMORY_N'] ?? 1_000_000);
const SAMPLE_EVERY = Math.max(1_000, Math.floor(N / 10));
const BATCH = 1_000;
const WINDOW = 10_000;
const QUEUE_LIMIT = 20_000;
const BUS = 'memory';
const FILTER = process.argv[2];

interface Sample extends HeapFigures {
  readonly received: number;
}

interface Row {
  readonly config: string;
  readonly msgPerSec: number;
  readonly cpuUsPerMsg: number;
  readonly startHeapMb: number;
  /** After the first sample interval (everything warmed up). */
  readonly warmHeapMb: number;
  readonly maxHeapMb: number;
  readonly endHeapMb: number;
  /** End minus warm. */
  readonly growthMb: number;
  readonly startRssMb: number;
  readonly endRssMb: number;
  readonly busRssMb: number;
  readonly busHeapMb: number;
  readonly gaps: number;
  readonly samples: readonly Sample[];
}

async function measureOne(transport: Transport, format: Format, run: number): Promise<Row> {
  const config = `${transport} ${format.toUpperCase()}`;
  const bus = await startBusProcess({ queueLimit: QUEUE_LIMIT });
  try {
    const queue = `MEM${run}`;
    await bus.fill(BUS, queue, 1, PAD.small);
    const client = benchClient(`${bus.url}/${BUS}`, format);
    let received = 0;
    let gaps = 0;
    const samples: Sample[] = [];
    const isOpen = deferred();
    const allReceived = deferred();
    const subscription: Subscription = client
      .subscribe(
        { queue: { [queue]: { seq: -1 } } },
        {
          transport,
          onState: (s) => s.type === 'open' && isOpen.resolve(),
          onGap: () => gaps++,
        },
      )
      .subscribe({
        next: () => {
          received++;
          if (received % BATCH === 0) bus.ack(received);
          if (received % SAMPLE_EVERY === 0) samples.push({ received, ...heapAfterGc() });
          if (received === N) allReceived.resolve();
        },
        error: allReceived.reject,
      });
    await isOpen.promise;
    await sleep(100);
    samples.push({ received: 0, ...heapAfterGc() });
    const cpu0 = cpuNowUs();
    const t0 = performance.now();
    await Promise.all([bus.publish(BUS, queue, N, PAD.small, BATCH, WINDOW), allReceived.promise]);
    const seconds = (performance.now() - t0) / 1000;
    const cpuUs = cpuNowUs() - cpu0;
    const busMemory = await bus.memory();
    subscription.unsubscribe();
    await client.close();
    const start = samples[0]!;
    const warm = samples[1] ?? start;
    const end = samples[samples.length - 1]!;
    const row: Row = {
      config,
      msgPerSec: N / seconds,
      cpuUsPerMsg: cpuUs / N,
      startHeapMb: start.heapUsedMb,
      warmHeapMb: warm.heapUsedMb,
      maxHeapMb: Math.max(...samples.map((s) => s.heapUsedMb)),
      endHeapMb: end.heapUsedMb,
      growthMb: Math.round((end.heapUsedMb - warm.heapUsedMb) * 10) / 10,
      startRssMb: start.rssMb,
      endRssMb: end.rssMb,
      busRssMb: busMemory.rssMb,
      busHeapMb: busMemory.heapUsedMb,
      gaps,
      samples,
    };
    console.log(
      `  ${config.padEnd(12)} heap ${samples.map((s) => fixed(s.heapUsedMb)).join(' ')} MB; RSS ${fixed(row.startRssMb, 0)} → ${fixed(row.endRssMb, 0)} MB; ${int(row.msgPerSec)} msg/s; gaps ${gaps}`,
    );
    return row;
  } finally {
    await bus.stop();
  }
}

async function oneRun(run: number): Promise<Row[]> {
  const rows: Row[] = [];
  for (const transport of ['poll', 'stream'] as const) {
    for (const format of ['json', 'bson'] as const) {
      if (FILTER !== undefined && !`${transport} ${format.toUpperCase()}`.includes(FILTER))
        continue;
      rows.push(await measureOne(transport, format, run));
    }
  }
  return rows;
}

async function main(): Promise<void> {
  const machine = machineInfo();
  console.log(
    `memory: ${int(N)} messages through one live subscription (bus ring ${int(QUEUE_LIMIT)}, publisher ≤ ${int(WINDOW)} ahead); ${machineLine(machine)}`,
  );
  // Heap figures after GC hardly vary between runs: one run unless BENCH_RUNS says otherwise.
  const runs = runCount(1);
  const records = await repeatRuns(runs, oneRun);
  const rows = medianRows(records, (r) => r.config);
  printTable(
    `Client memory over ${int(N)} messages, median of ${runs} run(s) (MB; heap used after GC)`,
    [
      { header: 'transport' },
      { header: 'heap start', align: 'right' },
      { header: `heap at ${int(SAMPLE_EVERY)}`, align: 'right' },
      { header: 'heap max', align: 'right' },
      { header: 'heap end', align: 'right' },
      { header: 'growth', align: 'right' },
      { header: 'RSS start → end', align: 'right' },
      { header: 'bus RSS', align: 'right' },
      { header: 'msg/s', align: 'right' },
      { header: 'CPU µs/msg', align: 'right' },
      { header: 'gaps', align: 'right' },
    ],
    rows.map((r) => [
      r.config,
      fixed(r.startHeapMb),
      fixed(r.warmHeapMb),
      fixed(r.maxHeapMb),
      fixed(r.endHeapMb),
      fixed(r.growthMb),
      `${fixed(r.startRssMb, 0)} → ${fixed(r.endRssMb, 0)}`,
      fixed(r.busRssMb, 0),
      int(r.msgPerSec),
      fixed(r.cpuUsPerMsg, 1),
      int(r.gaps),
    ]),
  );
  const grew = rows.filter((r) => r.growthMb > 1);
  console.log(
    grew.length === 0
      ? '\ntarget (heap does not grow): met (growth ≤ 1 MB after the first interval)'
      : `\ntarget (heap does not grow): missed for ${grew.map((r) => `${r.config} (+${fixed(r.growthMb)} MB)`).join(', ')}`,
  );
  writeResults('memory', { machine, messages: N, runs: records, medians: rows });
}

void main();
