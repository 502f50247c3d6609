import type { Command } from 'commander';
import { startHmbServer, type HmbServerHandle, type HmbServerOptions } from '../../server/index';
import { whenStopped } from '../cli-context';
import {
  examplesHelp,
  runAction,
  writeLine,
  type CommandHost,
  type Reporter,
} from '../command-support';
import { formatServerEvent } from '../format-server-event';
import { parseNonNegativeInteger, parsePort, parseSeconds } from '../parse-options';
import { CliUsageError } from '../usage-error';

/**
 * How long Ctrl-C waits for connections to finish, in ms. The library's default (10 s, as the
 * original) suits a production shutdown; at a terminal, "stops within a second" matters more, and
 * the server answers waiting polls at once anyway.
 */
export const SERVE_SHUTDOWN_GRACE_MS = 400;

/** Options of `hmb serve`, as commander parses them. */
export interface ServeOptions {
  readonly port: number;
  readonly host: string;
  readonly persist?: string;
  readonly cors?: string | true;
  readonly regex?: boolean;
  readonly queueLimit?: number;
  readonly sessionTimeout?: number;
  readonly maxSessionsPerIp?: number;
  readonly fsync?: boolean;
  readonly headersTimeout?: number;
  readonly quiet?: boolean;
}

/** Adds `hmb serve`: the embedded bus, with its log on stderr. */
export function registerServe(program: Command, host: CommandHost): void {
  program
    .command('serve')
    .summary('run the embedded HMB bus for development')
    .description(
      'Run the embedded HMB bus (a development server speaking the httpmsgbus protocol). Prints its URL ' +
        'on stdout and logs sessions, queues and refused requests on stderr. Any path is a bus: ' +
        'http://HOST:PORT/mybus. Ctrl-C stops it gracefully.',
    )
    .option('-p, --port <port>', 'TCP port (0: any free port)', parsePort, 8000)
    .option('--host <host>', 'interface to bind (0.0.0.0 for every one)', '127.0.0.1')
    .option('--persist <dir>', 'keep messages in logs in this directory, across restarts')
    .option('--cors [origin]', 'send CORS headers for this origin (no origin: *)')
    .option('--regex', 'offer the REGEX capability ($regex in filters)')
    .option(
      '--queue-limit <n>',
      'messages kept per queue (default 100000; 100 is the original server)',
      parseNonNegativeInteger,
    )
    .option(
      '--session-timeout <s>',
      'idle seconds before a session may be swept (default 120)',
      parseSeconds,
    )
    .option(
      '--max-sessions-per-ip <n>',
      'sessions per client address and bus (default 10, as the original -c); raise it when many local clients long-poll',
      parseNonNegativeInteger,
    )
    .option(
      '--fsync',
      'with --persist: fsync before acknowledging a send (survives power loss; slower)',
    )
    .option(
      '--headers-timeout <s>',
      "seconds a client may take to send a request's headers (default 60)",
      parseSeconds,
    )
    .option('--quiet', 'log nothing but errors')
    .addHelpText(
      'after',
      examplesHelp([
        ['hmb serve', 'a bus on http://127.0.0.1:8000, in memory'],
        [
          'hmb serve --port 8080 --persist ./hmb-data --cors http://localhost:4200',
          'persistent, reachable from an Angular dev server',
        ],
        [
          'URL=$(hmb serve --port 0 2>/dev/null | head -1)',
          'any free port; the first line of stdout is the URL',
        ],
      ]),
    )
    .action((options: ServeOptions) =>
      runAction(host, 'serve', (report) => serve(host, options, report)),
    );
}

async function serve(host: CommandHost, options: ServeOptions, report: Reporter): Promise<number> {
  const { context } = host;
  const serverOptions: HmbServerOptions = {
    port: options.port,
    host: options.host,
    shutdownGraceMs: SERVE_SHUTDOWN_GRACE_MS,
    ...(options.persist === undefined ? {} : { persistDir: options.persist }),
    ...(options.cors === undefined ? {} : { cors: options.cors }),
    ...(options.regex === true ? { regex: true } : {}),
    ...(options.queueLimit === undefined ? {} : { queueLimit: options.queueLimit }),
    ...(options.sessionTimeout === undefined ? {} : { sessionTimeoutSec: options.sessionTimeout }),
    ...(options.maxSessionsPerIp === undefined
      ? {}
      : { maxSessionsPerIp: options.maxSessionsPerIp }),
    ...(options.fsync === true ? { fsyncOnSend: true } : {}),
    ...(options.headersTimeout === undefined
      ? {}
      : { headersTimeoutMs: options.headersTimeout * 1000 }),
    logger: (event) => {
      const serious =
        event.type === 'storage-error' ||
        event.type === 'internal-error' ||
        event.type === 'storage-recovered';
      if (options.quiet === true && !serious) return;
      writeLine(context.stderr, formatServerEvent(event, new Date(), report.paint));
    },
  };
  let server: HmbServerHandle;
  try {
    server = await startHmbServer(serverOptions);
  } catch (error) {
    // The server checks its options before binding: a bad value is the command line's fault.
    if (error instanceof RangeError) throw new CliUsageError(error.message);
    throw error;
  }
  writeLine(context.stdout, server.url);
  if (options.quiet !== true)
    report.note(`a bus is any path, e.g. ${server.url}/test; Ctrl-C to stop`);
  const code = await whenStopped(context.stop);
  if (options.quiet !== true) report.note('stopping…');
  await server.close();
  return code;
}
