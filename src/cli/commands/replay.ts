import type { Command } from 'commander';
import type { HmbFilter, HmbQueueParams } from '../../node';
import { stopExitCode } from '../cli-context';
import {
  createClient,
  examplesHelp,
  firstUnlessStopped,
  runAction,
  stdoutPainter,
  writeLine,
  type CommandHost,
  type Reporter,
} from '../command-support';
import { outputDemand } from '../output-demand';
import { EXIT_FAILURE, EXIT_OK } from '../exit-codes';
import { formatMessageLine, messageToJsonLine } from '../format-message';
import { formatGap, formatState } from '../format-state';
import {
  collect,
  parseFilter,
  parseNonNegativeInteger,
  parseSeqOrTime,
  parseTopicPattern,
  type SeqOrTime,
} from '../parse-options';
import { ProgressDisplay } from '../progress-display';
import type { ProgressView } from '../progress-format';
import { replayWindow, windowLabel } from '../replay-window';

/** Failures in a row after which a replay gives up (a window is a job that should end). */
export const DEFAULT_REPLAY_RETRIES = 5;

/** Options of `hmb replay`, as commander parses them. */
export interface ReplayOptions {
  readonly queue: readonly string[];
  readonly from?: SeqOrTime;
  readonly to?: SeqOrTime;
  readonly topic?: readonly string[];
  readonly filter?: HmbFilter;
  readonly bson?: boolean;
  readonly json?: boolean;
  readonly retries: number;
  readonly progress: boolean;
}

/**
 * Adds `hmb replay`: reads a window of queues and ends at EOF. The window's size comes from /info,
 * so a terminal shows a progress bar; stdout gets the messages.
 */
export function registerReplay(program: Command, host: CommandHost): void {
  program
    .command('replay')
    .summary('read a window of queues by seq or time, end at EOF')
    .description(
      'Read a window of queues and end at EOF (exit 0). Prints one message per line (JSON when stdout is ' +
        'not a terminal) and, on a terminal, a progress bar on stderr. SEQ bounds are inclusive; a TIME is ' +
        'ISO 8601 (2026-11-24T06:00:00Z).',
    )
    .argument('<bus-url>', 'the bus, e.g. http://127.0.0.1:8000/alerts')
    .requiredOption('-q, --queue <name>', 'a queue to read (repeat for several)', collect)
    .option(
      '--from <seq|time>',
      'first seq, or start time (default: the oldest message the server holds)',
      parseSeqOrTime,
    )
    .option(
      '--to <seq|time>',
      'last seq (inclusive), or end time (default: the newest message now)',
      parseSeqOrTime,
    )
    .option('-t, --topic <pattern>', 'only these topics (repeat for several)', parseTopicPattern)
    .option('--filter <json>', 'a server-side filter, e.g. \'{"type":"ALERT"}\'', parseFilter)
    .option('--bson', 'receive in BSON instead of JSON')
    .option('--json', 'print JSON lines even on a terminal')
    .option('--no-progress', 'no progress bar, even on a terminal')
    .option(
      '--retries <n>',
      'failures in a row before giving up',
      parseNonNegativeInteger,
      DEFAULT_REPLAY_RETRIES,
    )
    .addHelpText(
      'after',
      examplesHelp([
        [
          'hmb replay http://127.0.0.1:8000/alerts -q SYSTEM_ALERT --from 1000 --to 1999 > window.jsonl',
          'a thousand messages by seq, to a file (progress on the terminal)',
        ],
        [
          'hmb replay http://127.0.0.1:8000/alerts -q PICKS --from 2026-11-24T06:00:00Z --to 2026-11-24T07:00:00Z',
          'one hour by time (messages without times in that seq range are included, as the server does)',
        ],
        [
          'hmb replay http://127.0.0.1:8000/alerts -q SYSTEM_ALERT | wc -l',
          'everything the server holds',
        ],
      ]),
    )
    .action((busUrl: string, options: ReplayOptions) =>
      runAction(host, 'replay', (report) => replay(host, busUrl, options, report)),
    );
}

async function replay(
  host: CommandHost,
  busUrl: string,
  options: ReplayOptions,
  report: Reporter,
): Promise<number> {
  const { context } = host;
  const client = createClient(busUrl, {
    format: options.bson === true ? 'bson' : 'json',
    // --retries counts retries; maxAttempts counts attempts, the first one included.
    retry: { maxAttempts: options.retries + 1 },
  });
  const readable = context.stdout.isTTY === true && options.json !== true;
  const paint = stdoutPainter(context);
  let progress: ProgressDisplay | undefined;
  let stop: (() => void) | undefined;
  try {
    const info = await firstUnlessStopped(client.info(), context.stop);
    if (info === undefined) return stopExitCode(context.stop);
    // Checked after /info so that a bus that cannot be reached is reported first.
    const window = replayWindow(options.queue, options.from, options.to, info);
    const label = windowLabel(options.queue, options.from, options.to, info);
    let count = 0;
    const view = (): ProgressView => ({
      value: count,
      total: window.total,
      upperBound: window.upperBound,
      label,
    });
    if (options.progress && context.stderr.isTTY === true)
      progress = new ProgressDisplay(context.stderr, view(), report.paint);
    const note = (text: string): void => {
      progress?.clear();
      report.note(text);
    };
    const queue: Record<string, HmbQueueParams> = {};
    for (const [name, p] of Object.entries(window.queue)) {
      queue[name] = {
        ...p,
        ...(options.topic === undefined ? {} : { topics: options.topic }),
        ...(options.filter === undefined ? {} : { filter: options.filter }),
      };
    }
    const started = Date.now();
    const outcome = await new Promise<number>((resolve) => {
      const subscription = client
        .recvAll(
          { queue },
          {
            demand: outputDemand(context.stdout),
            onState: (state) => {
              // "connecting" and "connected" would only flicker past a one-shot read.
              if (state.type !== 'resuming') return;
              const line = formatState(state, client.busUrl, report.paint);
              if (line !== undefined) note(line);
            },
            onGap: (gap) => note(formatGap(gap, report.paint)),
          },
        )
        .subscribe({
          next: (message) => {
            count++;
            if (readable) progress?.clear();
            writeLine(
              context.stdout,
              readable ? formatMessageLine(message, paint) : messageToJsonLine(message),
            );
            progress?.update(view());
          },
          error: (error: unknown) => {
            progress?.stop();
            progress = undefined;
            report.error(error);
            resolve(EXIT_FAILURE);
          },
          complete: () => {
            // At EOF the window is whole, whatever /info predicted: show it full.
            progress?.stop({ ...view(), total: count, upperBound: false });
            progress = undefined;
            const seconds = ((Date.now() - started) / 1000).toFixed(1);
            report.note(`${count} message${count === 1 ? '' : 's'} in ${seconds} s (EOF)`);
            resolve(EXIT_OK);
          },
        });
      stop = (): void => {
        subscription.unsubscribe();
        progress?.stop();
        progress = undefined;
        resolve(stopExitCode(context.stop));
      };
      if (context.stop.aborted) stop();
      else context.stop.addEventListener('abort', stop, { once: true });
    });
    return outcome;
  } finally {
    progress?.stop();
    if (stop !== undefined) context.stop.removeEventListener('abort', stop);
    await client.close();
  }
}
