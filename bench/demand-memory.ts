// Memory of a slow subscriber (issue 18): a queue holds a backlog of N 1 KiB messages and the
// consumer handles only RATE messages a second, holding what it has not handled yet in a buffer of
// its own. Without `demand` the library reads the backlog as fast as the bus sends it and the
// consumer's buffer (and the heap) grows with the backlog; with `demand` the reading waits while
// that buffer holds more than WINDOW messages, so the heap stays at the window plus one answer
// (`recv_limit`), whatever the backlog. Heap used after GC is sampled every SAMPLE_EVERY handled
// messages; the table shows its peak.
//
//   npx tsx bench/demand-memory.ts [filter]     e.g. "stream"
//   BENCH_DEMAND_N=100000 (default)
import { startBusProcess } from './lib/bus-process';
import { deferred } from './lib/deferred';
import { heapAfterGc } from './lib/gc';
import { benchClient, type Transport } from './lib/library-read';
import { machineInfo, machineLine } from './lib/machine';
import { PAD } from './lib/payloads';
import { writeResults } from './lib/results';
import { fixed, int, printTable } from './lib/table';

const N = Number(process.env['BENCH_DEMAND_N'] ?? 100_000);
/** Messages the consumer handles per second. */
const RATE = 25_000;
/** Messages the consumer may hold unhandled before `demand` holds the reading. */
const WINDOW = 2_000;
const SAMPLE_EVERY = Math.max(1_000, Math.floor(N / 20));
const BUS = 'demand';
const FILTER = process.argv[2];

interface Row {
  readonly config: string;
  readonly startHeapMb: number;
  readonly peakHeapMb: number;
  /** Most messages the consumer held unhandled at once. */
  readonly peakHeld: number;
  readonly seconds: number;
}

async function measureOne(config: string, transport: Transport, withDemand: boolean): Promise<Row> {
  const bus = await startBusProcess({ queueLimit: N + 1_000 });
  const client = benchClient(`${bus.url}/${BUS}`, 'json');
  try {
    const queue = 'BACKLOG';
    await bus.fill(BUS, queue, N, PAD['1KiB']);
    const held: unknown[] = [];
    let handled = 0;
    let peakHeld = 0;
    let roomMade: (() => void) | undefined;
    const start = heapAfterGc().heapUsedMb;
    let peakHeap = start;
    const done = deferred();
    const t0 = performance.now();
    // The consumer: RATE messages a second, in slices every 10 ms.
    const consumer = setInterval(() => {
      const take = Math.min(held.length, RATE / 100);
      held.splice(0, take);
      handled += take;
      if (Math.floor(handled / SAMPLE_EVERY) !== Math.floor((handled - take) / SAMPLE_EVERY))
        peakHeap = Math.max(peakHeap, heapAfterGc().heapUsedMb);
      if (held.length <= WINDOW) roomMade?.();
      if (handled >= N) done.resolve();
    }, 10);
    const subscription = client
      .subscribe(
        { queue: { [queue]: { seq: 0 } } },
        {
          transport,
          ...(withDemand
            ? {
                demand: () =>
                  held.length <= WINDOW
                    ? undefined
                    : new Promise<void>((resolve) => (roomMade = resolve)),
              }
            : {}),
        },
      )
      .subscribe({
        next: (m) => {
          held.push(m);
          peakHeld = Math.max(peakHeld, held.length);
        },
        error: done.reject,
      });
    try {
      await done.promise;
    } finally {
      // Also when the reading failed: a consumer left ticking would keep the run from ending.
      clearInterval(consumer);
      subscription.unsubscribe();
    }
    const seconds = (performance.now() - t0) / 1000;
    const row: Row = { config, startHeapMb: start, peakHeapMb: peakHeap, peakHeld, seconds };
    console.log(
      `  ${config.padEnd(18)} heap ${fixed(start)} → peak ${fixed(peakHeap)} MB; held at most ${int(peakHeld)} messages; ${fixed(seconds, 1)} s`,
    );
    return row;
  } finally {
    await client.close();
    await bus.stop();
  }
}

async function main(): Promise<void> {
  const machine = machineInfo();
  console.log(
    `demand-memory: a backlog of ${int(N)} 1 KiB messages read by a consumer of ${int(RATE)} msg/s; ${machineLine(machine)}`,
  );
  const rows: Row[] = [];
  for (const transport of ['poll', 'stream'] as const) {
    for (const withDemand of [false, true]) {
      const config = `${transport} ${withDemand ? 'demand' : 'no demand'}`;
      if (FILTER !== undefined && !config.includes(FILTER)) continue;
      rows.push(await measureOne(config, transport, withDemand));
    }
  }
  printTable(
    `Slow subscriber, ${int(N)} messages of 1 KiB behind it, consumer at ${int(RATE)} msg/s (heap used after GC, MB)`,
    [
      { header: 'transport' },
      { header: 'heap start', align: 'right' },
      { header: 'heap peak', align: 'right' },
      { header: 'held at most', align: 'right' },
      { header: 'seconds', align: 'right' },
    ],
    rows.map((r) => [
      r.config,
      fixed(r.startHeapMb),
      fixed(r.peakHeapMb),
      int(r.peakHeld),
      fixed(r.seconds, 1),
    ]),
  );
  writeResults('demand-memory', { machine, rows });
}

void main();
