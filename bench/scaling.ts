// Scaling (issue 9 §6): client CPU per message when one subscription reads 1k, 10k, 100k and 1M
// messages (windows `seq: 0, endseq: n−1` of one bus holding 1,000,000 small messages). The cost
// per message must stay flat. Each window is one recvAll subscription, so small windows include
// the fixed cost of a subscription (an /open, the first request); that fixed cost is measured on
// its own (a window of one message) and the marginal cost per message is shown beside it.
//
//   npx tsx bench/scaling.ts [filter]         e.g. "stream BSON"
//   BENCH_RUNS=3 BENCH_SCALING_MAX=1000000
import { startBusProcess } from './lib/bus-process';
import { gc } from './lib/gc';
import { benchClient, recvAllCount } from './lib/library-read';
import { machineInfo, machineLine } from './lib/machine';
import { measure } from './lib/measure';
import { PAD } from './lib/payloads';
import { RawReader } from './lib/raw-http';
import { writeResults } from './lib/results';
import { medianRows, repeatRuns, runCount, warnNoisy } from './lib/runs';
import { median } from './lib/stats';
import { fixed, int, printTable } from './lib/table';

const MAX = Number(process.env['BENCH_SCALING_MAX'] ?? 1_000_000);
const SIZES = [1, 1_000, 10_000, 100_000, 1_000_000].filter((n) => n <= MAX);
const BUS = 'scaling';
const QUEUE = 'PJ';
const FILTER = process.argv[2];

/** Repetitions per run: many for small windows, whose single figure would be noise. */
function repsFor(n: number): number {
  return n <= 1_000 ? 20 : n <= 10_000 ? 5 : 1;
}

interface Row {
  readonly config: string;
  readonly messages: number;
  readonly cpuMs: number;
  readonly cpuUsPerMsg: number;
  readonly msgPerSec: number;
}

async function main(): Promise<void> {
  const machine = machineInfo();
  console.log(`scaling: windows of ${SIZES.map(int).join(', ')} messages; ${machineLine(machine)}`);
  const bus = await startBusProcess({ queueLimit: MAX, maxSessionsPerIp: 1_000 });
  const busUrl = `${bus.url}/${BUS}`;
  const configs = (['poll', 'stream'] as const)
    .flatMap((t) => (['json', 'bson'] as const).map((f) => [t, f] as const))
    .filter(([t, f]) => FILTER === undefined || `${t} ${f.toUpperCase()}`.includes(FILTER));
  let records;
  let busMemory;
  try {
    console.log(`filling the bus with ${int(MAX)} messages…`);
    await bus.fill(BUS, QUEUE, MAX, PAD.small);
    const raw = new RawReader(busUrl);
    for (const format of ['json', 'bson'] as const) {
      // Encode everything once in each format on the bus before measuring.
      const sid = await raw.open({ queue: { [QUEUE]: { seq: 0, keep: false } } }, format);
      await raw.recvBytes(sid, QUEUE, format);
    }
    await raw.close();
    busMemory = await bus.memory();
    records = await repeatRuns(runCount(), async () => {
      const rows: Row[] = [];
      for (const [transport, format] of configs) {
        const config = `${transport} ${format.toUpperCase()}`;
        const client = benchClient(busUrl, format);
        // JIT warm-up: one untimed read of 100,000 messages before the measured windows.
        const warm = Math.min(MAX, 100_000);
        await recvAllCount(client, { queue: { [QUEUE]: { seq: 0, endseq: warm - 1 } } }, transport);
        for (const n of SIZES) {
          const cpu: number[] = [];
          const wall: number[] = [];
          for (let rep = 0; rep < repsFor(n); rep++) {
            gc();
            const m = await measure(() =>
              recvAllCount(client, { queue: { [QUEUE]: { seq: 0, endseq: n - 1 } } }, transport),
            );
            if (m.value !== n) throw new Error(`${config} ${n}: got ${m.value}`);
            cpu.push(m.cpuMs);
            wall.push(m.wallMs);
          }
          const row: Row = {
            config,
            messages: n,
            cpuMs: median(cpu),
            cpuUsPerMsg: (median(cpu) * 1000) / n,
            msgPerSec: n / (median(wall) / 1000),
          };
          console.log(
            `  ${config.padEnd(12)} ${int(n).padStart(9)}  CPU ${fixed(row.cpuMs, 1).padStart(8)} ms  ${fixed(row.cpuUsPerMsg, 2).padStart(8)} µs/msg  ${int(row.msgPerSec).padStart(9)} msg/s`,
          );
          rows.push(row);
        }
        await client.close();
      }
      return rows;
    });
  } finally {
    await bus.stop();
  }
  const rows = medianRows(records, (r) => `${r.config}|${r.messages}`, 'cpuMs');
  warnNoisy(rows, (i) => `${rows[i]!.config} ${int(rows[i]!.messages)} CPU`);
  const byConfig = [...new Set(rows.map((r) => r.config))].map((config) => {
    const mine = rows.filter((r) => r.config === config);
    const fixedCost = mine.find((r) => r.messages === 1)?.cpuMs ?? 0;
    return { config, fixedCost, rows: mine.filter((r) => r.messages > 1) };
  });
  printTable(
    `Client CPU per message by window size, median of ${records.length} run(s) (µs/message; marginal = after subtracting the cost of a one-message subscription)`,
    [
      { header: 'transport' },
      { header: 'one-message subscription', align: 'right' },
      ...SIZES.filter((n) => n > 1).flatMap((n) => [
        { header: `${int(n)}`, align: 'right' as const },
        { header: `${int(n)} marginal`, align: 'right' as const },
      ]),
    ],
    byConfig.map((c) => [
      c.config,
      `${fixed(c.fixedCost, 1)} ms`,
      ...c.rows.flatMap((r) => [
        fixed(r.cpuUsPerMsg, 2),
        fixed(((r.cpuMs - c.fixedCost) * 1000) / (r.messages - 1), 2),
      ]),
    ]),
  );
  const flat = byConfig.map((c) => {
    const marginal = c.rows
      .filter((r) => r.messages >= 10_000)
      .map((r) => ((r.cpuMs - c.fixedCost) * 1000) / (r.messages - 1));
    return { config: c.config, ratio: Math.max(...marginal) / Math.min(...marginal) };
  });
  console.log(
    `\nflatness (largest / smallest marginal cost from 10,000 messages up): ${flat.map((f) => `${f.config} ${fixed(f.ratio, 2)}×`).join(', ')}`,
  );
  console.log(
    `bus holding ${int(MAX)} messages: heap ${busMemory?.heapUsedMb} MB, RSS ${busMemory?.rssMb} MB`,
  );
  writeResults('scaling', { machine, sizes: SIZES, busMemory, runs: records, medians: rows });
}

void main();
