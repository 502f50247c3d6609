// Runs the benchmarks one after the other, each in a process of its own (with --expose-gc), so that
// no benchmark pays for the heap or the JIT state another one left behind.
//
//   npm run bench                         every benchmark, one run each (a few minutes)
//   npm run bench -- latency send         only these
//   npm run bench -- receive-throughput "stream BSON"   arguments that name no benchmark are passed on
//   BENCH_RUNS=3 npm run bench            three runs each, medians reported (what docs/benchmarks.md shows)
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { loadAverage, machineLine } from './lib/machine';

/** Every benchmark, in the order they run. */
const BENCHMARKS = [
  'receive-throughput',
  'client-cpu',
  'latency',
  'memory',
  'demand-memory',
  'fan-in',
  'send',
  'scaling',
  'decode',
  // The embedded bus on its own, against the original's figures (see docs/server.md).
  'server-throughput',
  // What a browser application's bundle pulls in (needs `npm run build`).
  'browser-bundle',
] as const;

function runOne(name: string, args: readonly string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = fork(join(__dirname, `${name}.ts`), [...args], {
      execArgv: [...process.execArgv, '--expose-gc'],
      stdio: 'inherit',
    });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const picked = args.filter((a) => (BENCHMARKS as readonly string[]).includes(a));
  const passOn = args.filter((a) => !(BENCHMARKS as readonly string[]).includes(a));
  const unknown = passOn.filter((a) => /^[a-z-]+$/.test(a));
  if (unknown.length > 0 && picked.length === 0) {
    console.error(`unknown benchmark: ${unknown.join(', ')}; choose from ${BENCHMARKS.join(', ')}`);
    process.exit(2);
  }
  const chosen = picked.length > 0 ? picked : [...BENCHMARKS];
  // One run each unless told otherwise, so that the whole suite takes a few minutes.
  process.env['BENCH_RUNS'] ??= '1';
  console.log(
    `${machineLine()}\nbenchmarks: ${chosen.join(', ')}; BENCH_RUNS=${process.env['BENCH_RUNS']}`,
  );
  const summary: string[] = [];
  for (const name of chosen) {
    console.log(`\n=== ${name} (load average ${loadAverage().join(' ')}) ===`);
    const t0 = performance.now();
    const code = await runOne(name, passOn);
    const seconds = (performance.now() - t0) / 1000;
    summary.push(
      `${name.padEnd(20)} ${code === 0 ? 'ok    ' : `FAILED (exit ${code})`} ${seconds.toFixed(0)} s`,
    );
  }
  console.log(`\n=== summary ===\n${summary.join('\n')}`);
  if (summary.some((line) => line.includes('FAILED'))) process.exitCode = 1;
}

void main();
