import type { Command } from 'commander';
import { filter, map, type Observable } from 'rxjs';
import {
  decodeEmsc,
  type HmbEmscMessage,
  type HmbFilter,
  type HmbMessage,
  type HmbQueueParams,
  type HmbSubscribeParams,
} from '../../node';
import { stopExitCode } from '../cli-context';
import {
  createClient,
  examplesHelp,
  runAction,
  stdoutPainter,
  writeLine,
  type CommandHost,
  type Reporter,
} from '../command-support';
import { outputDemand } from '../output-demand';
import { CliUsageError } from '../usage-error';
import { EXIT_FAILURE, EXIT_OK } from '../exit-codes';
import {
  emscToJsonLine,
  formatEmscLine,
  formatMessageLine,
  messageToEjsonLine,
  messageToJsonLine,
} from '../format-message';
import { formatGap, formatState } from '../format-state';
import {
  collect,
  parseFilter,
  parseInteger,
  parseNonNegativeInteger,
  parseTopicPattern,
} from '../parse-options';

/** Options of `hmb tail`, as commander parses them. */
export interface TailOptions {
  readonly queue: readonly string[];
  readonly seq?: number;
  readonly topic?: readonly string[];
  readonly filter?: HmbFilter;
  readonly bson?: boolean;
  readonly stream?: boolean;
  readonly heartbeat?: number;
  readonly wait?: boolean;
  readonly json?: boolean;
  readonly ejson?: boolean;
  readonly emsc?: boolean;
}

/**
 * Adds `hmb tail`: follows queues live. The library reconnects and resumes from the last seq
 * received, so the output has no gap and no duplicate across reconnects; the command only shows
 * what happens (connection states, gaps) on stderr.
 */
export function registerTail(program: Command, host: CommandHost): void {
  program
    .command('tail')
    .summary('follow queues live (JSON lines, or readable on a terminal)')
    .description(
      'Follow queues of a bus live, reconnecting and resuming by itself. Prints one message per line: ' +
        'JSON (without "kind") when stdout is not a terminal, a readable coloured line when it is. ' +
        'Connection states and gaps go to stderr. Stop with Ctrl-C.',
    )
    .argument('<bus-url>', 'the bus, e.g. http://127.0.0.1:8000/alerts')
    .requiredOption('-q, --queue <name>', 'a queue to follow (repeat for several)', collect)
    .option(
      '--seq <n>',
      'where to start in each queue: 0 and up a seq; -1 new messages only (default); -2 the last message on; -N the last N-1',
      parseInteger,
    )
    .option(
      '-t, --topic <pattern>',
      'only these topics (? one character, * any run, !pattern excludes; repeat for several)',
      parseTopicPattern,
    )
    .option(
      '--filter <json>',
      'a server-side filter, e.g. \'{"data.magnitude":{"$gte":5}}\'',
      parseFilter,
    )
    .option('--bson', 'receive in BSON instead of JSON')
    .option('--stream', 'read one endless /stream response instead of long polls (lower latency)')
    .option(
      '--heartbeat <s>',
      'seconds between server heartbeats, which detect a dead link (default 30; 0 none)',
      parseNonNegativeInteger,
    )
    .option('--wait', 'wait for queues that do not exist yet instead of failing')
    .option('--json', 'print JSON lines even on a terminal')
    .option(
      '--ejson',
      'print lines whose data is canonical Extended JSON, keeping every BSON type (int32/int64/double, binary subtypes, dates); receives in BSON; `hmb send --ejson` reads them back',
    )
    .option(
      '--emsc',
      'decode EMSC envelopes (EMSC_MSG: header, then text, bytes, file or dict; zlib inflated); receives in BSON; other messages are noted on stderr and skipped',
    )
    .addHelpText(
      'after',
      examplesHelp([
        ['hmb tail http://127.0.0.1:8000/alerts -q SYSTEM_ALERT', 'follow new alerts'],
        [
          "hmb tail http://127.0.0.1:8000/alerts -q SYSTEM_ALERT --seq -11 -t 'EU*' | jq .data",
          'the last ten European alerts, then new ones, as JSON for jq',
        ],
        [
          "hmb tail http://a:8000/bus -q Q --ejson | jq -c 'del(.seq)' | hmb send http://b:8000/bus --ejson",
          'copy a queue live to another bus, every BSON type kept',
        ],
        ['hmb tail https://hmb.example.org/emsc -q EMSC_ALERTS --emsc', 'EMSC envelopes, decoded'],
        [
          'hmb tail http://127.0.0.1:8000/alerts -q PICKS -q ORIGINS --stream --filter \'{"data.magnitude":{"$gte":5}}\'',
          'two queues over /stream, magnitude 5 and up',
        ],
      ]),
    )
    .action((busUrl: string, options: TailOptions) =>
      runAction(host, 'tail', (report) => tail(host, busUrl, options, report)),
    );
}

async function tail(
  host: CommandHost,
  busUrl: string,
  options: TailOptions,
  report: Reporter,
): Promise<number> {
  const { context } = host;
  if (options.ejson === true && options.emsc === true)
    throw new CliUsageError('--ejson and --emsc: choose one output');
  const bson = options.bson === true || options.ejson === true || options.emsc === true;
  const client = createClient(busUrl, { format: bson ? 'bson' : 'json' });
  const queueParams: HmbQueueParams = {
    seq: options.seq ?? -1,
    ...(options.topic === undefined ? {} : { topics: options.topic }),
    ...(options.filter === undefined ? {} : { filter: options.filter }),
  };
  const params: HmbSubscribeParams = {
    queue: Object.fromEntries(options.queue.map((name) => [name, queueParams])),
    ...(options.heartbeat === undefined ? {} : { heartbeat: options.heartbeat }),
  };
  const readable = context.stdout.isTTY === true && options.json !== true && options.ejson !== true;
  const paint = stdoutPainter(context);
  // Each message becomes one output line (or none: an EMSC envelope that cannot be read, or a
  // message that cannot be formatted, is noted instead). The formatter is chosen once.
  const emscLine = readable
    ? (decoded: HmbEmscMessage): string => formatEmscLine(decoded, paint)
    : emscToJsonLine;
  const messageLine = readable
    ? (message: HmbMessage): string => formatMessageLine(message, paint)
    : options.ejson === true
      ? messageToEjsonLine
      : messageToJsonLine;
  const lineOrNote = (message: HmbMessage): string | undefined => {
    try {
      return messageLine(message);
    } catch (error) {
      report.note(`${message.queue}#${message.seq} not printed: ${(error as Error).message}`);
      return undefined;
    }
  };
  const toLines = (messages: Observable<HmbMessage>): Observable<string> =>
    options.emsc === true
      ? messages.pipe(
          decodeEmsc({ onInvalid: (error) => report.note(`skipped: ${error.message}`) }),
          map(emscLine),
        )
      : messages.pipe(
          map(lineOrNote),
          filter((line): line is string => line !== undefined),
        );
  let stop: (() => void) | undefined;
  try {
    return await new Promise<number>((resolve) => {
      const subscription = client
        .subscribe(params, {
          transport: options.stream === true ? 'stream' : 'poll',
          waitForQueues: options.wait === true,
          demand: outputDemand(context.stdout),
          onState: (state) => {
            const line = formatState(state, client.busUrl, report.paint);
            if (line !== undefined) report.note(line);
          },
          onGap: (gap) => report.note(formatGap(gap, report.paint)),
        })
        .pipe(toLines)
        .subscribe({
          next: (line) => writeLine(context.stdout, line),
          error: (error: unknown) => {
            report.error(error);
            resolve(EXIT_FAILURE);
          },
          // Only a window (never asked for here) completes; kept for completeness.
          complete: () => resolve(EXIT_OK),
        });
      stop = (): void => {
        subscription.unsubscribe();
        resolve(stopExitCode(context.stop));
      };
      if (context.stop.aborted) stop();
      else context.stop.addEventListener('abort', stop, { once: true });
    });
  } finally {
    if (stop !== undefined) context.stop.removeEventListener('abort', stop);
    await client.close();
  }
}
