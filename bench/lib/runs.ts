// Repeated runs and their medians: on a shared 2-core machine one run says little.
import { loadAverage, NOISY_LOAD } from './machine';
import { median, spread } from './stats';

/** Runs per measurement: `BENCH_RUNS` (default 3). */
export function runCount(defaultRuns = 3): number {
  const n = Number(process.env['BENCH_RUNS'] ?? defaultRuns);
  return Number.isInteger(n) && n > 0 ? n : defaultRuns;
}

/** One run's rows and the load average when it started. */
export interface RunRecord<R> {
  readonly run: number;
  readonly loadAverage: readonly number[];
  readonly rows: readonly R[];
}

/**
 * Calls `once` `runs` times, printing the load average before each run (and a warning when it
 * says the machine is busy), and returns every run.
 */
export async function repeatRuns<R>(
  runs: number,
  once: (run: number) => Promise<R[]>,
): Promise<RunRecord<R>[]> {
  const records: RunRecord<R>[] = [];
  for (let run = 1; run <= runs; run++) {
    const load = loadAverage();
    const busy = load[0]! > NOISY_LOAD ? ' (busy machine: figures may be noisy)' : '';
    console.log(`\nrun ${run} of ${runs}, load average ${load.join(' ')}${busy}`);
    records.push({ run, loadAverage: load, rows: await once(run) });
  }
  return records;
}

/**
 * Rows with the same key across runs, merged: each numeric field becomes the median of its runs;
 * other fields come from the first run. `spreadOf` names the field whose run-to-run spread is kept
 * (as `spread`), to show how noisy a figure was.
 */
export function medianRows<R extends object>(
  records: readonly RunRecord<R>[],
  key: (row: R) => string,
  spreadOf?: keyof R & string,
): (R & { readonly spread: number })[] {
  const groups = new Map<string, R[]>();
  for (const record of records) {
    for (const row of record.rows) {
      const k = key(row);
      const group = groups.get(k);
      if (group === undefined) groups.set(k, [row]);
      else group.push(row);
    }
  }
  const out: (R & { spread: number })[] = [];
  for (const group of groups.values()) {
    const first = group[0]!;
    const merged: Record<string, unknown> = { ...(first as Record<string, unknown>) };
    for (const [field, value] of Object.entries(first)) {
      if (typeof value !== 'number') continue;
      merged[field] = median(group.map((r) => (r as Record<string, number>)[field]!));
    }
    merged['spread'] =
      spreadOf === undefined
        ? 0
        : spread(group.map((r) => (r as Record<string, number>)[spreadOf]!));
    out.push(merged as R & { spread: number });
  }
  return out;
}

/** Warns about figures whose runs differ by more than `limit` (default 25%). */
export function warnNoisy(
  rows: readonly { readonly spread: number }[],
  label: (i: number) => string,
  limit = 0.25,
): void {
  rows.forEach((row, i) => {
    if (row.spread > limit) {
      console.log(
        `note: ${label(i)} varied by ${Math.round(row.spread * 100)}% between runs: re-run on a quieter machine`,
      );
    }
  });
}

/**
 * This run's order of `items`: as given in odd runs, reversed in even ones, so that no variant
 * always goes first.
 */
export function ordered<T>(run: number, items: readonly T[]): T[] {
  return run % 2 === 1 ? [...items] : [...items].reverse();
}

/** A ratio of two variants measured side by side, run by run. */
export interface PairedRatio {
  /** The median of the per-run ratios: what the targets are judged on. */
  readonly median: number;
  /** Each run's ratio, in run order (runs missing either variant are left out). */
  readonly perRun: readonly number[];
}

/**
 * `value(numerator) / value(denominator)` within each run, and their median. Two variants that ran
 * in the same run shared the machine's state (its load, the bus's fill), so their ratio is steadier
 * than a ratio of two medians taken over different runs, which a slow run of one variant and a fast
 * run of the other can skew. The issues' targets are stated this way ("a ratio measured side by side
 * in one run, medians of at least 5 runs").
 */
export function pairedRatio<R>(
  records: readonly RunRecord<R>[],
  numerator: (row: R) => boolean,
  denominator: (row: R) => boolean,
  value: (row: R) => number,
): PairedRatio {
  const perRun: number[] = [];
  for (const record of records) {
    const num = record.rows.find(numerator);
    const den = record.rows.find(denominator);
    if (num !== undefined && den !== undefined) perRun.push(value(num) / value(den));
  }
  return { median: median(perRun), perRun };
}
