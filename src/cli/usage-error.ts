/**
 * A mistake in the command line found by the `hmb` command itself (bad JSON in `--data`, a `--from`
 * that is neither a seq nor a time …). It ends the command with exit code 2, like commander's own
 * usage errors.
 */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}
