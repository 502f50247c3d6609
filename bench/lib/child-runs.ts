// Measuring one configuration in a process of its own: an application reads one format one way,
// and mixing them in one process makes V8's code for the shared path polymorphic.
import { fork } from 'node:child_process';
import type { RunRecord } from './runs';

/** Whether this process is such a child: its first argument is `--child`. */
export function isChildRun(): boolean {
  return process.argv[2] === '--child';
}

/** The arguments a child was started with, after `--child`. */
export function childArgs(): string[] {
  return process.argv.slice(3);
}

/**
 * Runs the benchmark `file` again in a child process with `--child` and `args` (and
 * `--expose-gc`; a `--cpu-prof` of this process is not passed on), and resolves with the run
 * records the child sends back with {@link sendToParent}.
 */
export function runInChild<R>(file: string, args: readonly string[]): Promise<RunRecord<R>[]> {
  return new Promise((resolve, reject) => {
    const child = fork(file, ['--child', ...args], {
      execArgv: [...process.execArgv.filter((a) => !a.startsWith('--cpu-prof')), '--expose-gc'],
    });
    let records: RunRecord<R>[] | undefined;
    child.on('message', (m) => (records = m as RunRecord<R>[]));
    child.on('exit', (code) =>
      records === undefined
        ? reject(new Error(`${args.join(' ')}: child exited with ${code}`))
        : resolve(records),
    );
  });
}

/** In a child: hands the records to the parent, then exits. */
export function sendToParent<R>(records: RunRecord<R>[]): void {
  process.send!(records, () => process.exit(0));
}

/**
 * One configuration's runs measured in a process of its own: `file` (the calling benchmark) is
 * started again with the configuration as JSON, and {@link answerParent} there measures it. With
 * `BENCH_IN_PROCESS=1` it is measured here instead, for `node --cpu-prof`, which a child would not
 * inherit (pick one configuration with the benchmark's filter).
 */
function measureInChild<C, R>(
  file: string,
  config: C,
  runs: number,
  measureConfig: (config: C, runs: number) => Promise<RunRecord<R>[]>,
): Promise<RunRecord<R>[]> {
  if (process.env['BENCH_IN_PROCESS'] === '1') return measureConfig(config, runs);
  return runInChild<R>(file, [JSON.stringify(config), String(runs)]);
}

/** Every configuration measured in a process of its own ({@link measureInChild}), one after the other. */
export async function measureEachInChild<C, R>(
  file: string,
  configs: readonly C[],
  runs: number,
  measureConfig: (config: C, runs: number) => Promise<RunRecord<R>[]>,
): Promise<RunRecord<R>[]> {
  const records: RunRecord<R>[] = [];
  for (const c of configs) records.push(...(await measureInChild(file, c, runs, measureConfig)));
  return records;
}

/**
 * In a child started by {@link measureInChild}: measures the configuration it was given, hands the
 * records to the parent and returns `true`. In the parent it does nothing and returns `false`.
 */
export async function answerParent<C, R>(
  measureConfig: (config: C, runs: number) => Promise<RunRecord<R>[]>,
): Promise<boolean> {
  if (!isChildRun()) return false;
  const [config, runs] = childArgs();
  sendToParent(await measureConfig(JSON.parse(config!) as C, Number(runs)));
  return true;
}
