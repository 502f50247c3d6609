// Wall time and this process's CPU time of one operation.

/** This process's CPU time so far (user + system), in microseconds. */
export function cpuNowUs(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/** What {@link measure} found. */
export interface Measured<T> {
  readonly value: T;
  readonly wallMs: number;
  /** CPU time of this process (user + system) during the operation, in ms. */
  readonly cpuMs: number;
}

/** Runs `fn` and measures its wall time and this process's CPU time. */
export async function measure<T>(fn: () => Promise<T>): Promise<Measured<T>> {
  const cpu0 = cpuNowUs();
  const t0 = performance.now();
  const value = await fn();
  const wallMs = performance.now() - t0;
  return { value, wallMs, cpuMs: (cpuNowUs() - cpu0) / 1000 };
}

/** Milliseconds since the epoch with sub-millisecond resolution, comparable across processes. */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
