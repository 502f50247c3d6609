import type { Command } from 'commander';
import type { Observable } from 'rxjs';
import type { HmbClient } from '../node';
import type { Painter } from './ansi';
import { stopExitCode } from './cli-context';
import {
  createClient,
  examplesHelp,
  firstUnlessStopped,
  runAction,
  stdoutPainter,
  writeLine,
  type CommandHost,
} from './command-support';
import { EXIT_OK } from './exit-codes';

/** What differs between `hmb info`, `hmb features` and `hmb status`. */
export interface BusQuerySpec<T> {
  readonly name: string;
  readonly summary: string;
  readonly description: string;
  readonly examples: readonly (readonly [string, string])[];
  /** The one-shot call to make. */
  readonly query: (client: HmbClient) => Observable<T>;
  /** How to show the answer on a terminal. */
  readonly format: (value: T, paint: Painter) => string;
}

/**
 * Adds a command that asks a bus one question and prints the answer: a table on a terminal, the
 * server's JSON otherwise (or with `--json`), so it pipes into `jq`.
 */
export function registerBusQuery<T>(
  program: Command,
  host: CommandHost,
  spec: BusQuerySpec<T>,
): void {
  program
    .command(spec.name)
    .summary(spec.summary)
    .description(spec.description)
    .argument('<bus-url>', 'the bus, e.g. http://127.0.0.1:8000/alerts')
    .option('--json', 'print JSON even on a terminal')
    .addHelpText('after', examplesHelp(spec.examples))
    .action((busUrl: string, options: { readonly json?: boolean }) =>
      runAction(host, spec.name, async () => {
        const { context } = host;
        const client = createClient(busUrl);
        try {
          const value = await firstUnlessStopped(spec.query(client), context.stop);
          if (value === undefined) return stopExitCode(context.stop);
          writeLine(
            context.stdout,
            context.stdout.isTTY === true && options.json !== true
              ? spec.format(value, stdoutPainter(context))
              : JSON.stringify(value, null, 2),
          );
          return EXIT_OK;
        } finally {
          await client.close();
        }
      }),
    );
}
