import { Command, CommanderError } from 'commander';
import { version } from '../../package.json';
import type { CliContext } from './cli-context';
import { reporter, type CommandHost } from './command-support';
import { registerFeatures } from './commands/features';
import { registerInfo } from './commands/info';
import { registerReplay } from './commands/replay';
import { registerSend } from './commands/send';
import { registerServe } from './commands/serve';
import { registerStatus } from './commands/status';
import { registerTail } from './commands/tail';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './exit-codes';

const EXIT_CODES_HELP = `
Exit codes:
  0    success (replay: EOF reached; send: every message sent)
  1    failure at run time (bus unreachable, queue not found, message refused or not sent)
  2    usage error (unknown option, missing argument, bad URL, bad JSON in an option)
  130  interrupted by Ctrl-C (SIGINT); 143 for SIGTERM

Output: JSON when stdout is not a terminal (one document per line for tail, replay),
readable and coloured when it is (NO_COLOR=1 turns colours off). Errors are one line
on stderr with an hmb-rx error code (HMB_DEBUG=1 adds the stack). See docs/cli.md.
`;

/**
 * Builds the `hmb` program: commander with every subcommand, output routed through the
 * context's streams, and commander's own exits turned into exceptions so that {@link runCli}
 * decides every exit code.
 *
 * @param setExitCode - receives the exit code of the command that ran.
 */
export function createProgram(context: CliContext, setExitCode: (code: number) => void): Command {
  const program = new Command('hmb')
    .description(
      'HMB (httpmsgbus) message buses from the command line: follow queues live, replay windows, ' +
        'publish messages, inspect a bus, or run an embedded bus for development.',
    )
    .version(version, '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.stdout.write(text),
      writeErr: (text) => context.stderr.write(text),
    })
    .showHelpAfterError('(add --help for usage and examples)')
    .addHelpText('after', EXIT_CODES_HELP);
  const host: CommandHost = { context, setExitCode };
  registerTail(program, host);
  registerReplay(program, host);
  registerSend(program, host);
  registerInfo(program, host);
  registerFeatures(program, host);
  registerStatus(program, host);
  registerServe(program, host);
  return program;
}

/**
 * Runs the `hmb` command line and returns its exit code (see docs/cli.md): never throws and never
 * exits the process, so the caller decides when to.
 *
 * @param argv - `process.argv` (node, script, then the arguments).
 */
export async function runCli(argv: readonly string[], context: CliContext): Promise<number> {
  let exitCode: number = EXIT_OK;
  const program = createProgram(context, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version "exit" with 0; everything else commander rejects is a usage error.
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    reporter(context, 'internal').error(error);
    return EXIT_FAILURE;
  }
}
