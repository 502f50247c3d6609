/**
 * The `hmb` command (bundled to dist/cli/main.cjs, `bin.hmb` in package.json). Everything is in
 * `program.ts`; this file only wires it to the real process and exits with its code.
 */
import { processContext } from './cli-context';
import { runCli } from './program';

async function main(): Promise<void> {
  const { context } = processContext();
  const code = await runCli(process.argv, context);
  // Exit explicitly: an open stdin (send) or a keep-alive socket must not hold the process. The
  // empty write's callback comes after every earlier write to stdout has been handed over.
  process.stdout.write('', () => process.exit(code));
}

void main();
