import { first, type Observable } from 'rxjs';
import { HmbClient, isHmbError, type HmbNodeClientOptions } from '../node';
import { colorWanted, painter, type Painter } from './ansi';
import type { CliContext, CliOutput } from './cli-context';
import { formatError } from './format-error';
import { EXIT_FAILURE, EXIT_USAGE } from './exit-codes';
import { CliUsageError } from './usage-error';

/**
 * Makes the client of a bus URL given on the command line. A URL the library refuses (not http(s),
 * no bus name) is a usage error (exit 2), found before anything touches the network.
 */
export function createClient(busUrl: string, options: HmbNodeClientOptions = {}): HmbClient {
  try {
    return new HmbClient(busUrl, options);
  } catch (error) {
    if (isHmbError(error, 'HMB_ERR_BAD_PARAM'))
      throw new CliUsageError(`${error.code}: ${error.message}`);
    throw error;
  }
}

/** Lines for stderr, prefixed with the command (`hmb tail: …`), coloured on a terminal. */
export interface Reporter {
  /** Painter for stderr (colours only when stderr is a terminal and NO_COLOR is unset). */
  readonly paint: Painter;
  /** A line about what is going on (connection state, progress, a summary). */
  note(text: string): void;
  /** A failure, as one line with its hmb-rx error code. */
  error(error: unknown): void;
}

/** A {@link Reporter} for the command `name` (e.g. `tail`). */
export function reporter(context: CliContext, name: string): Reporter {
  const paint = painter(colorWanted(context.stderr, context.env));
  const prefix = paint('gray', `hmb ${name}:`);
  return {
    paint,
    note: (text) => writeLine(context.stderr, `${prefix} ${text}`),
    error: (error) => {
      writeLine(context.stderr, `${prefix} ${paint('red', 'error')} ${formatError(error)}`);
      if (debugWanted(context.env) && error instanceof Error && error.stack !== undefined)
        writeLine(context.stderr, error.stack);
    },
  };
}

/** `HMB_DEBUG=1` adds stack traces to errors, for bug reports. */
export function debugWanted(env: Readonly<Record<string, string | undefined>>): boolean {
  const value = env['HMB_DEBUG'];
  return value !== undefined && value !== '' && value !== '0';
}

/** Writes one line (the newline added). */
export function writeLine(out: CliOutput, text: string): void {
  out.write(`${text}\n`);
}

/** Painter for stdout (colours only on a terminal without NO_COLOR). */
export function stdoutPainter(context: CliContext): Painter {
  return painter(colorWanted(context.stdout, context.env));
}

/** What every command needs from the program: the context and where to put its exit code. */
export interface CommandHost {
  readonly context: CliContext;
  readonly setExitCode: (code: number) => void;
}

/**
 * Runs a command's body and turns its outcome into an exit code: the body's own, 2 for a
 * {@link CliUsageError}, 1 for anything else it throws (printed as one line, never a stack).
 */
export async function runAction(
  host: CommandHost,
  name: string,
  body: (report: Reporter) => Promise<number>,
): Promise<void> {
  const report = reporter(host.context, name);
  try {
    host.setExitCode(await body(report));
  } catch (error) {
    if (error instanceof CliUsageError) {
      report.note(`${report.paint('red', 'usage error')} ${error.message}`);
      report.note(`(see hmb ${name} --help)`);
      host.setExitCode(EXIT_USAGE);
      return;
    }
    report.error(error);
    host.setExitCode(EXIT_FAILURE);
  }
}

/** Examples for `--help`: one command per line, each with what it does. */
export function examplesHelp(examples: readonly (readonly [string, string])[]): string {
  const lines = examples.flatMap(([command, what]) => [`  # ${what}`, `  ${command}`]);
  return `\nExamples:\n${lines.join('\n')}\n`;
}

/**
 * The first value of a one-shot Observable (/info, /features, /status), or `undefined` when the
 * command is asked to stop first, in which case the request is aborted (unsubscribed).
 */
export function firstUnlessStopped<T>(
  source: Observable<T>,
  stop: AbortSignal,
): Promise<T | undefined> {
  if (stop.aborted) return Promise.resolve(undefined);
  return new Promise<T | undefined>((resolve, reject) => {
    const onStop = (): void => {
      subscription.unsubscribe();
      resolve(undefined);
    };
    const subscription = source.pipe(first()).subscribe({
      next: (value) => {
        stop.removeEventListener('abort', onStop);
        resolve(value);
      },
      error: (error: unknown) => {
        stop.removeEventListener('abort', onStop);
        reject(error);
      },
    });
    if (!subscription.closed) stop.addEventListener('abort', onStop, { once: true });
  });
}
