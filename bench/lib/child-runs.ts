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
