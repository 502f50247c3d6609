// Receive throughput (issue 9 §1, issue 7): 100,000 messages held by the embedded bus, read to
// EOF through `client.recvAll` (poll and stream, JSON and BSON), next to two baselines that make
// the same HTTP exchanges with undici `request`: one only counts bytes, one also decodes every
// message (JSON.parse / BSON.deserialize). The bus runs in a child process, so "client CPU" is
// this process alone; client and bus share the machine's cores, as in the notes' figures (§13).
//
//   npx tsx bench/receive-throughput.ts [filter]     e.g. "stream BSON" to run only those
//   BENCH_RUNS=5 BENCH_N=100000                      (defaults)
//   BENCH_READERS=hmb-rx                             only these readers (comma-separated)
//   BENCH_IN_PROCESS=1                               every configuration in one process (profiling)
//
// Each configuration runs in a process of its own (with its own bus), as an application would.
import { machineInfo, machineLine } from './lib/machine';
import { startBusProcess, type BusProcess } from './lib/bus-process';
import { childArgs, isChildRun, runInChild, sendToParent } from './lib/child-runs';
import { gc } from './lib/gc';
import { benchClient, recvAllCount, type Transport } from './lib/library-read';
import { measure } from './lib/measure';
import { ORIGINAL_RECEIVE, rangeText } from './lib/original';
import { PAD, type PayloadSize } from './lib/payloads';
import { RawReader, type Format } from './lib/raw-http';
import { writeResults } from './lib/results';
import {
  medianRows,
  ordered,
  pairedRatio,
  repeatRuns,
  runCount,
  warnNoisy,
  type RunRecord,
} from './lib/runs';
import { fixed, int, percent, percentRange, printTable } from './lib/table';

const N = Number(process.env['BENCH_N'] ?? 100_000);
const BUS = 'bench';
const QUEUE = 'PJ';
/** What the raw readers open: the whole queue, to EOF. */
const WINDOW = { queue: { [QUEUE]: { seq: 0, keep: false } } };
/** In a child process (see main), the one configuration it measures. */
const CHILD_CONFIG = isChildRun() ? childArgs()[0] : undefined;
const FILTER = CHILD_CONFIG === undefined ? process.argv[2] : undefined;
/** `BENCH_READERS=hmb-rx` measures only the library (e.g. for a profile). */
const READERS = process.env['BENCH_READERS'];

/** How a row read the bus. */
type Reader = 'raw bytes' | 'raw + decode' | 'hmb-rx';

interface Row {
  readonly config: string;
  readonly reader: Reader;
  readonly messages: number;
  readonly bytes: number;
  readonly msgPerSec: number;
  /** This process's CPU per 1,000 messages, ms. */
  readonly clientCpuMsPer1k: number;
  /** The bus process's CPU per 1,000 messages, ms. */
  readonly busCpuMsPer1k: number;
}

const TRANSPORTS: readonly Transport[] = ['poll', 'stream'];
const FORMATS: readonly Format[] = ['json', 'bson'];
const SIZES: readonly PayloadSize[] = ['small', '1KiB'];

function configName(transport: Transport, format: Format, size: PayloadSize): string {
  return `${transport} ${format.toUpperCase()} ${size}`;
}

async function timed(
  bus: BusProcess,
  config: string,
  reader: Reader,
  read: () => Promise<{ messages: number; bytes: number }>,
): Promise<Row> {
  gc();
  const bus0 = await bus.cpuUs();
  const m = await measure(read);
  const busUs = (await bus.cpuUs()) - bus0;
  if (m.value.messages !== N)
    throw new Error(`${config} ${reader}: ${m.value.messages} messages, expected ${N}`);
  const row: Row = {
    config,
    reader,
    messages: N,
    bytes: m.value.bytes,
    msgPerSec: N / (m.wallMs / 1000),
    clientCpuMsPer1k: m.cpuMs / (N / 1000),
    busCpuMsPer1k: busUs / 1000 / (N / 1000),
  };
  console.log(
    `  ${config.padEnd(18)} ${reader.padEnd(13)} ${int(row.msgPerSec).padStart(9)} msg/s  client ${fixed(row.clientCpuMsPer1k, 2)} ms/1k  bus ${fixed(row.busCpuMsPer1k, 2)} ms/1k`,
  );
  return row;
}

async function oneRun(run: number): Promise<Row[]> {
  const rows: Row[] = [];
  for (const size of SIZES) {
    const configs = TRANSPORTS.flatMap((t) =>
      FORMATS.map((f) => [t, f, configName(t, f, size)] as const),
    ).filter(([, , name]) =>
      CHILD_CONFIG !== undefined
        ? name === CHILD_CONFIG
        : FILTER === undefined || name.includes(FILTER),
    );
    if (configs.length === 0) continue;
    const bus = await busFor(size, configs);
    const busUrl = `${bus.url}/${BUS}`;
    const raw = new RawReader(busUrl);
    try {
      for (const [transport, format, config] of configs) {
        // Alternate the order between runs, so that no reader always goes first.
        for (const reader of ordered<Reader>(run, ['raw bytes', 'raw + decode', 'hmb-rx'])) {
          if (READERS !== undefined && !READERS.split(',').includes(reader)) continue;
          const client = benchClient(busUrl, format);
          const read = async (): Promise<{ messages: number; bytes: number }> => {
            if (reader === 'hmb-rx') {
              const params = { queue: { [QUEUE]: { seq: 0 } } };
              return { messages: await recvAllCount(client, params, transport), bytes: NaN };
            }
            const sid = await raw.open(WINDOW, format);
            if (reader === 'raw bytes') {
              return transport === 'poll'
                ? raw.recvBytes(sid, QUEUE, format)
                : raw.streamBytes(sid, format);
            }
            return transport === 'poll'
              ? raw.recvDecoded(sid, format)
              : raw.streamDecoded(sid, format);
          };
          // Each timed read follows an untimed one by the same reader: the JIT is warm, and the
          // heap is shaped by that reader's own work, as in an application that reads all day,
          // rather than by the reader before it. With one warm-up read per process, raw +
          // decode spent 1.3 µs per small JSON message in the runs where it followed the
          // library and 2.0-2.3 where it followed raw bytes, which allocates next to nothing.
          await read();
          rows.push(await timed(bus, config, reader, read));
          await client.close();
        }
      }
    } finally {
      await raw.close();
    }
  }
  return rows;
}

/** The bus of each payload size, started on first use and read by every run after it. */
const buses = new Map<PayloadSize, BusProcess>();

/**
 * The bus holding {@link N} messages of `size`, started, filled and warmed up on first use. Every
 * run reads the same bus, as an application reads a bus that has been running for a while. A bus
 * process started before each run ran its code cold, compiling it on the machine's other core
 * while the first reader of the run read: that reader paid up to 40% more CPU per message, and
 * with the readers' order alternating between runs that noise fell on every reader in turn.
 */
async function busFor(
  size: PayloadSize,
  configs: readonly (readonly [Transport, Format, string])[],
): Promise<BusProcess> {
  const started = buses.get(size);
  if (started !== undefined) return started;
  const bus = await startBusProcess({ queueLimit: N, maxSessionsPerIp: 1_000 });
  buses.set(size, bus);
  await bus.fill(BUS, QUEUE, N, PAD[size]);
  const raw = new RawReader(`${bus.url}/${BUS}`);
  try {
    // The bus encodes a message for a format on its first delivery and keeps the bytes: read
    // everything once in each format, and each way it will be read, before anything is measured.
    for (const format of FORMATS)
      await raw.recvBytes(await raw.open(WINDOW, format), QUEUE, format);
    for (const [transport, format] of configs)
      if (transport === 'stream') await raw.streamBytes(await raw.open(WINDOW, format), format);
  } finally {
    await raw.close();
  }
  return bus;
}

/** Stops the buses {@link busFor} started. */
async function stopBuses(): Promise<void> {
  for (const bus of buses.values()) await bus.stop();
  buses.clear();
}

/**
 * Measures one configuration in a child process of its own: an application reads one format one
 * way, and reading JSON and BSON, polls and streams in one process makes the JIT's code for the
 * shared path polymorphic (which cost the library 10-15% in this benchmark). The baselines run
 * in the same child, so each ratio still compares readers measured side by side.
 */
function inChild(config: string): Promise<RunRecord<Row>[]> {
  return runInChild<Row>(__filename, [config]);
}

async function main(): Promise<void> {
  const runs = runCount(5);
  if (CHILD_CONFIG !== undefined) {
    const records = await repeatRuns(runs, oneRun);
    await stopBuses();
    sendToParent(records);
    return;
  }
  const machine = machineInfo();
  console.log(`receive throughput: ${int(N)} messages per read; ${machineLine(machine)}`);
  let records: RunRecord<Row>[];
  if (process.env['BENCH_IN_PROCESS'] === '1') {
    // Every configuration in this process (for node --cpu-prof, which a child would not inherit).
    records = await repeatRuns(runs, oneRun);
    await stopBuses();
  } else {
    const names = SIZES.flatMap((size) =>
      TRANSPORTS.flatMap((t) => FORMATS.map((f) => configName(t, f, size))),
    ).filter((name) => FILTER === undefined || name.includes(FILTER));
    records = [];
    for (const name of names) {
      console.log(`\n${name}:`);
      records.push(...(await inChild(name)));
    }
  }
  const rows = medianRows(records, (r) => `${r.config}|${r.reader}`, 'msgPerSec');
  warnNoisy(rows, (i) => `${rows[i]!.config} ${rows[i]!.reader}`);

  const byConfig = new Map<string, Partial<Record<Reader, (typeof rows)[number]>>>();
  for (const row of rows) {
    const entry = byConfig.get(row.config) ?? {};
    entry[row.reader] = row;
    byConfig.set(row.config, entry);
  }
  const summary = [...byConfig].map(([config, r]) => {
    const lib = r['hmb-rx'];
    const base = r['raw + decode'];
    const paired = pairedRatio<Row>(
      records,
      (row) => row.config === config && row.reader === 'hmb-rx',
      (row) => row.config === config && row.reader === 'raw + decode',
      (row) => row.msgPerSec,
    );
    return {
      config,
      rawBytes: r['raw bytes']?.msgPerSec,
      rawDecode: base?.msgPerSec,
      library: lib?.msgPerSec,
      ratio: paired.median,
      ratioPerRun: paired.perRun,
      ratioOfMedians:
        lib !== undefined && base !== undefined ? lib.msgPerSec / base.msgPerSec : NaN,
      libraryCpu: lib?.clientCpuMsPer1k,
      rawDecodeCpu: base?.clientCpuMsPer1k,
      libraryBusCpu: lib?.busCpuMsPer1k,
      original: ORIGINAL_RECEIVE[config],
    };
  });
  printTable(
    `Receive throughput, ${int(N)} messages, median of ${runs} run(s) (msg/s; hmb-rx / raw+decode = median of each run's side-by-side ratio; client CPU = this process, ms per 1,000 messages)`,
    [
      { header: 'read' },
      { header: 'raw bytes', align: 'right' },
      { header: 'raw + decode', align: 'right' },
      { header: 'hmb-rx', align: 'right' },
      { header: 'hmb-rx / raw+decode', align: 'right' },
      { header: 'per run', align: 'right' },
      { header: 'of medians', align: 'right' },
      { header: 'CPU raw+decode', align: 'right' },
      { header: 'CPU hmb-rx', align: 'right' },
      { header: 'bus CPU', align: 'right' },
      { header: 'original (§13)', align: 'right' },
    ],
    summary.map((s) => [
      s.config,
      int(s.rawBytes),
      int(s.rawDecode),
      int(s.library),
      percent(s.ratio),
      percentRange(s.ratioPerRun),
      percent(s.ratioOfMedians),
      fixed(s.rawDecodeCpu, 2),
      fixed(s.libraryCpu, 2),
      fixed(s.libraryBusCpu, 2),
      rangeText(s.original),
    ]),
  );
  const compared = summary.filter((s) => Number.isFinite(s.ratio));
  const missed = compared.filter((s) => s.ratio < 0.9);
  if (compared.length > 0) {
    console.log(
      missed.length === 0
        ? `\ntarget (hmb-rx ≥ 90% of raw + decode): met for ${compared.map((s) => s.config).join(', ')}`
        : `\ntarget (hmb-rx ≥ 90% of raw + decode): missed for ${missed.map((s) => `${s.config} (${percent(s.ratio)})`).join(', ')}`,
    );
  }
  writeResults('receive-throughput', {
    machine,
    messages: N,
    runs: records,
    medians: rows,
    summary,
  });
}

void main();
