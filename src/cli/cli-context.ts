import { EXIT_INTERRUPTED, EXIT_OK, EXIT_TERMINATED } from './exit-codes';

/** An output stream as the commands use it: a writable that may be a terminal. */
export interface CliOutput {
  write(text: string): boolean;
  readonly isTTY?: boolean;
  readonly columns?: number;
  /** Node streams: true when the buffer is full and the caller should wait for `drain`. */
  readonly writableNeedDrain?: boolean;
  once?(event: 'drain', listener: () => void): unknown;
}

/** Why a command was asked to stop before its natural end. */
export class CliStop {
  constructor(
    /** The exit code the command ends with. */
    readonly exitCode: number,
    /** e.g. `SIGINT`, or `stdout closed` when the reader of a pipe went away (`| head`). */
    readonly why: string,
  ) {}
}

/**
 * Everything a command touches outside itself: its streams, the environment, and a signal that
 * says "stop now". Commands take it as a parameter instead of reaching for `process`, so they stay
 * plain async functions returning an exit code.
 */
export interface CliContext {
  readonly stdout: CliOutput;
  readonly stderr: CliOutput;
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Aborted (with a {@link CliStop} as reason) on Ctrl-C, SIGTERM, or when stdout is closed. */
  readonly stop: AbortSignal;
}

/** The exit code of a stop request (the reason of {@link CliContext.stop}). */
export function stopExitCode(signal: AbortSignal): number {
  return signal.reason instanceof CliStop ? signal.reason.exitCode : EXIT_INTERRUPTED;
}

/** Resolves with the stop request's exit code once the command is asked to stop. */
export function whenStopped(signal: AbortSignal): Promise<number> {
  if (signal.aborted) return Promise.resolve(stopExitCode(signal));
  return new Promise((resolve) =>
    signal.addEventListener('abort', () => resolve(stopExitCode(signal)), { once: true }),
  );
}

/**
 * How long a command may take to clean up after Ctrl-C before the process exits anyway, in ms.
 * The promise to users is "stops within a second"; cleanup normally takes a few ms.
 */
export const STOP_DEADLINE_MS = 800;

/**
 * Wires a {@link CliContext} to the real process: SIGINT and SIGTERM abort `stop` (a second one
 * exits at once), a closed stdout (EPIPE) stops quietly with exit 0, and a deadline makes sure the
 * process ends within a second of Ctrl-C even if a cleanup step hangs.
 */
export function processContext(proc: NodeJS.Process = process): {
  readonly context: CliContext;
  readonly dispose: () => void;
} {
  const controller = new AbortController();
  const request = (stop: CliStop): void => {
    if (controller.signal.aborted) {
      // Pressed twice: the user means it.
      proc.exit(stop.exitCode);
      return;
    }
    controller.abort(stop);
    const deadline = setTimeout(() => proc.exit(stop.exitCode), STOP_DEADLINE_MS);
    deadline.unref();
  };
  const onSigint = (): void => request(new CliStop(EXIT_INTERRUPTED, 'SIGINT'));
  const onSigterm = (): void => request(new CliStop(EXIT_TERMINATED, 'SIGTERM'));
  const onStdoutError = (error: NodeJS.ErrnoException): void => {
    if (error.code === 'EPIPE') {
      if (!controller.signal.aborted) request(new CliStop(EXIT_OK, 'stdout closed'));
      return;
    }
    // Anything else on stdout (a full disk) is fatal, but still not a stack trace.
    proc.stderr.write(`hmb: cannot write to stdout: ${error.message}\n`);
    proc.exit(1);
  };
  proc.on('SIGINT', onSigint);
  proc.on('SIGTERM', onSigterm);
  proc.stdout.on('error', onStdoutError);
  return {
    context: {
      stdout: proc.stdout,
      stderr: proc.stderr,
      stdin: proc.stdin,
      env: proc.env,
      stop: controller.signal,
    },
    dispose: () => {
      proc.off('SIGINT', onSigint);
      proc.off('SIGTERM', onSigterm);
      proc.stdout.off('error', onStdoutError);
    },
  };
}
