// Sink memory (issue 18): 1,000,000 small messages given to one sink faster than the bus takes
// them. The sink must hold at most its bounded buffer (`maxBufferedMessages`, default 100,000):
// what does not fit is refused with HmbBufferFullError, never held. The heap is sampled after a
// full GC every 50,000 messages given; the messages are made on the fly, so what stays on the heap
// is what the sink holds. The bus runs in a child process (its memory is not counted here).
//
//   npx tsx bench/sink-memory.ts [json|bson]
//   BENCH_SINK_MEMORY_N=1000000 BENCH_SINK_BUFFER=100000
import { startBusProcess } from './lib/bus-process';
import { heapAfterGc } from './lib/gc';
import { machineInfo, machineLine } from './lib/machine';
import { benchClient } from './lib/library-read';
import { PAD, benchMessage } from './lib/payloads';
import type { Format } from './lib/raw-http';
import { writeResults } from './lib/results';
import { fixed, int, printTable } from './lib/table';

const N = Number(process.env['BENCH_SINK_MEMORY_N'] ?? 1_000_000);
const BUFFER = Number(process.env['BENCH_SINK_BUFFER'] ?? 100_000);
/** Messages given between two heap samples. */
const SAMPLE_EVERY = 50_000;
const FORMATS = (process.argv[2] === undefined ? ['json', 'bson'] : [process.argv[2]]) as Format[];

interface Row {
  readonly format: Format;
  readonly given: number;
  readonly sent: number;
  readonly refused: number;
  readonly maxPending: number;
  readonly startHeapMb: number;
  readonly peakHeapMb: number;
  readonly endHeapMb: number;
  /** Peak heap above the start, per message the sink held at that peak, in bytes. */
  readonly bytesPerHeld: number;
}

/** V8 heap plus memory outside it (Buffers: BSON documents), after a full GC, in MB. */
function held(): number {
  const { heapUsedMb, externalMb } = heapAfterGc();
  return Math.round((heapUsedMb + externalMb) * 10) / 10;
}

async function measureOne(format: Format): Promise<Row> {
  // The bus's ring bounds its own memory; it takes small batches at its own pace.
  const bus = await startBusProcess({ queueLimit: 10_000 });
  const client = benchClient(`${bus.url}/mem`, format);
  try {
    const sink = client.sink({ maxBufferedMessages: BUFFER, keepAliveSec: 0 });
    let refused = 0;
    sink.results.subscribe((r) => r.kind === 'refused' && refused++);
    const start = held();
    let peak = start;
    let heldAtPeak = 0;
    let maxPending = 0;
    for (let given = 0; given < N;) {
      // A synchronous burst: faster than any bus takes it.
      for (const end = given + SAMPLE_EVERY; given < end; given++)
        sink.next(benchMessage('MEM', given, PAD.small));
      maxPending = Math.max(maxPending, sink.pending);
      const heap = held();
      if (heap > peak) {
        peak = heap;
        heldAtPeak = sink.pending;
      }
      console.log(
        `  ${format.toUpperCase()} given ${int(given).padStart(9)}  held ${int(sink.pending).padStart(7)}  refused ${int(refused).padStart(7)}  heap ${fixed(heap)} MB`,
      );
      // Let a /send or two go out before the next burst.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    sink.complete();
    const summary = await sink.done;
    const end = held();
    return {
      format,
      given: N,
      sent: summary.sent,
      refused: summary.refused,
      maxPending,
      startHeapMb: start,
      peakHeapMb: peak,
      endHeapMb: end,
      bytesPerHeld: heldAtPeak > 0 ? ((peak - start) * 2 ** 20) / heldAtPeak : 0,
    };
  } finally {
    await client.close();
    await bus.stop();
  }
}

async function main(): Promise<void> {
  const machine = machineInfo();
  console.log(
    `sink memory: ${int(N)} small messages given faster than the bus takes them, buffer ${int(BUFFER)}; ${machineLine(machine)}`,
  );
  const rows: Row[] = [];
  for (const format of FORMATS) rows.push(await measureOne(format));
  printTable(
    `Sink memory, ${int(N)} messages given, maxBufferedMessages ${int(BUFFER)} (heap + external after GC, MB)`,
    [
      { header: 'format' },
      { header: 'sent', align: 'right' },
      { header: 'refused (buffer full)', align: 'right' },
      { header: 'most held', align: 'right' },
      { header: 'heap start', align: 'right' },
      { header: 'heap peak', align: 'right' },
      { header: 'heap end', align: 'right' },
      { header: 'bytes per held message', align: 'right' },
    ],
    rows.map((r) => [
      r.format.toUpperCase(),
      int(r.sent),
      int(r.refused),
      int(r.maxPending),
      fixed(r.startHeapMb),
      fixed(r.peakHeapMb),
      fixed(r.endHeapMb),
      int(r.bytesPerHeld),
    ]),
  );
  writeResults('sink-memory', { machine, messages: N, buffer: BUFFER, rows });
}

void main();
