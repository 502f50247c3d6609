// Garbage collection on demand, for heap figures that count only live objects.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | undefined;

/** A full garbage collection (works with or without `--expose-gc`). */
export function gc(): void {
  if (collect === undefined) {
    const exposed = (globalThis as { gc?: () => void }).gc;
    if (exposed !== undefined) {
      collect = exposed;
    } else {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
    }
  }
  collect();
}

/** Heap and resident set sizes, in MB. */
export interface HeapFigures {
  /** V8 heap in use after a full collection. */
  readonly heapUsedMb: number;
  /** Memory held outside the V8 heap (Buffers), after the same collection. */
  readonly externalMb: number;
  readonly rssMb: number;
}

const MB = 2 ** 20;

/** Collects garbage twice (weak callbacks run in between) and reads the heap. */
export function heapAfterGc(): HeapFigures {
  gc();
  gc();
  const m = process.memoryUsage();
  return {
    heapUsedMb: round(m.heapUsed / MB),
    externalMb: round(m.external / MB),
    rssMb: round(m.rss / MB),
  };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
