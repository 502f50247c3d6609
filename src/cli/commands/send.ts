import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { match } from 'ts-pattern';
import {
  emscMessage,
  isHmbError,
  type HmbEmscPayloadInput,
  type HmbOutgoing,
  type HmbSendResult,
  type HmbSink,
} from '../../node';
import {
  createClient,
  examplesHelp,
  runAction,
  type CommandHost,
  type Reporter,
} from '../command-support';
import { stopExitCode } from '../cli-context';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../exit-codes';
import { formatError } from '../format-error';
import { describeLines, parseMessageLine } from '../message-lines';
import { collect, parseJson, parseNonNegativeInteger, parseTopic } from '../parse-options';
import { CliUsageError } from '../usage-error';

/** Failures in a row of one batch before it is given up. */
export const DEFAULT_SEND_RETRIES = 5;
/** Messages held unsent before reading stdin pauses (the sink's own buffer is far larger). */
export const SEND_HIGH_WATER_MESSAGES = 5_000;
/** After Ctrl-C, how long what was already read may take to be sent before it is abandoned, in ms. */
export const SEND_FLUSH_ON_STOP_MS = 500;

/** Options of `hmb send`, as commander parses them. */
export interface SendOptions {
  readonly queue?: readonly string[];
  readonly type?: string;
  readonly topic?: string;
  readonly data?: unknown;
  readonly bson?: boolean;
  readonly cid?: string;
  readonly retries: number;
  readonly keepGoing?: boolean;
  readonly ejson?: boolean;
  readonly emscFile?: string;
  readonly emscText?: string;
  readonly agency?: string;
  readonly author?: string;
  readonly zlib: boolean;
}

/**
 * Adds `hmb send`: one message from options, or JSON lines from stdin, published through one
 * `HmbSink` (batched, in order, every message's fate known). A bad line is reported with its
 * number and reason, never skipped silently.
 */
export function registerSend(program: Command, host: CommandHost): void {
  program
    .command('send')
    .summary('publish one message, or JSON lines from stdin')
    .description(
      'Publish one message (--type, --queue, --data), or, without --type, JSON lines from stdin: one ' +
        'message per line, {"type", "queue", "topic"?, "data"?, "starttime"?, "endtime"?, "seq"?}. ' +
        'Stops at the first bad line, naming it (what came before is sent), and exits 1.',
    )
    .argument('<bus-url>', 'the bus, e.g. http://127.0.0.1:8000/alerts')
    .option('-q, --queue <name>', 'the queue (for stdin: of lines that name none)', collect)
    .option('--type <type>', 'the message type: send one message built from the options')
    .option('-t, --topic <topic>', 'the topic (for stdin: of lines that name none)', parseTopic)
    .option('--data <json>', 'the payload, as JSON (with --type)', parseJson)
    .option('--bson', 'send in BSON instead of JSON')
    .option(
      '--cid <cid>',
      'the client id of the sending session (subscribers with the same cid skip these messages)',
    )
    .option(
      '--retries <n>',
      'failures in a row before a batch is given up',
      parseNonNegativeInteger,
      DEFAULT_SEND_RETRIES,
    )
    .option('--keep-going', 'report bad lines and go on with the next ones (still exits 1)')
    .option(
      '--ejson',
      'stdin lines have data in canonical Extended JSON (as `hmb tail --ejson` prints), every BSON type kept; sends in BSON',
    )
    .option(
      '--emsc-file <path>',
      'send one file in an EMSC envelope (EMSC_MSG, _type FILE, as EmscHmbPublisher.send_file); BSON',
    )
    .option(
      '--emsc-text <text>',
      'send one text in an EMSC envelope (EMSC_MSG, _type STR, UTF-8, as send_str); BSON',
    )
    .option('--agency <name>', 'the agency in the EMSC header (with --emsc-file/--emsc-text)')
    .option('--author <name>', 'the author in the EMSC header (default hmb-rx)')
    .option('--no-zlib', 'do not zlib-compress EMSC content')
    .addHelpText(
      'after',
      examplesHelp([
        [
          'hmb send http://127.0.0.1:8000/alerts -q SYSTEM_ALERT --type ALERT -t EUROPE --data \'{"magnitude":5.2}\'',
          'one message',
        ],
        ['hmb send http://127.0.0.1:8000/alerts < alerts.jsonl', 'every line of a file'],
        [
          "hmb tail http://a:8000/bus -q Q | jq -c 'del(.seq)' | hmb send http://b:8000/bus",
          'copy a queue live to another bus (without seq: a seq in a line is an out-of-order send)',
        ],
        [
          "hmb tail http://a:8000/bus -q Q --ejson | jq -c 'del(.seq)' | hmb send http://b:8000/bus --ejson",
          'the same, every BSON type kept (int64 stays int64, binary keeps its subtype)',
        ],
        [
          'hmb send https://hmb.example.org/emsc -q EMSC_TEST --emsc-file event.xml --agency GFZ',
          'a file in an EMSC envelope, zlib-compressed, as EmscHmbPublisher.send_file',
        ],
      ]),
    )
    .action((busUrl: string, options: SendOptions) =>
      runAction(host, 'send', (report) => send(host, busUrl, options, report)),
    );
}

async function send(
  host: CommandHost,
  busUrl: string,
  options: SendOptions,
  report: Reporter,
): Promise<number> {
  const queues = options.queue ?? [];
  if (queues.length > 1) throw new CliUsageError('--queue: give one queue to send to');
  const queue = queues[0];
  if (options.type === undefined && options.data !== undefined)
    throw new CliUsageError('--data needs --type (without --type, messages are read from stdin)');
  if (options.type !== undefined && queue === undefined)
    throw new CliUsageError('--type needs --queue');
  const emsc = await emscPayload(options);
  if (emsc !== undefined) {
    if (queue === undefined) throw new CliUsageError('--emsc-file/--emsc-text need --queue');
    if (options.agency === undefined)
      throw new CliUsageError('--emsc-file/--emsc-text need --agency');
    if (options.type !== undefined)
      throw new CliUsageError('--type and an EMSC envelope: choose one');
  }
  // The EMSC envelope and Extended JSON carry BSON types: they go out in BSON.
  const bson = options.bson === true || options.ejson === true || emsc !== undefined;
  const client = createClient(busUrl, { format: bson ? 'bson' : 'json' });
  const sink = client.sink({
    // --retries counts retries; maxAttempts counts attempts, the first one included.
    retry: { maxAttempts: options.retries + 1 },
    ...(options.cid === undefined ? {} : { cid: options.cid }),
  });
  const tracker = new LineTracker(report, () => {
    if (options.keepGoing !== true) sink.abort();
  });
  const results = sink.results.subscribe((result) => tracker.record(result));
  try {
    // One message from the options (an EMSC envelope, or --type), or lines from stdin.
    const message: HmbOutgoing | undefined =
      emsc !== undefined
        ? await emscMessage(queue!, emsc, {
            agency: options.agency!,
            compress: options.zlib,
            ...(options.author === undefined ? {} : { author: options.author }),
            ...(options.topic === undefined ? {} : { topic: options.topic }),
          })
        : options.type !== undefined
          ? {
              type: options.type,
              queue: queue!,
              ...(options.topic === undefined ? {} : { topic: options.topic }),
              ...(options.data === undefined ? {} : { data: options.data }),
            }
          : undefined;
    if (message !== undefined) {
      tracker.expect(message, 0);
      sink.next(message);
      // A refusal is synchronous: the message built from the options is the command line's fault.
      if (tracker.refusedAny) {
        sink.abort();
        return EXIT_USAGE;
      }
    } else {
      await readLines(host, sink, tracker, { queue, topic: options.topic }, options, report);
    }
    const finished = await finish(host, sink);
    const summary = await sink.done;
    if (!finished) return stopExitCode(host.context.stop);
    const total = summary.sent + summary.failed + summary.unknown + summary.refused;
    report.note(
      `${summary.sent} of ${total} message${total === 1 ? '' : 's'} sent` +
        (summary.uncertain > 0 ? ` (${summary.uncertain} possibly twice)` : ''),
    );
    return tracker.bad || summary.sent < total ? EXIT_FAILURE : EXIT_OK;
  } finally {
    results.unsubscribe();
    await client.close();
  }
}

/** The EMSC payload the options ask for (the file read), or undefined. */
async function emscPayload(options: SendOptions): Promise<HmbEmscPayloadInput | undefined> {
  const { emscFile, emscText } = options;
  if (emscFile !== undefined && emscText !== undefined)
    throw new CliUsageError('--emsc-file and --emsc-text: give one');
  if (emscText !== undefined) return { kind: 'text', text: emscText };
  if (emscFile === undefined) return undefined;
  let content: Uint8Array;
  try {
    content = await readFile(emscFile);
  } catch (error) {
    throw new CliUsageError(`--emsc-file: ${(error as Error).message}`);
  }
  return { kind: 'file', file: basename(emscFile), content };
}

/** Completes the sink; after a stop request, gives it a moment, then aborts it. */
async function finish(host: CommandHost, sink: HmbSink): Promise<boolean> {
  sink.complete();
  const { stop } = host.context;
  if (!stop.aborted) {
    const stopped = new Promise<'stopped'>((resolve) =>
      stop.addEventListener('abort', () => resolve('stopped'), { once: true }),
    );
    if ((await Promise.race([sink.done.then(() => 'done' as const), stopped])) === 'done')
      return true;
  }
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), SEND_FLUSH_ON_STOP_MS);
  });
  const outcome = await Promise.race([sink.done.then(() => 'done' as const), late]);
  clearTimeout(timer);
  if (outcome === 'late') sink.abort();
  return false;
}

async function readLines(
  host: CommandHost,
  sink: HmbSink,
  tracker: LineTracker,
  defaults: { readonly queue: string | undefined; readonly topic: string | undefined },
  options: SendOptions,
  report: Reporter,
): Promise<void> {
  const { context } = host;
  if (context.stdin.isTTY === true)
    report.note('reading messages from stdin, one JSON object per line; end with Ctrl-D');
  const lines = createInterface({ input: context.stdin, crlfDelay: Infinity });
  const onStop = (): void => lines.close();
  context.stop.addEventListener('abort', onStop, { once: true });
  let lineNumber = 0;
  try {
    for await (const line of lines) {
      lineNumber++;
      const parsed = parseMessageLine(
        line,
        {
          ...(defaults.queue === undefined ? {} : { queue: defaults.queue }),
          ...(defaults.topic === undefined ? {} : { topic: defaults.topic }),
        },
        { ejson: options.ejson === true },
      );
      if (parsed.kind === 'blank') continue;
      if (parsed.kind === 'bad') tracker.badLine(lineNumber, parsed.reason);
      else {
        tracker.expect(parsed.message, lineNumber);
        sink.next(parsed.message);
      }
      if (tracker.bad && options.keepGoing !== true) {
        report.note(`stopped at line ${lineNumber}: the lines after it were not read`);
        break;
      }
      // Reading faster than the bus takes messages would only fill memory.
      while (sink.pending > SEND_HIGH_WATER_MESSAGES && !context.stop.aborted)
        await tracker.nextResult(context.stop);
    }
  } finally {
    context.stop.removeEventListener('abort', onStop);
    lines.close();
  }
}

/**
 * Knows which input line each message came from, so that every failure the sink reports names its
 * lines. Messages are keyed by identity: the sink hands back the very objects it was given.
 */
class LineTracker {
  private readonly lineOf = new WeakMap<object, number>();
  private waiting: (() => void)[] = [];
  /** A line was bad, refused, or not sent. */
  bad = false;
  refusedAny = false;
  /** The sink was aborted after a batch failed for good: what it still held was not sent. */
  private gaveUp = false;

  /**
   * @param onFailure - called when a batch is given up; without `--keep-going` it aborts the sink,
   *   because the next batches would only wait through the same retries and fail the same way.
   */
  constructor(
    private readonly report: Reporter,
    private readonly onFailure: () => void,
  ) {}

  expect(message: HmbOutgoing, line: number): void {
    this.lineOf.set(message, line);
  }

  badLine(line: number, reason: string): void {
    this.bad = true;
    this.report.note(`${this.report.paint('red', `line ${line}:`)} ${reason}`);
  }

  record(result: HmbSendResult): void {
    match(result)
      .with({ kind: 'sent' }, (r) => {
        if (r.uncertain)
          this.report.note(
            `${this.where(r.messages)}: sent again after a lost answer; they may be on the bus twice`,
          );
      })
      .with({ kind: 'refused' }, (r) => {
        this.bad = true;
        this.refusedAny = true;
        const reason = isHmbError(r.error, 'HMB_ERR_INVALID_MESSAGE')
          ? ((r.error as { reason?: string }).reason ?? r.error.message)
          : formatError(r.error);
        this.report.note(`${this.report.paint('red', `${this.where([r.message])}:`)} ${reason}`);
      })
      .with({ kind: 'failed' }, { kind: 'unknown' }, (r) => {
        this.bad = true;
        const what = `${this.where(r.messages)} ${r.kind === 'failed' ? 'not sent' : 'may not have been sent'}:`;
        const why =
          this.gaveUp && isHmbError(r.error, 'HMB_ERR_CLOSED')
            ? 'given up after the failure above'
            : formatError(r.error);
        this.report.note(`${this.report.paint('red', what)} ${why}`);
        if (!this.gaveUp) {
          this.gaveUp = true;
          this.onFailure();
        }
      })
      .exhaustive();
    const waiting = this.waiting;
    this.waiting = [];
    for (const wake of waiting) wake();
  }

  /** Resolves at the sink's next result (used to pause reading while it catches up). */
  nextResult(stop: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        stop.removeEventListener('abort', wake);
        resolve();
      };
      stop.addEventListener('abort', wake, { once: true });
      this.waiting.push(wake);
    });
  }

  private where(messages: readonly HmbOutgoing[]): string {
    const lines = messages
      .map((m) => this.lineOf.get(m))
      .filter((n): n is number => n !== undefined);
    if (lines.length === 0) return 'messages';
    if (lines.every((n) => n === 0)) return 'the message';
    return describeLines(lines);
  }
}
