import type { Options } from 'tsup';
import config from '../../../tsup.config';

// Only the CLI entry of the project's tsup config: the CLI tests rebuild dist/cli/main.cjs when the
// sources changed, and this skips the library builds and their declaration files (seconds instead
// of half a minute) and never cleans dist/.
const all = (Array.isArray(config) ? config : [config]) as Options[];
const cli = all.filter(
  (options) =>
    typeof options.entry === 'object' && options.entry !== null && 'cli/main' in options.entry,
);
if (cli.length !== 1) throw new Error('tsup.config.ts has no single entry named cli/main');

export default cli.map((options) => ({ ...options, clean: false }));
