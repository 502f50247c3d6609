// Loaded into a bus process by bench/soak.ts (`node --import tsx --import bench/lib/bus-probe.ts`)
// ahead of `hmb serve`: reports the process's RSS and event-loop delay over IPC once a second, so
// the benchmark measures the bus as it runs, without changing the command.
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** One second of the bus process, as the probe reports it. */
export interface BusProbeSample {
  readonly rssMb: number;
  readonly heapMb: number;
  /** Event-loop delay over the second, ms. */
  readonly delayP50Ms: number;
  readonly delayP99Ms: number;
  readonly delayMaxMs: number;
}

const MS = 1e6;
const MB = 1024 * 1024;

if (process.send !== undefined) {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const timer = setInterval(() => {
    const memory = process.memoryUsage();
    const sample: BusProbeSample = {
      rssMb: memory.rss / MB,
      heapMb: memory.heapUsed / MB,
      delayP50Ms: delay.percentile(50) / MS,
      delayP99Ms: delay.percentile(99) / MS,
      delayMaxMs: delay.max / MS,
    };
    delay.reset();
    process.send?.({ probe: sample });
  }, 1_000);
  timer.unref();
  // The IPC channel must not keep the bus alive once `hmb serve` is done.
  process.channel?.unref();
}
