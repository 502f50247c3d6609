// CPU per message of a few ways of doing the same work, alternated in one process.
import { gc } from './gc';
import { measure } from './measure';
import { ordered, repeatRuns, type RunRecord } from './runs';
import { fixed } from './table';

/** What {@link alternatingCpuRuns} measures and how it names the result. */
export interface AlternatingCpuRuns<W extends string, R> {
  /** Runs to make. */
  readonly runs: number;
  /** Messages one call of `once` handles, to divide its CPU time by. */
  readonly messages: number;
  /** Names the configuration in the progress lines. */
  readonly config: string;
  /** The ways to compare, in the order of the first run. */
  readonly ways: readonly W[];
  /** Does the whole work one way; this is what the clock sees. */
  readonly once: (way: W) => unknown;
  /** The row of one measurement, in CPU µs per message. */
  readonly row: (way: W, cpuUsPerMsg: number) => R;
}

/**
 * Warms the JIT up with two untimed calls of each way, then measures each way once per run, after
 * a full collection and in an order flipped every other run, so that neither pays for the other's
 * garbage or always goes first.
 */
export async function alternatingCpuRuns<W extends string, R>(
  c: AlternatingCpuRuns<W, R>,
): Promise<RunRecord<R>[]> {
  for (let w = 0; w < 2; w++) for (const way of c.ways) await c.once(way);
  return repeatRuns(c.runs, async (run) => {
    const rows: R[] = [];
    for (const way of ordered(run, c.ways)) {
      gc();
      const m = await measure(async () => c.once(way));
      const cpuUsPerMsg = (m.cpuMs * 1000) / c.messages;
      console.log(`  ${c.config.padEnd(18)} ${way.padEnd(12)} ${fixed(cpuUsPerMsg, 3)} µs/msg`);
      rows.push(c.row(way, cpuUsPerMsg));
    }
    return rows;
  });
}
