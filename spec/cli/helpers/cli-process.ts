import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

/** The repository root. */
export const ROOT = resolve(__dirname, '../../..');
/** The built command, as `npm run build` makes it and `bin.hmb` names it. */
export const CLI = join(ROOT, 'dist/cli/main.cjs');

const BUILD_TIMEOUT_MS = 120_000;
// One lock for every jest worker of this checkout: two workers must not write the bundle at once.
const LOCK = join(tmpdir(), `hmb-cli-build-${Buffer.from(ROOT).toString('hex').slice(-24)}.lock`);
const STALE_LOCK_MS = BUILD_TIMEOUT_MS;

function newestMtimeMs(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path))
    newest = Math.max(newest, newestMtimeMs(join(path, entry)));
  return newest;
}

function cliIsFresh(): boolean {
  if (!existsSync(CLI)) return false;
  const sources = Math.max(
    newestMtimeMs(join(ROOT, 'src')),
    newestMtimeMs(join(ROOT, 'package.json')),
    newestMtimeMs(join(ROOT, 'tsup.config.ts')),
  );
  return statSync(CLI).mtimeMs >= sources;
}

function tryLock(): boolean {
  try {
    mkdirSync(LOCK);
    return true;
  } catch {
    // A build that died leaves its lock behind: take it over once it is old.
    try {
      if (Date.now() - statSync(LOCK).mtimeMs > STALE_LOCK_MS) {
        rmdirSync(LOCK);
        return tryLock();
      }
    } catch {
      // Released meanwhile: the next round tries again.
    }
    return false;
  }
}

/**
 * Builds dist/cli/main.cjs with tsup when it is missing or older than the sources (CI builds
 * before testing, so there it is a no-op). Only the CLI entry is built (see tsup.cli.config.ts).
 * Call it in `beforeAll` with a long timeout.
 */
export async function ensureCliBuilt(): Promise<void> {
  const deadline = Date.now() + BUILD_TIMEOUT_MS;
  while (!cliIsFresh()) {
    if (tryLock()) {
      try {
        if (!cliIsFresh()) {
          await promisify(execFile)(
            'npx',
            ['tsup', '--config', 'spec/cli/helpers/tsup.cli.config.ts'],
            { cwd: ROOT, timeout: BUILD_TIMEOUT_MS },
          );
        }
      } finally {
        rmdirSync(LOCK);
      }
      return;
    }
    if (Date.now() > deadline)
      throw new Error('timed out waiting for another worker to build the CLI');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** How a CLI process ended, with everything it wrote. */
export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A running CLI process. */
export interface CliProcess {
  readonly child: ChildProcess;
  /** Everything written so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves when the stream's text matches (rejects after `timeoutMs` or if the process ends first). */
  waitFor(stream: 'stdout' | 'stderr', pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves when the process has ended. */
  readonly exited: Promise<CliResult>;
}

const running = new Set<ChildProcess>();

/** The environment of CLI processes: no colours, no debug stacks, whatever the caller has set. */
function cliEnv(extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  delete env['FORCE_COLOR'];
  if (extra['HMB_DEBUG'] === undefined) delete env['HMB_DEBUG'];
  return env;
}

/**
 * Starts `node dist/cli/main.cjs ...args`. stdin is a pipe: write to it with `child.stdin`, or
 * pass `input` to write it and close it.
 */
export function startCli(
  args: readonly string[],
  options: { readonly input?: string; readonly env?: Readonly<Record<string, string>> } = {},
): CliProcess {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: cliEnv(options.env ?? {}),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  running.add(child);
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  const changed = (): void => {
    for (const listener of [...listeners]) listener();
  };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    changed();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
    changed();
  });
  // A child that exits before reading all its input must not fail the test with EPIPE.
  child.stdin.on('error', () => undefined);
  if (options.input !== undefined) child.stdin.end(options.input);
  let ended = false;
  const exited = new Promise<CliResult>((resolveExit) => {
    child.once('close', (code, signal) => {
      running.delete(child);
      ended = true;
      resolveExit({ code, signal, stdout: out, stderr: err });
      changed();
    });
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor: (stream, pattern, timeoutMs = 15_000) =>
      new Promise<string>((resolveWait, reject) => {
        const text = (): string => (stream === 'stdout' ? out : err);
        const check = (): void => {
          const match = pattern.exec(text());
          if (match !== null) {
            done();
            resolveWait(match[0]);
          } else if (ended) {
            done();
            reject(new Error(`process ended before ${stream} matched ${pattern}:\n${out}\n${err}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`timeout waiting for ${stream} to match ${pattern}:\n${out}\n${err}`));
        }, timeoutMs);
        const done = (): void => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      }),
  };
}

/** Runs the CLI to its end. */
export function runCli(
  args: readonly string[],
  options: { readonly input?: string; readonly env?: Readonly<Record<string, string>> } = {},
): Promise<CliResult> {
  return startCli(args, {
    input: options.input ?? '',
    ...(options.env ? { env: options.env } : {}),
  }).exited;
}

/** Sends SIGINT and measures how long the process takes to end. */
export async function interrupt(cli: CliProcess): Promise<CliResult & { readonly ms: number }> {
  const started = Date.now();
  cli.child.kill('SIGINT');
  const result = await cli.exited;
  return { ...result, ms: Date.now() - started };
}

/** Kills every CLI process a test left running (call in `afterEach`). */
export async function killLeftovers(): Promise<void> {
  const left = [...running];
  await Promise.all(
    left.map(
      (child) =>
        new Promise<void>((resolveKill) => {
          // Still in the set: its 'close' has not come yet, even if it has exited.
          child.once('close', () => resolveKill());
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        }),
    ),
  );
}

/** The JSON lines a CLI wrote. */
export function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Matches once a stream holds at least `n` whole lines, for `waitFor`. */
export function lineCount(n: number): RegExp {
  return new RegExp(`(?:[^\\n]*\\n){${n}}`);
}
