import type { Command } from 'commander';
import { stopExitCode } from '../cli-context';
import {
  createClient,
  examplesHelp,
  firstUnlessStopped,
  runAction,
  stdoutPainter,
  writeLine,
  type CommandHost,
} from '../command-support';
import { EXIT_OK } from '../exit-codes';
import { formatStatusTable } from '../format-bus-info';

/** Adds `hmb status`: the sessions of a bus (GET /status). */
export function registerStatus(program: Command, host: CommandHost): void {
  program
    .command('status')
    .summary('the sessions of a bus (GET /status)')
    .description(
      "Show the sessions of a bus (GET /status): who is connected, each queue's next seq, bytes sent " +
        'and received; a table on a terminal, JSON otherwise.',
    )
    .argument('<bus-url>', 'the bus, e.g. http://127.0.0.1:8000/alerts')
    .option('--json', 'print JSON even on a terminal')
    .addHelpText(
      'after',
      examplesHelp([
        ['hmb status http://127.0.0.1:8000/alerts', 'a table of the sessions'],
        [
          "hmb status http://127.0.0.1:8000/alerts | jq '.session | length'",
          'how many sessions the bus holds',
        ],
      ]),
    )
    .action((busUrl: string, options: { readonly json?: boolean }) =>
      runAction(host, 'status', async () => {
        const { context } = host;
        const client = createClient(busUrl);
        try {
          const status = await firstUnlessStopped(client.status(), context.stop);
          if (status === undefined) return stopExitCode(context.stop);
          writeLine(
            context.stdout,
            context.stdout.isTTY === true && options.json !== true
              ? formatStatusTable(status, stdoutPainter(context))
              : JSON.stringify(status, null, 2),
          );
          return EXIT_OK;
        } finally {
          await client.close();
        }
      }),
    );
}
