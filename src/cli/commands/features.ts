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
import { formatFeatures } from '../format-bus-info';

/** Adds `hmb features`: what the server offers (GET /features). */
export function registerFeatures(program: Command, host: CommandHost): void {
  program
    .command('features')
    .summary('what the server offers (GET /features)')
    .description(
      'Show what the server offers (GET /features): software, functions and capabilities (JSON, BSON, ' +
        'STREAM, WINDOW, FILTER, REGEX, OOD …); name/value lines on a terminal, JSON otherwise.',
    )
    .argument('<bus-url>', 'the bus, e.g. http://127.0.0.1:8000/alerts')
    .option('--json', 'print JSON even on a terminal')
    .addHelpText(
      'after',
      examplesHelp([
        ['hmb features http://127.0.0.1:8000/alerts', 'software and capabilities'],
        [
          'hmb features http://127.0.0.1:8000/alerts | jq -e \'.capabilities | index("STREAM")\'',
          'does the server offer /stream?',
        ],
      ]),
    )
    .action((busUrl: string, options: { readonly json?: boolean }) =>
      runAction(host, 'features', async () => {
        const { context } = host;
        const client = createClient(busUrl);
        try {
          const features = await firstUnlessStopped(client.features(), context.stop);
          if (features === undefined) return stopExitCode(context.stop);
          writeLine(
            context.stdout,
            context.stdout.isTTY === true && options.json !== true
              ? formatFeatures(features, stdoutPainter(context))
              : JSON.stringify(features, null, 2),
          );
          return EXIT_OK;
        } finally {
          await client.close();
        }
      }),
    );
}
