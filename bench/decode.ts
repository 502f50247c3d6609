// Decode cost of the /stream framing (issue 7): JsonFrameDecoder and BsonFrameDecoder fed 1k, 10k
// and 100k messages in 2048-byte chunks, as the server cuts them (notes §1). The cost per message
// must stay flat. Beside them: the /recv decoders, which take a whole body at once
// (decodeJsonFrames: one JSON.parse; decodeBsonFrames), and, when it is installed, the streaming
// JSON parser @streamparser/json fed the same chunks, each value turned into a frame as ours are.
// No I/O: bodies are built in memory as the bus writes them.
//
//   npx tsx bench/decode.ts
//   npm i --no-save @streamparser/json     (only for the comparison column; not a dependency)
//   BENCH_RUNS=3
import { Long, serialize } from 'bson';
import { decodeBsonFrames } from '../src/protocol/bson-codec';
import { BsonFrameDecoder } from '../src/protocol/bson-frame-decoder';
import { decodeJsonFrames } from '../src/protocol/json-codec';
import { JsonFrameDecoder } from '../src/protocol/json-frame-decoder';
import { frameFromWire } from '../src/protocol/wire-message';
import { gc } from './lib/gc';
import { machineInfo, machineLine } from './lib/machine';
import { cpuNowUs } from './lib/measure';
import { PAD, type PayloadSize } from './lib/payloads';
import { writeResults } from './lib/results';
import { medianRows, repeatRuns, runCount, warnNoisy } from './lib/runs';
import { fixed, int, printTable } from './lib/table';

const CHUNK = 2048;
const COUNTS = [1_000, 10_000, 100_000] as const;
const SIZES: readonly PayloadSize[] = ['small', '1KiB'];
/** Messages decoded per measurement at least (small counts are repeated). */
const MIN_MESSAGES = 200_000;

/** The parts of @streamparser/json this benchmark uses. */
interface StreamParser {
  onValue: (info: { value: unknown }) => void;
  write(input: Uint8Array): void;
}
type StreamParserCtor = new (opts: { paths: string[]; keepStack: boolean }) => StreamParser;

async function loadStreamParser(): Promise<StreamParserCtor | undefined> {
  // A variable name keeps tsc from resolving it: the package is installed only for this comparison.
  const name = '@streamparser/json';
  try {
    const mod = (await import(name)) as { JSONParser?: StreamParserCtor };
    return mod.JSONParser;
  } catch {
    return undefined;
  }
}

function wireDoc(i: number, pad: string): Record<string, unknown> {
  // Field order as the bus writes it: type, queue, sender, topic, seq, data.
  return { type: 'T', queue: 'PJ', sender: 'bench-filler', topic: 'X', seq: i, data: { i, pad } };
}

/** A JSON /stream body of n messages and EOF, as the bus writes it. */
function jsonBody(n: number, pad: string): Buffer {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(`"${i}":${JSON.stringify(wireDoc(i, pad))}`);
  parts.push(`"${n}":{"type":"EOF"}`);
  return Buffer.from(`{${parts.join(',')}}`);
}

/** A BSON /stream body of n messages (seq as int64) and EOF. */
function bsonBody(n: number, pad: string): Buffer {
  const docs: Uint8Array[] = [];
  for (let i = 0; i < n; i++) docs.push(serialize({ ...wireDoc(i, pad), seq: Long.fromNumber(i) }));
  docs.push(serialize({ type: 'EOF' }));
  return Buffer.concat(docs);
}

function chunksOf(body: Buffer): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let p = 0; p < body.length; p += CHUNK) chunks.push(body.subarray(p, p + CHUNK));
  return chunks;
}

/** One way of decoding a body: returns the number of frames (EOF included). */
type Decode = (body: Buffer, chunks: readonly Uint8Array[]) => number;

function decoders(streamParser: StreamParserCtor | undefined): Record<string, Decode | undefined> {
  const utf8 = new TextDecoder();
  return {
    'JSON JsonFrameDecoder': (_body, chunks) => {
      const decoder = new JsonFrameDecoder();
      let n = 0;
      for (const chunk of chunks) n += decoder.push(chunk).length;
      decoder.end();
      return n;
    },
    'JSON @streamparser/json':
      streamParser &&
      ((_body, chunks) => {
        const parser = new streamParser({ paths: ['$.*'], keepStack: false });
        let n = 0;
        parser.onValue = ({ value }) => {
          frameFromWire(value);
          n++;
        };
        for (const chunk of chunks) parser.write(chunk);
        return n;
      }),
    'JSON decodeJsonFrames (whole body)': (body) => decodeJsonFrames(utf8.decode(body)).length,
    'BSON BsonFrameDecoder': (_body, chunks) => {
      const decoder = new BsonFrameDecoder();
      let n = 0;
      for (const chunk of chunks) n += decoder.push(chunk).length;
      decoder.end();
      return n;
    },
    'BSON decodeBsonFrames (whole body)': (body) => decodeBsonFrames(body).length,
  };
}

interface Row {
  readonly decoder: string;
  readonly size: PayloadSize;
  readonly messages: number;
  /** CPU time per message, µs. */
  readonly cpuUsPerMsg: number;
  /** Wall time per message, µs. */
  readonly wallUsPerMsg: number;
  /** Body megabytes decoded per second (wall). */
  readonly mbPerSec: number;
}

async function main(): Promise<void> {
  const machine = machineInfo();
  const streamParser = await loadStreamParser();
  console.log(`decode: ${CHUNK}-byte chunks; ${machineLine(machine)}`);
  if (streamParser === undefined)
    console.log(
      '@streamparser/json is not installed: its column is skipped (npm i --no-save @streamparser/json)',
    );
  const cases = Object.entries(decoders(streamParser)).filter(
    (e): e is [string, Decode] => e[1] !== undefined,
  );
  const bodies = new Map<string, { body: Buffer; chunks: Uint8Array[] }>();
  for (const size of SIZES) {
    const pad = 'x'.repeat(PAD[size]);
    for (const n of COUNTS) {
      for (const format of ['JSON', 'BSON']) {
        const body = format === 'JSON' ? jsonBody(n, pad) : bsonBody(n, pad);
        bodies.set(`${format} ${size} ${n}`, { body, chunks: chunksOf(body) });
      }
    }
  }
  // JIT warm-up: every decoder once on a mid-sized body.
  for (const [name, decode] of cases) {
    const b = bodies.get(`${name.slice(0, 4)} small 10000`)!;
    decode(b.body, b.chunks);
  }
  const runs = runCount();
  const records = await repeatRuns(runs, async () => {
    const rows: Row[] = [];
    for (const size of SIZES) {
      for (const n of COUNTS) {
        for (const [name, decode] of cases) {
          const { body, chunks } = bodies.get(`${name.slice(0, 4)} ${size} ${n}`)!;
          const reps = Math.max(1, Math.ceil(MIN_MESSAGES / n));
          gc();
          const cpu0 = cpuNowUs();
          const t0 = performance.now();
          for (let r = 0; r < reps; r++) {
            const frames = decode(body, chunks);
            if (frames !== n + 1) throw new Error(`${name}: ${frames} frames, expected ${n + 1}`);
          }
          const wallMs = performance.now() - t0;
          const row: Row = {
            decoder: name,
            size,
            messages: n,
            cpuUsPerMsg: (cpuNowUs() - cpu0) / (reps * n),
            wallUsPerMsg: (wallMs * 1000) / (reps * n),
            mbPerSec: (body.length * reps) / 2 ** 20 / (wallMs / 1000),
          };
          console.log(
            `  ${name.padEnd(36)} ${size.padEnd(5)} ${int(n).padStart(7)}  ${fixed(row.cpuUsPerMsg, 3)} µs/msg CPU  ${fixed(row.wallUsPerMsg, 3)} µs/msg  ${fixed(row.mbPerSec, 0)} MB/s`,
          );
          rows.push(row);
        }
      }
    }
    return rows;
  });
  const rows = medianRows(records, (r) => `${r.decoder}|${r.size}|${r.messages}`, 'wallUsPerMsg');
  warnNoisy(rows, (i) => `${rows[i]!.decoder} ${rows[i]!.size} ${rows[i]!.messages}`);
  for (const size of SIZES) {
    const names = [...new Set(rows.map((r) => r.decoder))];
    printTable(
      `Decode cost, ${size} messages, ${CHUNK}-byte chunks, median of ${runs} run(s) (µs per message, wall; MB/s at 100,000)`,
      [
        { header: 'decoder' },
        ...COUNTS.map((n) => ({ header: int(n), align: 'right' as const })),
        { header: 'largest / smallest', align: 'right' },
        { header: 'MB/s', align: 'right' },
      ],
      names.map((name) => {
        const mine = COUNTS.map((n) =>
          rows.find((r) => r.decoder === name && r.size === size && r.messages === n),
        );
        const costs = mine.map((r) => r?.wallUsPerMsg ?? NaN);
        return [
          name,
          ...costs.map((c) => fixed(c, 3)),
          `${fixed(Math.max(...costs) / Math.min(...costs), 2)}×`,
          fixed(mine[mine.length - 1]?.mbPerSec, 0),
        ];
      }),
    );
  }
  writeResults('decode', {
    machine,
    chunkBytes: CHUNK,
    streamParser: streamParser === undefined ? null : '@streamparser/json',
    runs: records,
    medians: rows,
  });
}

void main();
