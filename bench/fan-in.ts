// Fan-in (issue 9 §4): 100 concurrent subscriptions in one process, each reading its own queue
// (10 buses × 10 queues, 1,000 messages each), against one subscription reading 1,000 messages and
// one reading 100,000. Target: 100 subscriptions cost less than 100× one. The bus runs in a child
// process with its per-IP session cap raised (the default of 10 per bus would be reached exactly).
//
//   npx tsx bench/fan-in.ts [filter]     e.g. "poll JSON"
//   BENCH_RUNS=3 BENCH_FANIN_M=1000
import { startBusProcess, type BusProcess } from './lib/bus-process';
import { gc } from './lib/gc';
import { benchClient, recvAllCount, type Transport } from './lib/library-read';
import { machineInfo, machineLine } from './lib/machine';
import { measure } from './lib/measure';
import { PAD } from './lib/payloads';
import { RawReader } from './lib/raw-http';
import { writeResults } from './lib/results';
import { medianRows, ordered, repeatRuns, runCount, warnNoisy } from './lib/runs';
import { fixed, int, printTable } from './lib/table';

const SUBSCRIPTIONS = 100;
const BUSES = 10;
const M = Number(process.env['BENCH_FANIN_M'] ?? 1_000);
const FILTER = process.argv[2];

type Shape = '1 × M' | '100 × M' | '1 × 100M';

interface Row {
  readonly config: string;
  readonly shape: Shape;
  readonly messages: number;
  readonly wallMs: number;
  readonly msgPerSec: number;
  readonly cpuMs: number;
  readonly cpuMsPer1k: number;
  readonly busCpuMs: number;
}

const queueOf = (k: number): { bus: string; queue: string } => ({
  bus: `fan${k % BUSES}`,
  queue: `Q${Math.floor(k / BUSES)}`,
});

async function fill(bus: BusProcess): Promise<void> {
  for (let k = 0; k < SUBSCRIPTIONS; k++) {
    const { bus: b, queue } = queueOf(k);
    await bus.fill(b, queue, M, PAD.small);
  }
  await bus.fill('single', 'S', M * SUBSCRIPTIONS, PAD.small);
  // Let the bus encode every message in both formats before anything is measured.
  const window = (q: string): object => ({ queue: { [q]: { seq: 0, keep: false } } });
  for (const format of ['json', 'bson'] as const) {
    for (let k = 0; k < SUBSCRIPTIONS; k++) {
      const { bus: b, queue } = queueOf(k);
      const raw = new RawReader(`${bus.url}/${b}`);
      await raw.recvBytes(await raw.open(window(queue), format), queue, format);
      await raw.close();
    }
    const raw = new RawReader(`${bus.url}/single`);
    await raw.recvBytes(await raw.open(window('S'), format), 'S', format);
    await raw.close();
  }
}

async function timed(
  bus: BusProcess,
  config: string,
  shape: Shape,
  messages: number,
  read: () => Promise<number>,
): Promise<Row> {
  gc();
  const bus0 = await bus.cpuUs();
  const m = await measure(read);
  const busCpuMs = ((await bus.cpuUs()) - bus0) / 1000;
  if (m.value !== messages) throw new Error(`${config} ${shape}: ${m.value} of ${messages}`);
  const row: Row = {
    config,
    shape,
    messages,
    wallMs: m.wallMs,
    msgPerSec: messages / (m.wallMs / 1000),
    cpuMs: m.cpuMs,
    cpuMsPer1k: m.cpuMs / (messages / 1000),
    busCpuMs,
  };
  console.log(
    `  ${config.padEnd(12)} ${shape.padEnd(9)} ${int(row.msgPerSec).padStart(9)} msg/s  ${fixed(row.wallMs, 0).padStart(6)} ms  client CPU ${fixed(row.cpuMs, 0)} ms (${fixed(row.cpuMsPer1k, 2)} ms/1k)  bus CPU ${fixed(busCpuMs, 0)} ms`,
  );
  return row;
}

async function oneRun(bus: BusProcess, run: number): Promise<Row[]> {
  const rows: Row[] = [];
  const configs = (['poll', 'stream'] as const)
    .flatMap((t) => (['json', 'bson'] as const).map((f) => [t, f] as const))
    .filter(([t, f]) => FILTER === undefined || `${t} ${f.toUpperCase()}`.includes(FILTER));
  for (const [transport, format] of ordered(run, configs)) {
    const config = `${transport} ${format.toUpperCase()}`;
    const from0 = (queue: string, end?: number): { queue: Record<string, object> } => ({
      queue: { [queue]: end === undefined ? { seq: 0 } : { seq: 0, endseq: end } },
    });
    // One client per bus, as an application would have.
    const clients = Array.from({ length: BUSES }, (_, b) =>
      benchClient(`${bus.url}/fan${b}`, format),
    );
    const single = benchClient(`${bus.url}/single`, format);
    if (run === 1) {
      // JIT warm-up: the first run reads the big queue once, untimed, before measuring.
      await recvAllCount(single, from0('S'), transport);
    }
    // One small subscription is over in tens of ms: take the median of five.
    const singles: Row[] = [];
    for (let rep = 0; rep < 5; rep++) {
      singles.push(
        await timed(bus, config, '1 × M', M, () =>
          recvAllCount(clients[rep % BUSES]!, from0(queueOf(rep).queue), transport),
        ),
      );
    }
    singles.sort((a, b) => a.cpuMs - b.cpuMs);
    rows.push(singles[2]!);
    rows.push(
      await timed(bus, config, '100 × M', M * SUBSCRIPTIONS, async () => {
        const counts = await Promise.all(
          Array.from({ length: SUBSCRIPTIONS }, (_, k) =>
            recvAllCount(clients[k % BUSES]!, from0(queueOf(k).queue), transport),
          ),
        );
        return counts.reduce((a, b) => a + b, 0);
      }),
    );
    rows.push(
      await timed(bus, config, '1 × 100M', M * SUBSCRIPTIONS, () =>
        recvAllCount(single, from0('S'), transport as Transport),
      ),
    );
    await Promise.all([...clients, single].map((c) => c.close()));
  }
  return rows;
}

async function main(): Promise<void> {
  const machine = machineInfo();
  console.log(
    `fan-in: ${SUBSCRIPTIONS} subscriptions × ${int(M)} messages on ${BUSES} buses; ${machineLine(machine)}`,
  );
  const bus = await startBusProcess({ maxSessionsPerIp: 1_000, queueLimit: M * SUBSCRIPTIONS });
  let records;
  try {
    await fill(bus);
    records = await repeatRuns(runCount(), (run) => oneRun(bus, run));
  } finally {
    await bus.stop();
  }
  const rows = medianRows(records, (r) => `${r.config}|${r.shape}`, 'cpuMs');
  warnNoisy(rows, (i) => `${rows[i]!.config} ${rows[i]!.shape} CPU`);
  const configs = [...new Set(rows.map((r) => r.config))];
  const find = (config: string, shape: Shape): (typeof rows)[number] | undefined =>
    rows.find((r) => r.config === config && r.shape === shape);
  const table = configs.map((config) => {
    const one = find(config, '1 × M');
    const many = find(config, '100 × M');
    const big = find(config, '1 × 100M');
    return {
      config,
      oneMsgPerSec: one?.msgPerSec,
      manyMsgPerSec: many?.msgPerSec,
      bigMsgPerSec: big?.msgPerSec,
      oneCpuMs: one?.cpuMs,
      manyCpuMs: many?.cpuMs,
      bigCpuMs: big?.cpuMs,
      costRatio: many !== undefined && one !== undefined ? many.cpuMs / one.cpuMs : NaN,
    };
  });
  printTable(
    `Fan-in: ${SUBSCRIPTIONS} concurrent subscriptions × ${int(M)} messages vs one, median of ${records.length} run(s) (msg/s; client CPU ms)`,
    [
      { header: 'transport' },
      { header: `1 sub × ${int(M)}`, align: 'right' },
      { header: `${SUBSCRIPTIONS} subs × ${int(M)}`, align: 'right' },
      { header: `1 sub × ${int(M * SUBSCRIPTIONS)}`, align: 'right' },
      { header: 'CPU 1 sub', align: 'right' },
      { header: `CPU ${SUBSCRIPTIONS} subs`, align: 'right' },
      { header: `CPU 1 sub × ${int(M * SUBSCRIPTIONS)}`, align: 'right' },
      { header: `${SUBSCRIPTIONS} subs / 1 sub (CPU)`, align: 'right' },
    ],
    table.map((t) => [
      t.config,
      int(t.oneMsgPerSec),
      int(t.manyMsgPerSec),
      int(t.bigMsgPerSec),
      fixed(t.oneCpuMs, 1),
      fixed(t.manyCpuMs, 0),
      fixed(t.bigCpuMs, 0),
      `${fixed(t.costRatio, 1)}×`,
    ]),
  );
  const missed = table.filter((t) => !(t.costRatio < SUBSCRIPTIONS));
  console.log(
    missed.length === 0
      ? `\ntarget (${SUBSCRIPTIONS} subscriptions cost < ${SUBSCRIPTIONS}× one): met`
      : `\ntarget (${SUBSCRIPTIONS} subscriptions cost < ${SUBSCRIPTIONS}× one): missed for ${missed.map((t) => t.config).join(', ')}`,
  );
  writeResults('fan-in', {
    machine,
    subscriptions: SUBSCRIPTIONS,
    buses: BUSES,
    perSubscription: M,
    runs: records,
    medians: rows,
    summary: table,
  });
}

void main();
