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
import { formatInfoTable } from '../format-bus-info';

/** Adds `hmb info`: the queues of a bus (GET /info). */
export function registerInfo(program: Command, host: CommandHost): void {
  program
    .command('info')
    .summary('the queues of a bus (GET /info)')
    .description(
      'Show the queues of a bus with their seq and time ranges and topics (GET /info): a table on a ' +
        'terminal, JSON otherwise.',
    )
    .argument('<bus-url>', 'the bus, e.g. http://127.0.0.1:8000/alerts')
    .option('--json', 'print JSON even on a terminal')
    .addHelpText(
      'after',
      examplesHelp([
        ['hmb info http://127.0.0.1:8000/alerts', 'a table of the queues'],
        [
          "hmb info http://127.0.0.1:8000/alerts | jq '.queue.SYSTEM_ALERT.endseq'",
          'the next seq of one queue',
        ],
      ]),
    )
    .action((busUrl: string, options: { readonly json?: boolean }) =>
      runAction(host, 'info', async () => {
        const { context } = host;
        const client = createClient(busUrl);
        try {
          const info = await firstUnlessStopped(client.info(), context.stop);
          if (info === undefined) return stopExitCode(context.stop);
          writeLine(
            context.stdout,
            context.stdout.isTTY === true && options.json !== true
              ? formatInfoTable(info, stdoutPainter(context))
              : JSON.stringify(info, null, 2),
          );
          return EXIT_OK;
        } finally {
          await client.close();
        }
      }),
    );
}
