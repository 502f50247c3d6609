// Publish-to-delivery latency (issue 9 §2, issue 7): 10,000 messages at a steady 1,000 msg/s,
// published through a sink on its own client and session, received by a live subscription (poll or
// stream, JSON or BSON). Each message carries its publish time (performance.timeOrigin +
// performance.now()) in its payload; the subscriber subtracts it from its own clock on delivery.
// Publisher and subscriber share this process (one clock); the bus runs in a child process.
//
//   npx tsx bench/latency.ts [filter]        e.g. "stream"
//   BENCH_RUNS=3 BENCH_LATENCY_N=10000 BENCH_LATENCY_RATE=1000
import type { Subscription } from 'rxjs';
import { deferred } from './lib/deferred';
import { startBusProcess } from './lib/bus-process';
import { benchClient, type Transport } from './lib/library-read';
import { machineInfo, machineLine } from './lib/machine';
import { cpuNowUs, epochMs, sleep } from './lib/measure';
import { PAD, benchMessage } from './lib/payloads';
import type { Format } from './lib/raw-http';
import { writeResults } from './lib/results';
import { medianRows, ordered, repeatRuns, runCount, warnNoisy } from './lib/runs';
import { summarizeLatencies } from './lib/stats';
import { fixed, int, printTable } from './lib/table';

const N = Number(process.env['BENCH_LATENCY_N'] ?? 10_000);
const RATE = Number(process.env['BENCH_LATENCY_RATE'] ?? 1_000);
/** Messages sent before measuring (JIT warm-up, connections established). */
const WARMUP = Math.min(1_000, Math.ceil(N / 10));
const BUS = 'latency';
const FILTER = process.argv[2];

interface Row {
  readonly config: string;
  readonly received: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
  /** This process's CPU (publisher and subscriber) per message, µs. */
  readonly cpuUsPerMsg: number;
  /** The messages/s actually published. */
  readonly rate: number;
}

async function measureOne(
  busUrl: string,
  queue: string,
  transport: Transport,
  format: Format,
): Promise<Row> {
  const config = `${transport} ${format.toUpperCase()}`;
  const subscriber = benchClient(busUrl, format);
  const publisher = benchClient(busUrl, format);
  const latencies = new Float64Array(N);
  let received = 0;
  let measured = 0;
  const isOpen = deferred();
  const allReceived = deferred();
  const subscription: Subscription = subscriber
    .subscribe<{ i: number; t: number }>(
      { queue: { [queue]: { seq: -1 } } },
      { transport, onState: (s) => s.type === 'open' && isOpen.resolve() },
    )
    .subscribe({
      next: (m) => {
        const now = epochMs();
        received++;
        if (m.data!.i >= WARMUP) latencies[measured++] = now - m.data!.t;
        if (received === WARMUP + N) allReceived.resolve();
      },
      error: allReceived.reject,
    });
  await isOpen.promise;
  // Give the first /recv or /stream time to reach the bus.
  await sleep(100);

  const sink = publisher.sink<{ i: number; pad: string; t: number }>({ keepAliveSec: 0 });
  const total = WARMUP + N;
  let sent = 0;
  let cpu0 = 0;
  let t0 = 0;
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * RATE) / 1000) + 1);
      while (sent < due) {
        if (sent === WARMUP) {
          cpu0 = cpuNowUs();
          t0 = performance.now();
        }
        const m = benchMessage(queue, sent, PAD.small);
        sink.next({ ...m, data: { ...m.data, t: epochMs() } });
        sent++;
      }
      if (sent < total) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  const publishMs = performance.now() - t0;
  const timeout = setTimeout(
    () => allReceived.reject(new Error(`${config}: only ${received} of ${total} received`)),
    30_000,
  );
  await allReceived.promise;
  clearTimeout(timeout);
  const cpuUs = cpuNowUs() - cpu0;
  subscription.unsubscribe();
  sink.complete();
  await sink.done;
  await Promise.all([subscriber.close(), publisher.close()]);

  const s = summarizeLatencies(Array.from(latencies.subarray(0, measured)));
  const row: Row = {
    config,
    received: measured,
    p50: s.p50,
    p90: s.p90,
    p99: s.p99,
    max: s.max,
    mean: s.mean,
    cpuUsPerMsg: cpuUs / N,
    rate: N / (publishMs / 1000),
  };
  console.log(
    `  ${config.padEnd(12)} p50 ${fixed(row.p50, 2)}  p90 ${fixed(row.p90, 2)}  p99 ${fixed(row.p99, 2)}  max ${fixed(row.max, 1)} ms  (${int(row.rate)} msg/s, CPU ${fixed(row.cpuUsPerMsg, 0)} µs/msg)`,
  );
  return row;
}

async function oneRun(run: number): Promise<Row[]> {
  const bus = await startBusProcess({ maxSessionsPerIp: 1_000 });
  const rows: Row[] = [];
  try {
    const configs = (['stream', 'poll'] as const)
      .flatMap((t) => (['json', 'bson'] as const).map((f) => [t, f] as const))
      .filter(([t, f]) => FILTER === undefined || `${t} ${f.toUpperCase()}`.includes(FILTER));
    for (const [transport, format] of ordered(run, configs)) {
      // A queue per run and configuration, created before subscribing (from its next seq).
      const queue = `LAT_${transport}_${format}_${run}`;
      await bus.fill(BUS, queue, 1, PAD.small);
      rows.push(await measureOne(`${bus.url}/${BUS}`, queue, transport, format));
    }
  } finally {
    await bus.stop();
  }
  return rows;
}

async function main(): Promise<void> {
  const machine = machineInfo();
  console.log(
    `latency: ${int(N)} messages at ${int(RATE)} msg/s after ${int(WARMUP)} warm-up messages; ${machineLine(machine)}`,
  );
  const runs = runCount();
  const records = await repeatRuns(runs, oneRun);
  const rows = medianRows(records, (r) => r.config, 'p99');
  warnNoisy(rows, (i) => `${rows[i]!.config} p99`, 0.5);
  rows.sort((a, b) => a.config.localeCompare(b.config));
  printTable(
    `Publish-to-delivery latency, ${int(N)} messages at ${int(RATE)} msg/s, loopback, median of ${runs} run(s) (ms)`,
    [
      { header: 'transport' },
      { header: 'p50', align: 'right' },
      { header: 'p90', align: 'right' },
      { header: 'p99', align: 'right' },
      { header: 'max', align: 'right' },
      { header: 'mean', align: 'right' },
      { header: 'CPU µs/msg (pub + sub)', align: 'right' },
    ],
    rows.map((r) => [
      r.config,
      fixed(r.p50, 2),
      fixed(r.p90, 2),
      fixed(r.p99, 2),
      fixed(r.max, 1),
      fixed(r.mean, 2),
      fixed(r.cpuUsPerMsg, 0),
    ]),
  );
  const stream = rows.filter((r) => r.config.startsWith('stream'));
  const ok = stream.every((r) => r.p99 < 5);
  console.log(
    `\ntarget (stream p99 < 5 ms): ${ok ? 'met' : 'missed'} (${stream.map((r) => `${r.config} ${fixed(r.p99, 2)} ms`).join(', ')})`,
  );
  writeResults('latency', {
    machine,
    messages: N,
    rate: RATE,
    warmup: WARMUP,
    runs: records,
    medians: rows,
  });
}

void main();
